"""Working-group, event and media pages through the web: who sees what, what a reader checks
(dates in the plan's zone, counts, shares of women, flags, links), bad input on the field,
query budgets that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nap1325.coordination import services
from nap1325.coordination.models import (
    AgendaItem,
    Attendance,
    Event,
    EventDocument,
    GroupMember,
    MediaItem,
    Outcome,
    WorkPlanItem,
)
from nap1325.core.models import Role
from tests.conftest import ALL_ROLES
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def group(plan, lead_ministry):
    return services.working_group_save(
        actor=None,
        plan=plan,
        name="Inter-Agency Working Group on the Elaboration of the NAP on UNSCR 1325",
        mandate="Draft the first National Action Plan.",
        legal_act_title="Decree of the Prime Minister",
        legal_act_number="281",
        legal_act_date=dt.date(2012, 6, 27),
        convening_authority="Prime Minister",
        lead_organisation=lead_ministry,
        secretariat=lead_ministry,
    )


@pytest.fixture
def members(group, lead_ministry):
    """Chair (woman), 2 women, 1 man, 1 not stated, 1 seat; 1 former member (man)."""
    add = services.group_member_add
    parliament = OrganisationFactory(name="Jogorku Kenesh", acronym="JK")
    return {
        "chair": add(
            actor=None,
            group=group,
            person_name="Deputy Minister of Internal Affairs",
            organisation=lead_ministry,
            role="chair",
            sex="woman",
            joined_on=dt.date(2012, 6, 27),
        ),
        "w1": add(
            actor=None, group=group, person_name="Aida", sex="woman", joined_on=dt.date(2012, 6, 27)
        ),
        "w2": add(
            actor=None,
            group=group,
            person_name="Bermet",
            sex="woman",
            joined_on=dt.date(2012, 7, 1),
        ),
        "m1": add(
            actor=None,
            group=group,
            person_name="Chyngyz",
            sex="man",
            joined_on=dt.date(2012, 6, 27),
        ),
        "u1": add(actor=None, group=group, person_name="Dana", joined_on=dt.date(2012, 6, 27)),
        "seat": add(
            actor=None, group=group, organisation=parliament, joined_on=dt.date(2012, 6, 27)
        ),
        "former": add(
            actor=None,
            group=group,
            person_name="Emil",
            sex="man",
            role="secretary",
            joined_on=dt.date(2012, 6, 27),
            left_on=dt.date(2012, 9, 1),
        ),
    }


@pytest.fixture
def seminar(plan, lead_ministry):
    event = services.event_create(
        actor=None,
        plan=plan,
        kind=Event.Kind.SEMINAR,
        title="Two-day seminar for members of the inter-agency working group",
        start_date=dt.date(2012, 7, 24),
        end_date=dt.date(2012, 7, 25),
        start_time=dt.time(9, 30),
        end_time=dt.time(17, 0),
        place="Bishkek",
        organisers=[lead_ministry],
        declared_participants=5,
    )
    return event


@pytest.fixture
def coordinator_client(login, coordinator):
    return login(coordinator)


def url(name: str, plan, *args: object) -> str:
    return reverse(f"coordination:{name}", args=[plan.slug, *args])


def text_of(response) -> str:
    """The page as a reader sees it: tags removed, entities decoded, spaces collapsed."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def field_errors(response, field: str, prefix: str = "") -> list[str]:
    name = f"{prefix}-{field}" if prefix else field
    page = response.content.decode()
    return [
        html.unescape(message)
        for message in re.findall(rf'<p class="error" id="id_{name}_error">(.*?)</p>', page)
    ]


# --------------------------------------------------------------------------- permissions

READ_PAGES = ["group", "events", "event", "media"]
EDIT_PAGES = ["group_edit", "event_edit", "event_create", "agenda_add", "attendance_add"]


