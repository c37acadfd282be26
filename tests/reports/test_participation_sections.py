"""The national progress report's "Consultations and dispositions" and "Civil society's
view" sections, in PDF, Word and Excel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from nap1325.participation import services as participation
from nap1325.participation.models import Consultation
from nap1325.reports.content import report_content, report_scope
from tests.factories import OrganisationFactory
from tests.reports.test_reports import build, docx_text, pdf_text

pytestmark = pytest.mark.django_db

REASON = "Teacher training in every district answers this."
DECLINE = "A quota needs a change of the electoral law."
GOV_HIGHER = "Disagree: the government reports more progress than civil society sees."


@pytest.fixture
def participation_data(report_data):
    """Two consultations (one internal, one illustrative), three inputs: incorporated with a
    reason, declined with a reason, undecided; a Q2 shadow assessment that disagrees
    (approved "in progress" vs "not implemented"), a Q1 one that must not show in Q2."""
    r = report_data.r
    published = participation.consultation_create(
        actor=r.coordinator,
        plan=r.plan,
        title="Regional consultation in Osh",
        level=Consultation.Level.REGIONAL,
        date=dt.date(2018, 3, 14),
        women=20,
        men=5,
        is_illustrative=True,
    )
    participation.consultation_publish(actor=r.coordinator, consultation=published, published=True)
    internal = participation.consultation_create(
        actor=r.coordinator,
        plan=r.plan,
        title="Closed consultation with donors",
        level=Consultation.Level.NATIONAL,
        date=dt.date(2018, 4, 2),
    )
    taken = participation.input_create(
        actor=r.coordinator,
        consultation=published,
        text="Train teachers in every district.",
        group="womens_organisations",
    )
    participation.input_link_save(
        actor=r.coordinator, inp=taken, action=r.action, disposition="incorporated", reason=REASON
    )
    declined = participation.input_create(
        actor=r.coordinator, consultation=internal, text="A 30 % quota.", group="youth"
    )
    participation.input_decline(actor=r.coordinator, inp=declined, reason=DECLINE)
    participation.input_create(
        actor=r.coordinator, consultation=internal, text="Open question.", group="youth"
    )
    network = OrganisationFactory(name="Women's Peace Network", acronym="WPN", kind="cso")
    participation.shadow_assessment_save(
        actor=None,
        plan=r.plan,
        period=r.q2,
        organisation=network,
        action=r.action,
        rating="not_implemented",
        narrative="No training seen in the regions in Q2.",
    )
    participation.shadow_assessment_save(
        actor=None,
        plan=r.plan,
        period=r.q1,
        organisation=network,
        action=r.action,
        rating="partly",
        narrative="Q1 narrative that belongs to another period.",
    )
    return r


def test_content_counts_and_lists_every_consultation(participation_data):
    r = participation_data
    content = report_content(r.plan, report_scope(r.plan, period="2019 Q2"), language="en")
    part = content.consultations
    assert (part.consultations, part.inputs, part.undecided) == (2, 3, 1)
    assert part.by_disposition == [
        ("Incorporated", 1),
        ("Not incorporated", 1),
        ("no disposition yet", 1),
    ]
    assert part.by_group == [("Women's organisations", 1), ("Youth", 2)]
    assert [line.illustrative for line in part.lines] == [True, False, False]
    assert part.lines[0].decisions == [
        (f"{r.action.code} {r.action.title}", "Incorporated", REASON)
    ]
    assert part.lines[1].decisions == [("", "Not incorporated", DECLINE)]
    view = content.civil_society
    assert [(line.period, line.rating, line.flag) for line in view.lines] == [
        ("2019 Q2", "not_implemented", "government_higher")
    ]
    assert view.disagreements == 1
    assert view.lines[0].government_text == "In progress"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_pdf_and_word_hold_reasons_and_disagreements(participation_data, fmt):
    data = build(participation_data.plan, period="2019 Q2", fmt=fmt)
    text = pdf_text(data) if fmt == "pdf" else " ".join(docx_text(data).split())
    for expected in (
        "Consultations and dispositions",
        REASON,
        DECLINE,
        "Closed consultation with donors",  # internal report: unpublished too
        "Civil society's view",
        "No training seen in the regions in Q2.",
        GOV_HIGHER,
        "1 shadow assessment; it disagrees with the government's approved status on 1.",
    ):
        assert expected in text, expected
    assert "Q1 narrative that belongs to another period." not in text


def test_excel_has_the_sheets_with_numbers_as_numbers(participation_data):
    book = load_workbook(io.BytesIO(build(participation_data.plan, period="2019 Q2", fmt="xlsx")))
    sheet = book["Consultations"]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert ("Inputs", 3) in [row[:2] for row in rows]
    assert ("Incorporated", 1) in [row[:2] for row in rows]
    assert ("Youth", 2) in [row[:2] for row in rows]
    header = next(row for row in rows if row and row[0] == "Input")
    reasons = header.index("Actions and reasons")
    listed = {row[0]: row for row in rows[rows.index(header) + 1 :]}
    assert REASON in listed["Train teachers in every district."][reasons]
    assert listed["Train teachers in every district."][header.index("Date")] == dt.datetime(
        2018, 3, 14
    )
    civil = [tuple(row) for row in book["Civil society"].iter_rows(values_only=True)]
    assert ("Disagreements", 1) in [row[:2] for row in civil]
    header = next(row for row in civil if row and row[0] == "Element")
    (line,) = civil[civil.index(header) + 1 :]
    assert line[header.index("Disagreement")] == GOV_HIGHER
    assert line[header.index("Period")] == "2019 Q2"
