"""Issue 4, point 9: the secretary records a meeting with attendance and a decision that
creates a task; the task is in the work plan; the calendar feed holds it and parses with
icalendar; the digest job sends it to its owner once."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.core import mail

from nap1325.coordination import reminders
from nap1325.coordination.models import Attendance, Event, WorkPlanItem
from nap1325.coordination.services import today_in
from nap1325.core.models import Role
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, grant, make_plan

TASK = "Circulate the first draft of the NAP to all ministries"


def test_meeting_to_task_to_work_plan_to_feed_to_digest(page, transactional_db):
    plan = make_plan(slug="kg-nap-2018")
    ministry = OrganisationFactory(name="Ministry of Internal Affairs", acronym="MIA")
    secretary = UserFactory(username="secretary", display_name="Secretary of the group")
    grant(secretary, plan, ministry, Role.COORDINATOR)
    owner = UserFactory(
        username="aida", display_name="Aida, MIA", email="aida@example.org", reminders="daily"
    )
    grant(owner, plan, ministry, Role.FOCAL_POINT)
    due = today_in(plan) + dt.timedelta(days=3)
    base = f"{page.base_url}/en/plans/{plan.slug}"

    sign_in(page, "secretary", PASSWORD)

    # The meeting.
    page.goto(f"{base}/events/new/")
    page.select_option("#id_kind", "meeting")
    page.fill("#id_title_en", "Third meeting of the working group")
    page.fill("#id_start_date", "2012-09-12")
    page.fill("#id_end_date", "2012-09-12")
    page.fill("#id_place", "Bishkek")
    page.click("main button:has-text('Save')")
    page.wait_for_selector("h1:has-text('Third meeting of the working group')")
    event = Event.objects.get(plan=plan)

    # Attendance: the ministry's delegation, by sex.
    page.click("text=+ Add attendance")
    page.select_option("#id_org-organisation", label="Ministry of Internal Affairs (MIA)")
    page.fill("#id_org-women", "4")
    page.fill("#id_org-men", "3")
    page.locator("form", has=page.locator("#id_org-women")).locator(
        "button", has_text="Add"
    ).first.click()
    page.wait_for_selector("h1:has-text('Third meeting of the working group')")
    assert [(row.women, row.men) for row in Attendance.objects.filter(event=event)] == [(4, 3)]

    # Agenda item and the decided task.
    page.click("text=+ Add an agenda item")
    page.fill("#id_title", "Timetable for the first draft")
    page.click("main button:has-text('Save')")
    page.click("text=+ Record an outcome")
    page.check("input[name=kind][value=task]")
    page.fill("#id_text", "The draft goes to all ministries for comments.")
    page.fill("#id_task_title", TASK)
    page.select_option("#id_task_owner_user", value=str(owner.pk))
    page.fill("#id_task_due", due.isoformat())
    page.click("main button:has-text('Save')")
    page.wait_for_selector("text=in the work plan")
    task = WorkPlanItem.objects.get(plan=plan, title=TASK)

    # The work plan shows it, owned by Aida, linked to the meeting.
    page.click("text=in the work plan")
    row = page.locator(f"#item-{task.pk}")
    row.wait_for()
    assert TASK in row.inner_text()
    assert "Aida, MIA" in row.inner_text()
    assert row.locator("a", has_text="Third meeting of the working group").count() == 1

    # The calendar feed (no sign-in: the secret address) parses and holds task and meeting.
    page.click("text=Calendar feed")
    feed_url = page.input_value("#feed-url")
    response = page.context.request.get(feed_url)
    assert response.status == 200
    calendar = icalendar.Calendar.from_ical(response.body())
    entries = {str(entry["SUMMARY"]): entry for entry in calendar.walk("VEVENT")}
    assert entries[f"Due: {TASK}"].decoded("DTSTART") == due
    assert entries["Third meeting of the working group"].decoded("DTSTART") == dt.date(2012, 9, 12)
    assert f"work-plan-item-{task.pk}@{plan.slug}.nap1325" == str(entries[f"Due: {TASK}"]["UID"])

    # The digest job, twice on the same day: one e-mail, to the owner.
    mail.outbox.clear()
    reminders.send_digests()
    reminders.send_digests()
    assert [message.to for message in mail.outbox] == [["aida@example.org"]]
    assert TASK in mail.outbox[0].body