def _page_url(name: str, plan, event) -> str:
    if name in {"event", "event_edit", "agenda_add", "attendance_add"}:
        return url(name, plan, event.pk)
    return url(name, plan)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_reads_and_who_edits(role, user_in_role, login, plan, group, seminar):
    client = login(user_in_role(role))
    member = role in Role.values or role == "admin"
    editor = role in {Role.COORDINATOR, "admin"}
    for name in READ_PAGES:
        status = client.get(_page_url(name, plan, seminar)).status_code
        expected = 200 if member else (302 if role == "anonymous" else 404)
        assert status == expected, (name, role)
    for name in EDIT_PAGES:
        status = client.get(_page_url(name, plan, seminar)).status_code
        if role == "anonymous":
            expected = 302
        elif role == "non_member":
            expected = 404
        else:
            expected = 200 if editor else 403
        assert status == expected, (name, role)


def test_edit_links_only_for_the_secretariat(login, member_factory, coordinator, plan, seminar):
    reader = login(member_factory(Role.PARTNER)).get(url("event", plan, seminar.pk))
    editor = login(coordinator).get(url("event", plan, seminar.pk))
    assert "/edit/" not in reader.content.decode()
    assert "/publish/" not in reader.content.decode()
    assert url("event_edit", plan, seminar.pk) in editor.content.decode()


def test_the_assigned_recorder_writes_minutes_other_members_may_not(
    login, member_factory, plan, seminar
):
    recorder = member_factory(Role.WORKING_GROUP_MEMBER)
    other = member_factory(Role.WORKING_GROUP_MEMBER)
    services.event_update(actor=None, event=seminar, minutes_recorder=recorder)
    seminar.refresh_from_db()
    assert login(other).get(url("event_minutes", plan, seminar.pk)).status_code == 403
    page = login(recorder).get(url("event", plan, seminar.pk))
    assert url("event_minutes", plan, seminar.pk) in page.content.decode()
    response = login(recorder).post(
        url("event_minutes", plan, seminar.pk),
        {"minutes": "Opened by the chair.", "version": seminar.version},
    )
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert seminar.minutes == "Opened by the chair."
    # the recorder still may not edit the event itself
    assert login(recorder).get(url("event_edit", plan, seminar.pk)).status_code == 403


def test_events_of_another_plan_answer_404(login, coordinator, plan, seminar):
    from tests.factories import make_plan

    other = make_plan(slug="other-plan")
    client = login(coordinator)
    assert client.get(url("event", other, seminar.pk)).status_code == 404  # not a member
    admin = UserFactory(is_superuser=True)
    assert login(admin).get(url("event", other, seminar.pk)).status_code == 404  # wrong plan


# --------------------------------------------------------------------------- working group


def test_group_page_shows_the_legal_act_members_counts_and_history(
    coordinator_client, plan, members
):
    response = coordinator_client.get(url("group", plan))
    page = text_of(response)
    assert "Decree of the Prime Minister No. 281 of 27 June 2012" in page
    assert "Convened by Prime Minister" in page
    assert "Chair Deputy Minister of Internal Affairs, Ministry of Internal Affairs (MIA)" in page
    # 6 current: 3 women, 1 man, 1 not stated, 1 seat; the former secretary is not counted
    assert (
        "6 current members — women: 3, men: 1, sex not stated: 1, organisations' seats: 1." in page
    )
    assert "Share of women among members whose sex is known: 75 % (3/4)" in page
    former = page.split("Former members", 1)[1]
    assert "Emil Secretary" in former and "27 Jun 2012 1 Sep 2012" in former
    history = page.split("History of the group", 1)[1]
    assert history.index("1 Jul 2012 Bermet — joined as Member") < history.index(
        "1 Sep 2012 Emil — left the group"
    )


def test_group_page_without_a_group_offers_to_set_it_up(coordinator_client, login, plan):
    page = coordinator_client.get(url("group", plan)).content.decode()
    assert "No working group is recorded" in page
    assert url("group_edit", plan) in page
    response = coordinator_client.post(
        url("group_edit", plan), {"name_en": "Inter-agency working group", "legal_act_date": ""}
    )
    assert response.status_code == 302
    assert plan.working_group.name == "Inter-agency working group"


