"""Narratives of agency reports and action updates are translatable per field: written in
the page's language with the plan's other languages under "Translations", read with the
plan's chain (fallbacks marked ``lang``), copied whole on approval, one language per
workbook (docs/decisions.md, "Languages")."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from nap1325.core.models import AuditEvent
from nap1325.monitoring import services
from nap1325.monitoring.models import ActionUpdate, AgencyReport
from nap1325.monitoring.services import UpdateInput, field_name
from tests.monitoring.test_dashboards import second_coordinator
from tests.monitoring.test_report_pages import open_report
from tests.monitoring.test_report_workbook import XLSX

pytestmark = pytest.mark.django_db

State = AgencyReport.State


def url(report, name="monitoring:report", language="ky") -> str:
    with translation.override(language):
        return reverse(name, args=[report.plan.slug, report.pk])


def narrative(report, action, **texts):
    return {
        field_name("a", action.pk, "status"): "in_progress",
        **{
            field_name("a", action.pk, f"narrative{'' if code == 'page' else '_' + code}"): text
            for code, text in texts.items()
        },
    }


@pytest.fixture
def report(reporting):
    report = open_report(reporting)
    return services.agency_report_save(
        actor=reporting.focal_point,
        report=report,
        version=report.version,
        narratives={"ru": "Обучено 40 учителей.", "en": "40 teachers trained."},
        updates={
            reporting.action.pk: UpdateInput(
                status="in_progress", narratives={"ru": "Семинары проведены."}
            )
        },
    )


def test_kyrgyz_form_has_the_page_language_first_and_the_others_under_translations(
    reporting, login, report
):
    page = login(reporting.focal_point).get(url(report)).content.decode()
    main = re.search(r'<textarea name="narrative"[^>]*>', page).group(0)
    assert 'lang="ky"' in main
    details = page.split('<details class="translations"')
    # one block per action, one for the report; opened because Kyrgyz is empty
    assert len(details) == 3 and details[1].startswith(" open>")
    assert "Translations" in details[1] or "Котормолор" in details[1]
    block = details[2].split("</details>", 1)[0]
    assert [m for m in re.findall(r'name="(narrative_\w+)"', block)] == [
        "narrative_ru",
        "narrative_en",
    ]
    assert "Обучено 40 учителей.</textarea>" in block
    assert 'lang="ru"' in block


def test_saving_kyrgyz_keeps_russian_and_audits_each_language(reporting, login, report):
    action = reporting.action
    data = {
        "version": str(report.version),
        "intent": "save",
        "narrative": "40 мугалим окутулду.",
        "narrative_ru": "Обучено 40 учителей.",
        "narrative_en": "40 teachers trained.",
        **narrative(report, action, page="Семинарлар өттү.", ru="Семинары проведены.", en=""),
    }
    response = login(reporting.focal_point).post(url(report), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert (report.narrative_ky, report.narrative_ru, report.narrative_en) == (
        "40 мугалим окутулду.",
        "Обучено 40 учителей.",
        "40 teachers trained.",
    )
    update = ActionUpdate.objects.get(report=report, is_official=False)
    assert (update.narrative_ky, update.narrative_ru, update.narrative_en) == (
        "Семинарлар өттү.",
        "Семинары проведены.",
        None,
    )
    event = AuditEvent.objects.filter(event_type="agency_report.saved").order_by("-id").first()
    assert event.changes["narrative_ky"] == [None, "40 мугалим окутулду."]
    assert "narrative_ru" not in event.changes


def test_a_language_not_shown_is_kept(reporting, report):
    """A writer of one language (``narrative``: the active language) leaves the others."""
    with translation.override("en"):
        services.agency_report_save(
            actor=reporting.focal_point,
            report=report,
            version=report.version,
            narrative="Forty teachers trained.",
            updates={reporting.action.pk: UpdateInput(status="completed", narrative="Done.")},
        )
    report.refresh_from_db()
    assert (report.narrative_ru, report.narrative_en) == (
        "Обучено 40 учителей.",
        "Forty teachers trained.",
    )
    update = ActionUpdate.objects.get(report=report, is_official=False)
    assert (update.narrative_ru, update.narrative_en, update.status) == (
        "Семинары проведены.",
        "Done.",
        "completed",
    )


def test_read_only_pages_show_the_fallback_marked(reporting, login, report):
    report = services.agency_report_submit(
        actor=reporting.focal_point, report=report, version=report.version
    )
    client = login(reporting.coordinator)
    for name in ("monitoring:report", "monitoring:review"):
        page = client.get(url(report, name)).content.decode()
        assert '<div lang="ru"><p>Обучено 40 учителей.</p></div>' in page, name
        assert '<span lang="ru">Семинары проведены.</span>' in page, name
    english = client.get(url(report, language="en")).content.decode()
    assert "<p>40 teachers trained.</p>" in english
    assert '<span lang="ru">Семинары проведены.</span>' in english


def test_approval_copies_every_language_to_the_official_copy(reporting, report):
    report = services.agency_report_submit(
        actor=reporting.focal_point, report=report, version=report.version
    )
    services.agency_report_approve(
        actor=second_coordinator(reporting), report=report, version=report.version
    )
    official = ActionUpdate.objects.get(report=report, is_official=True)
    assert (official.narrative_ru, official.narrative_en, official.narrative_ky) == (
        "Семинары проведены.",
        None,
        None,
    )


def test_submitted_and_approved_reports_refuse_narratives_by_any_path(reporting, login, report):
    report = services.agency_report_submit(
        actor=reporting.focal_point, report=report, version=report.version
    )
    with pytest.raises(ValidationError):
        services.agency_report_save(
            actor=reporting.focal_point,
            report=report,
            version=report.version,
            narratives={"ky": "Өзгөртүү"},
        )
    response = login(reporting.focal_point).post(
        url(report), {"version": str(report.version), "intent": "save", "narrative_ky": "x"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.narrative_ky is None


def test_workbook_carries_its_own_language_only_and_keeps_the_others(reporting, login, report):
    client = login(reporting.focal_point)
    content = client.get(url(report, "monitoring:workbook")).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[2]
    headers = {cell.value: cell.column for cell in sheet[1]}
    with translation.override("ky"):
        column = headers[translation.gettext("What was done")]
    row = next(
        n
        for n in range(2, sheet.max_row + 1)
        if sheet.cell(row=n, column=headers["key"]).value == f"a:{reporting.action.pk}"
    )
    # The Kyrgyz workbook: the Kyrgyz narrative (none yet), never the Russian fallback.
    assert sheet.cell(row=row, column=column).value is None
    sheet.cell(row=row, column=column, value="Семинарлар өттү.")
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        url(report, "monitoring:workbook_upload"),
        {"file": SimpleUploadedFile("report.xlsx", buffer.getvalue(), XLSX)},
    )
    assert response.status_code == 302
    update = ActionUpdate.objects.get(report=report, is_official=False)
    assert (update.narrative_ky, update.narrative_ru) == ("Семинарлар өттү.", "Семинары проведены.")


def test_migration_copies_existing_narratives_into_english(reporting, report):
    """Text written before narratives were translatable is in the original column; the data
    migration copies it into the English (``LANGUAGE_CODE``) column, as for plan content."""
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    name = "0007_narratives_copy_to_default_language"
    migration = import_module(f"nap1325.monitoring.migrations.{name}")
    apps = MigrationExecutor(connection).loader.project_state(("monitoring", name)).apps
    updates = apps.get_model("monitoring", "ActionUpdate").objects.filter(report_id=report.pk)
    reports = apps.get_model("monitoring", "AgencyReport").objects.filter(pk=report.pk)
    updates.update(narrative="Old text", narrative_en=None)
    reports.update(narrative="", narrative_en=None)
    migration.copy_to_default_language(apps, None)
    migration.copy_to_default_language(apps, None)  # twice: nothing more changes
    assert ActionUpdate.objects.get(report=report, is_official=False).narrative_en == "Old text"
    assert AgencyReport.objects.get(pk=report.pk).narrative_en is None
