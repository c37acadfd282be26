"""In the browser: the secretary records a meeting — agenda, a task decided there (which
enters the work plan), attendance, minutes with hostile HTML that never runs."""

from __future__ import annotations

import pytest

from nap1325.coordination.models import Event, WorkPlanItem
from nap1325.demo.loader import DEMO_PASSWORD, load_demo
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_secretary_records_a_meeting_from_agenda_to_work_plan(page, transactional_db):
    load_demo()
    base = page.base_url
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, "coordinator", DEMO_PASSWORD)
    page.goto(f"{base}/en/plans/kg-nap-2018/events/")
    page.click("text=+ Add an event")
    page.select_option("#id_kind", "meeting")
    page.fill("#id_title_en", "Third meeting of the working group")
    page.fill("#id_start_date", "2012-09-12")
    page.fill("#id_end_date", "2012-09-12")
    page.fill("#id_start_time", "10:00")
    page.fill("#id_end_time", "13:00")
    page.fill("#id_place", "Bishkek, Government House")
    page.fill("#id_declared_participants", "3")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('Third meeting of the working group')")
    assert "12 September 2012, 10:00–13:00" in page.inner_text(".coord-when")
    assert "Asia/Bishkek" in page.inner_text(".coord-when")

    page.click("text=+ Add an agenda item")
    page.fill("#id_title", "First draft of the NAP")
    page.click("button:has-text('Save')")
    page.click("text=+ Record an outcome")
    page.check("input[name=kind][value=task]")
    page.fill("#id_text", "Circulate the first draft to the ministries")
    page.select_option("#id_task_owner_organisation", label="Ministry of Internal Affairs (MIA)")
    page.fill("#id_task_due", "2012-10-15")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=in the work plan")
    task = WorkPlanItem.objects.get(title="Circulate the first draft to the ministries")

    page.click("text=+ Add attendance")
    page.fill("#id_person-person_name", "Aida Sultanova")
    page.select_option("#id_person-sex", "woman")
    page.click("form:has(input[value=person]) button:has-text('Add and add another')")
    page.wait_for_selector("text=Added: Aida Sultanova")
    page.select_option("#id_org-organisation", label="Ministry of Internal Affairs (MIA)")
    page.fill("#id_org-women", "1")
    page.fill("#id_org-men", "2")
    page.click("form:has(input[value=organisation]) button:text-is('Add')")
    page.wait_for_selector("#attendance")
    attendance = page.inner_text("#attendance").replace("\N{NO-BREAK SPACE}", " ")
    assert "4 participants — women: 2, men: 2 · share of women: 50 % (2/4)" in attendance
    assert "The organisers declared 3 participants; the attendance list counts 4." in attendance

    page.click("text=Write the minutes")
    page.fill(
        "#id_minutes",
        "**Opened** by the chair.\n\n<script>alert('minutes')</script>"
        '<img src=x onerror="alert(1)"> [link](javascript:alert(2))',
    )
    page.click("button:has-text('Save')")
    page.wait_for_selector(".coord-minutes strong:has-text('Opened')")
    page.click(".coord-minutes a")  # the javascript: link lost its address: nothing runs
    assert dialogs == []

    page.click("text=in the work plan")
    page.wait_for_url(f"**/work-plan/#item-{task.pk}")
    assert "Circulate the first draft" in page.inner_text(f"#item-{task.pk}")
    event = Event.objects.get(title="Third meeting of the working group")
    assert task.source_outcome.agenda_item.event == event