def test_add_a_member_then_record_the_departure(coordinator_client, plan, group, lead_ministry):
    response = coordinator_client.post(
        url("member_add", plan),
        {
            "person_name": "Gulnara",
            "organisation": lead_ministry.pk,
            "role": "deputy",
            "sex": "woman",
            "joined_on": "2012-06-27",
        },
    )
    assert response.status_code == 302
    member = GroupMember.objects.get(person_name="Gulnara")
    bad = coordinator_client.post(url("member_leave", plan, member.pk), {"left_on": "2012-01-01"})
    assert bad.status_code == 400
    assert field_errors(bad, "left_on") == ["A member cannot leave before joining."]
    member.refresh_from_db()
    assert member.left_on is None
    ok = coordinator_client.post(url("member_leave", plan, member.pk), {"left_on": "2013-03-01"})
    assert ok.status_code == 302
    page = text_of(coordinator_client.get(url("group", plan)))
    assert "1 Mar 2013 Gulnara, Ministry of Internal Affairs (MIA) — left the group" in page
    assert "Gulnara" in page.split("Former members", 1)[1]


def test_a_member_needs_a_person_or_an_organisation(coordinator_client, plan, group):
    response = coordinator_client.post(
        url("member_add", plan), {"role": "member", "sex": "unspecified", "joined_on": "2012-06-27"}
    )
    assert response.status_code == 400
    assert field_errors(response, "person_name") == ["Name a person or choose an organisation."]
    assert not GroupMember.objects.exists()


# --------------------------------------------------------------------------- events


def test_event_page_shows_local_dates_with_the_zone_and_the_organisers(
    coordinator_client, plan, seminar
):
    page = text_of(coordinator_client.get(url("event", plan, seminar.pk)))
    assert "24–25 July 2012, 09:30–17:00 (local time, Asia/Bishkek)" in page
    assert "Bishkek" in page
    assert "Organisers Ministry of Internal Affairs (MIA)" in page
    assert "internal" in page


def test_a_study_visit_shows_host_and_visiting_country(coordinator_client, plan):
    response = coordinator_client.post(
        url("event_create", plan),
        {
            "kind": "study_visit",
            "title_en": "Visit of the Georgian delegation",
            "start_date": "2012-07-23",
            "end_date": "2012-07-24",
            "host_country": "kg",
            "visiting_country": "GE",
            "delegation": "Deputy Speaker of the Parliament of Georgia",
        },
    )
    assert response.status_code == 302, text_of(response)
    event = Event.objects.get()
    page = text_of(coordinator_client.get(url("event", plan, event.pk)))
    assert "Host country Kyrgyzstan (KG)" in page
    assert "Visiting country Georgia (GE)" in page
    assert "Delegation Deputy Speaker of the Parliament of Georgia" in page
    assert "(local time, Asia/Bishkek; all day)" in page


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        (
            {"start_date": "2012-07-25", "end_date": "2012-07-24"},
            "end_date",
            "The event ends before it starts.",
        ),
        (
            {
                "start_date": "2012-07-25",
                "end_date": "2012-07-25",
                "start_time": "15:00",
                "end_time": "10:00",
            },
            "end_time",
            "The event ends before it starts.",
        ),
        (
            {"start_date": "2012-07-25", "end_date": "25/07/2012x"},
            "end_date",
            "Enter a valid date.",
        ),
        (
            {"start_date": "2012-07-25", "end_date": "2012-07-25", "declared_participants": "-3"},
            "declared_participants",
            "Ensure this value is greater than or equal to 0.",
        ),
    ],
)
def test_bad_event_input_is_refused_on_the_field(coordinator_client, plan, posted, field, message):
    response = coordinator_client.post(
        url("event_create", plan), {"kind": "meeting", "title_en": "Meeting", **posted}
    )
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert not Event.objects.exists()


def test_publish_and_make_internal(coordinator_client, login, member_factory, plan, seminar):
    member = login(member_factory(Role.WORKING_GROUP_MEMBER))
    assert (
        member.post(url("event_publish", plan, seminar.pk), {"published": "1"}).status_code == 403
    )
    assert coordinator_client.get(url("event_publish", plan, seminar.pk)).status_code == 405
    coordinator_client.post(url("event_publish", plan, seminar.pk), {"published": "1"})
    seminar.refresh_from_db()
    assert seminar.is_published
    listing = text_of(coordinator_client.get(url("events", plan)))
    assert "Two-day seminar for members of the inter-agency working group published" in listing
    coordinator_client.post(url("event_publish", plan, seminar.pk), {"published": "0"})
    seminar.refresh_from_db()
    assert not seminar.is_published


def test_events_list_upcoming_past_kind_filter_and_year_summary(coordinator_client, plan, seminar):
    today = services.today_in(plan)
    upcoming = services.event_create(
        actor=None,
        plan=plan,
        kind="meeting",
        title="Next meeting",
        start_date=today + dt.timedelta(days=3),
        end_date=today + dt.timedelta(days=3),
    )
    meeting = services.event_create(
        actor=None,
        plan=plan,
        kind="meeting",
        title="First meeting",
        start_date=dt.date(2012, 7, 2),
        end_date=dt.date(2012, 7, 2),
    )
    services.attendance_add(
        actor=None, event=seminar, organisation=seminar.organisers.get(), women=3, men=1
    )
    services.attendance_add(actor=None, event=seminar, person_name="Observer", unspecified=1)
    services.attendance_add(actor=None, event=meeting, person_name="Aida", women=1)
    services.attendance_add(actor=None, event=meeting, person_name="Chyngyz", men=1)
    page = text_of(coordinator_client.get(url("events", plan)))
    upcoming_part, past_part = page.split("Upcoming", 1)[1].split("Past", 1)
    assert "Next meeting" in upcoming_part and "First meeting" not in upcoming_part
    assert past_part.index("Two-day seminar") < past_part.index("First meeting")  # latest first
    # 2012: 2 events, 6 listed: 4 women, 2 men, 1 not stated → 4/6 = 66.7 %
    assert "2012 2 7 4 2 1 66.7 % (4/6)" in page
    filtered = text_of(coordinator_client.get(url("events", plan) + "?kind=seminar"))
    assert "First meeting" not in filtered and "Two-day seminar" in filtered
    assert upcoming.title not in filtered
    # an unknown kind is ignored, not an error
    assert coordinator_client.get(url("events", plan) + "?kind=<script>").status_code == 200


# --------------------------------------------------------------------------- agenda, outcomes


def test_outcomes_information_decision_and_task_linked_to_the_work_plan(
    coordinator_client, plan, seminar, lead_ministry
):
    response = coordinator_client.post(url("agenda_add", plan, seminar.pk), {"title": "Work plan"})
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    post = lambda data: coordinator_client.post(  # noqa: E731
        url("outcome_add", plan, seminar.pk, item.pk), data
    )
    assert post({"kind": "information", "text": "Georgia presented its NAP."}).status_code == 302
    assert (
        post(
            {"kind": "decision", "text": "Adopt the work plan.", "adopted_by": "the working group"}
        ).status_code
        == 302
    )
    response = post(
        {
            "kind": "task",
            "text": "Prepare the first draft of the NAP",
            "task_owner_organisation": lead_ministry.pk,
            "task_due": "2012-10-31",
        }
    )
    assert response.status_code == 302
    task = WorkPlanItem.objects.get()
    assert task.title == "Prepare the first draft of the NAP"
    assert task.due == dt.date(2012, 10, 31)
    assert task.source_outcome.agenda_item.event == seminar
    page = coordinator_client.get(url("event", plan, seminar.pk))
    assert f'href="/en/plans/{plan.slug}/work-plan/#item-{task.pk}"' in page.content.decode()
    text = text_of(page)
    assert "Information Georgia presented its NAP." in text
    assert "Decision Adopt the work plan. Adopted by: the working group" in text
    assert (
        "Task Prepare the first draft of the NAP Owner: Ministry of Internal Affairs (MIA) · "
        "due 31 Oct 2012 · To do · in the work plan"
    ) in text


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"task_due": "2012-10-31"}, "task_owner_organisation", "Name who owns the task."),
        ({"task_owner_organisation": "OWNER"}, "task_due", "Give the task's due date."),
        (
            {"task_owner_organisation": "OWNER", "task_due": "31 Oct"},
            "task_due",
            "Enter a valid date.",
        ),
    ],
)
def test_a_task_without_owner_or_due_date_saves_nothing(
    coordinator_client, plan, seminar, lead_ministry, posted, field, message
):
    item = services.agenda_item_add(actor=None, event=seminar, title="Work plan")
    data = {"kind": "task", "text": "Prepare the first draft"}
    data.update({k: (lead_ministry.pk if v == "OWNER" else v) for k, v in posted.items()})
    response = coordinator_client.post(url("outcome_add", plan, seminar.pk, item.pk), data)
    assert response.status_code == 400
    assert field_errors(response, field) == [message]
    assert not Outcome.objects.exists() and not WorkPlanItem.objects.exists()


def test_a_task_due_before_the_drafting_began_is_saved_with_a_warning(
    coordinator_client, plan, group, seminar, lead_ministry
):
    item = services.agenda_item_add(actor=None, event=seminar, title="Work plan")
    response = coordinator_client.post(
        url("outcome_add", plan, seminar.pk, item.pk),
        {
            "kind": "task",
            "text": "Collect the ministries' proposals",
            "task_owner_organisation": lead_ministry.pk,
            "task_due": "2012-06-01",
        },
        follow=True,
    )
    assert "Due before the drafting began (2012-06-27)." in text_of(response)
    assert WorkPlanItem.objects.count() == 1


def test_agenda_items_with_outcomes_cannot_be_removed(coordinator_client, plan, seminar):
    empty = services.agenda_item_add(actor=None, event=seminar, title="Any other business")
    used = services.agenda_item_add(actor=None, event=seminar, title="Work plan")
    services.outcome_record(actor=None, agenda_item=used, kind="information", text="Noted.")
    refused = coordinator_client.post(url("agenda_remove", plan, seminar.pk, used.pk))
    assert refused.status_code == 400
    assert "has recorded outcomes" in text_of(refused)
    assert (
        coordinator_client.post(url("agenda_remove", plan, seminar.pk, empty.pk)).status_code == 302
    )
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Work plan"]


# --------------------------------------------------------------------------- attendance


def test_attendance_by_person_and_by_organisation_with_totals_share_and_flag(
    coordinator_client, plan, seminar, organisations
):
    add = lambda data: coordinator_client.post(  # noqa: E731
        url("attendance_add", plan, seminar.pk), data
    )
    assert (
        add({"mode": "person", "person-person_name": "Aida", "person-sex": "woman"}).status_code
        == 302
    )
    assert (
        add(
            {
                "mode": "organisation",
                "org-organisation": organisations["OSCE"].pk,
                "org-women": "2",
                "org-men": "3",
                "org-unspecified": "1",
            }
        ).status_code
        == 302
    )
    page = text_of(coordinator_client.get(url("event", plan, seminar.pk)))
    # 7 listed, 5 declared: flagged, not refused
    assert "The organisers declared 5 participants; the attendance list counts 7." in page
    assert (
        "7 participants — women: 3, men: 3, sex not stated: 1 · "
        "share of women: 50 % (3/6) · declared: 5"
    ) in page
    assert "Total 3 3 1 7" in page
    listing = text_of(coordinator_client.get(url("events", plan)))
    assert "the attendance list counts 7" in listing


@pytest.mark.parametrize(
    ("posted", "field", "prefix", "message"),
    [
        (
            {"mode": "person", "person-sex": "woman"},
            "person_name",
            "person",
            "This field is required.",
        ),
        (
            {"mode": "person", "person-person_name": "Aida"},
            "sex",
            "person",
            "This field is required.",
        ),
        (
            {
                "mode": "organisation",
                "org-organisation": "ORG",
                "org-women": "0",
                "org-men": "0",
                "org-unspecified": "0",
            },
            "women",
            "org",
            "Count at least one participant.",
        ),
        (
            {
                "mode": "organisation",
                "org-organisation": "ORG",
                "org-women": "-1",
                "org-men": "0",
                "org-unspecified": "0",
            },
            "women",
            "org",
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            {
                "mode": "organisation",
                "org-organisation": "ORG",
                "org-women": "two",
                "org-men": "0",
                "org-unspecified": "0",
            },
            "women",
            "org",
            "Enter a whole number.",
        ),
    ],
)
def test_bad_attendance_rows_are_refused_on_the_field(
    coordinator_client, plan, seminar, lead_ministry, posted, field, prefix, message
):
    data = {k: (lead_ministry.pk if v == "ORG" else v) for k, v in posted.items()}
    response = coordinator_client.post(url("attendance_add", plan, seminar.pk), data)
    assert response.status_code == 400
    assert field_errors(response, field, prefix) == [message]
    assert not Attendance.objects.exists()


# --------------------------------------------------------------------------- documents


def test_upload_download_and_remove_a_document(
    coordinator_client, login, member_factory, plan, seminar
):
    upload = SimpleUploadedFile("agenda.pdf", PDF, content_type="application/pdf")
    response = coordinator_client.post(
        url("document_add", plan, seminar.pk), {"title": "Agenda of the seminar", "file": upload}
    )
    assert response.status_code == 302
    document = EventDocument.objects.get()
    assert document.original_name == "agenda.pdf" and document.size == len(PDF)
    assert not document.file.name.endswith("agenda.pdf")  # stored under a random name
    partner = login(member_factory(Role.PARTNER))
    download = partner.get(url("document", plan, seminar.pk, document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="agenda.pdf"' in download["Content-Disposition"]
    outsider = login(UserFactory())
    assert outsider.get(url("document", plan, seminar.pk, document.pk)).status_code == 404
    assert (
        coordinator_client.post(url("document_remove", plan, seminar.pk, document.pk)).status_code
        == 302
    )
    assert not EventDocument.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "Files of this type are not accepted."),
        (
            "report.pdf",
            b"MZ\x90\x00renamed executable",
            "The content of this file is not a .pdf file",
        ),
        ("notes.txt", b"\x00\x01binary", "This file is not a text file"),
        ("big.pdf", PDF + b"x" * 200, "The file is too large"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_bad_documents_are_refused_on_the_field(
    coordinator_client, settings, plan, seminar, name, content, message
):
    settings.NAP1325_EVIDENCE_MAX_BYTES = 100
    upload = SimpleUploadedFile(name, content)
    response = coordinator_client.post(url("document_add", plan, seminar.pk), {"file": upload})
    assert response.status_code == 400
    errors = field_errors(response, "file")
    assert len(errors) == 1 and errors[0].startswith(message), errors
    assert not EventDocument.objects.exists()
    stored = list(settings.MEDIA_ROOT.rglob("*.*")) if settings.MEDIA_ROOT.exists() else []
    assert stored == []


# --------------------------------------------------------------------------- minutes

HOSTILE = """# Minutes of the seminar

<script>alert('x')</script>
Opened by **the chair**. See [the decree](https://example.org/decree) and
[click me](javascript:alert(1)) <a href="https://evil.example" onclick="steal()">here</a>
<img src=x onerror="alert(2)"> <div style="position:fixed" onmouseover="alert(3)">cover</div>
<iframe src="https://evil.example"></iframe>
"""


def test_minutes_are_rendered_from_markdown_and_sanitised(coordinator_client, plan, seminar):
    response = coordinator_client.post(
        url("event_minutes", plan, seminar.pk), {"minutes": HOSTILE, "version": seminar.version}
    )
    assert response.status_code == 302
    page = coordinator_client.get(url("event", plan, seminar.pk)).content.decode()
    minutes = page.split('<div class="coord-prose coord-minutes">', 1)[1].split("</div>", 1)[0]
    assert "<h1>Minutes of the seminar</h1>" in minutes
    assert "<strong>the chair</strong>" in minutes
    assert (
        '<a href="https://example.org/decree" rel="noopener noreferrer nofollow">the decree</a>'
        in minutes
    )
    lowered = minutes.lower()
    for forbidden in (
        "<script",
        "alert(",
        "javascript:",
        "onclick",
        "onerror",
        "onmouseover",
        "<iframe",
        "style=",
        "<img",
    ):
        assert forbidden not in lowered, forbidden
    for link in re.findall(r"<a [^>]*>", minutes):
        assert 'rel="noopener noreferrer nofollow"' in link


def test_a_stale_minutes_save_shows_the_conflict_and_keeps_the_text(
    coordinator_client, login, member_factory, plan, seminar
):
    opened_version = seminar.version
    services.event_minutes_save(
        actor=None, event=seminar, minutes="Saved by a colleague.", version=opened_version
    )
    response = coordinator_client.post(
        url("event_minutes", plan, seminar.pk),
        {"minutes": "My long careful draft", "version": opened_version},
    )
    assert response.status_code == 400
    assert field_errors(response, "minutes") == [
        "Someone else changed this event since you opened it. Reload the page and enter your "
        "changes again."
    ]
    assert "My long careful draft</textarea>" in response.content.decode()
    seminar.refresh_from_db()
    assert seminar.minutes == "Saved by a colleague."


# --------------------------------------------------------------------------- media


@pytest.mark.parametrize(
    "bad_url",
    [
        "javascript:alert(1)",
        "knews.kg/article",
        "ftp://knews.kg/a",
        "https://",
        "http://exa mple.kg",
    ],
)
def test_malformed_media_urls_are_refused(coordinator_client, plan, bad_url):
    response = coordinator_client.post(
        url("media_add", plan), {"url": bad_url, "outlet": "knews.kg", "language": "ru"}
    )
    assert response.status_code == 400
    assert field_errors(response, "url")
    assert not MediaItem.objects.exists()


def test_media_items_are_plain_links_per_event_and_per_plan(coordinator_client, plan, seminar):
    response = coordinator_client.post(
        url("media_add", plan) + f"?event={seminar.pk}",
        {
            "event": seminar.pk,
            "url": 'https://kabar.kg/news/seminar?a=1&b="2"',
            "outlet": "kabar.kg",
            "title": "<b>Seminar</b> on 1325 <script>x()</script>",
            "language": "EN",
            "published_on": "2012-07-24",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/events/{seminar.pk}/#media")
    item = MediaItem.objects.get()
    assert item.language == "en"
    for page in (
        coordinator_client.get(url("event", plan, seminar.pk)),
        coordinator_client.get(url("media", plan)),
    ):
        content = page.content.decode()
        assert (
            '<a href="https://kabar.kg/news/seminar?a=1&amp;b=&quot;2&quot;" '
            'rel="noopener noreferrer nofollow">&lt;b&gt;Seminar&lt;/b&gt; on 1325'
        ) in content
        assert "<script>x()" not in content
        assert "24 Jul 2012" in text_of(page)


def test_a_media_item_without_url_and_a_bad_language(coordinator_client, plan):
    bad = coordinator_client.post(
        url("media_add", plan), {"outlet": "kant.kg", "language": "Russian language"}
    )
    assert bad.status_code == 400
    assert field_errors(bad, "language")
    ok = coordinator_client.post(url("media_add", plan), {"outlet": "kant.kg", "language": "ru"})
    assert ok.status_code == 302
    assert "kant.kg" in text_of(coordinator_client.get(url("media", plan)))


# --------------------------------------------------------------------------- query budgets


def _fill_group(group, count: int) -> None:
    GroupMember.objects.bulk_create(
        GroupMember(
            group=group,
            person_name=f"Member {n}",
            organisation=group.lead_organisation,
            sex="woman" if n % 2 else "man",
            joined_on=dt.date(2012, 6, 27),
            left_on=dt.date(2012, 12, 1) if n % 5 == 0 else None,
        )
        for n in range(count)
    )


def _fill_event(event, count: int, lead) -> None:
    items = AgendaItem.objects.bulk_create(
        AgendaItem(event=event, order=n, title=f"Item {n}") for n in range(count)
    )
    for item in items[:count]:
        services.outcome_record(
            actor=None,
            agenda_item=item,
            kind="task",
            text=f"Task of {item.title}",
            task={"due": dt.date(2012, 10, 31), "owner_organisation": lead},
        )
    Attendance.objects.bulk_create(
        Attendance(event=event, person_name=f"Person {n}", women=1) for n in range(count)
    )
    MediaItem.objects.bulk_create(
        MediaItem(plan=event.plan, event=event, outlet=f"outlet {n}", url="https://example.org/")
        for n in range(count)
    )


@pytest.mark.parametrize("count", [3, 60])
def test_group_page_query_budget(
    coordinator_client, plan, group, count, django_assert_max_num_queries
):
    _fill_group(group, count)
    with django_assert_max_num_queries(6):
        response = coordinator_client.get(url("group", plan))
    assert response.status_code == 200
    assert f"Member {count - 1}" in response.content.decode()


@pytest.mark.parametrize("count", [3, 60])
def test_events_list_query_budget(
    coordinator_client, plan, lead_ministry, count, django_assert_max_num_queries
):
    for n in range(count):
        event = Event.objects.create(
            plan=plan,
            title=f"Meeting {n}",
            start_date=dt.date(2012, 7, 1) + dt.timedelta(days=n),
            end_date=dt.date(2012, 7, 1) + dt.timedelta(days=n),
        )
        Attendance.objects.create(event=event, organisation=lead_ministry, women=2, men=1)
    with django_assert_max_num_queries(5):
        response = coordinator_client.get(url("events", plan))
    assert response.status_code == 200
    assert f"Meeting {count - 1}" in response.content.decode()


@pytest.mark.parametrize("count", [3, 60])
def test_event_page_query_budget(
    coordinator_client, plan, seminar, lead_ministry, count, django_assert_max_num_queries
):
    _fill_event(seminar, count, lead_ministry)
    with django_assert_max_num_queries(12):
        response = coordinator_client.get(url("event", plan, seminar.pk))
    assert response.status_code == 200
    text = text_of(response)
    assert f"Task of Item {count - 1}" in text
    assert f"{count} participants — women: {count}, men: 0" in text


def test_media_list_query_budget(
    coordinator_client, plan, seminar, lead_ministry, django_assert_max_num_queries
):
    _fill_event(seminar, 30, lead_ministry)
    with django_assert_max_num_queries(5):
        response = coordinator_client.get(url("media", plan))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("start", "end", "start_time", "end_time", "shown"),
    [
        (
            "2012-07-24",
            "2012-07-24",
            None,
            None,
            "24 July 2012 (local time, Asia/Bishkek; all day)",
        ),
        (
            "2012-07-24",
            "2012-07-24",
            "10:00",
            None,
            "24 July 2012, 10:00 (local time, Asia/Bishkek)",
        ),
        ("2012-07-24", "2012-07-25", None, None, "24–25 July 2012 (local time"),
        ("2012-07-30", "2012-08-02", None, None, "30 July 2012 – 2 August 2012 (local time"),
        (
            "2012-12-31",
            "2013-01-01",
            "18:00",
            "12:00",
            "31 December 2012 – 1 January 2013, 18:00–12:00",
        ),
    ],
)
def test_event_dates_as_a_reader_sees_them(
    coordinator_client, plan, start, end, start_time, end_time, shown
):
    event = services.event_create(
        actor=None,
        plan=plan,
        title="Meeting",
        start_date=dt.date.fromisoformat(start),
        end_date=dt.date.fromisoformat(end),
        start_time=dt.time.fromisoformat(start_time) if start_time else None,
        end_time=dt.time.fromisoformat(end_time) if end_time else None,
    )
    assert shown in text_of(coordinator_client.get(url("event", plan, event.pk)))
