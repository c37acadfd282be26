"""A coordinator builds part of the matrix in the browser; a focal point only reads it."""

from __future__ import annotations

from nap1325.core.models import AuditEvent
from nap1325.demo.loader import DEMO_PASSWORD, load_demo
from nap1325.plans.models import Action, BudgetLine, Indicator
from tests.browser.conftest import sign_in, sign_out

# The demo plan is in force: every change needs a reason (DESIGN.md §6).
REASON = "Agreed at the working-group meeting of 12 March 2019"


def test_coordinator_adds_action_indicator_budget_and_focal_point_cannot_edit(
    page, transactional_db
):
    load_demo()
    base = page.base_url
    sign_in(page, "coordinator", DEMO_PASSWORD)
    page.click(".card h2 a:has-text('National Action Plan of the Kyrgyz Republic')")
    page.wait_for_selector("h1:has-text('Implementation matrix')")

    # Add a measure under task 2.2 from the task's edit menu.
    task_row = page.locator("tr.result-row", has_text="Prevent violence against women and girls")
    task_row.locator("summary").click()
    task_row.locator("a", has_text="Add: Measure").click()
    page.fill("#id_code", "2.2.3")
    page.fill("#id_title_en", "Hotline for women and girls at risk of violence")
    page.select_option("#id_lead_agency", label="Ministry of Internal Affairs (MIA)")
    page.get_by_label("Association of Crisis Centres (ACC)").check()
    page.fill("#id_start", "2019-01-01")
    page.fill("#id_end", "2020-12-31")
    page.fill("#id_reason", REASON)
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Saved: 2.2.3")
    action = Action.objects.get(code="2.2.3", plan__slug="kg-nap-2018")

    # An indicator with a sex breakdown on the new measure.
    row = page.locator(f"#action-{action.pk}")
    row.locator("summary").click()
    row.locator("a", has_text="Add an indicator").click()
    page.fill("#id_code", "2.2.3a")
    page.fill("#id_title_en", "Calls answered by the hotline")
    page.fill("#id_unit_en", "calls")
    page.fill("#id_baseline_value", "0")
    page.fill("#id_target_value", "1500")
    page.fill("#id_breakdowns", "sex")
    page.fill("#id_reason", REASON)
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Saved: 2.2.3a")

    # A donor-funded budget line.
    row = page.locator(f"#action-{action.pk}")
    row.locator("summary").click()
    row.locator("a", has_text="Add a budget line").click()
    page.fill("#id_amount", "275000.50")
    page.select_option("#id_funding_source", "donor")
    page.select_option("#id_funder", label="UN Women")
    page.fill("#id_year", "2019")
    page.fill("#id_reason", REASON)
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Saved:")

    row = page.locator(f"#action-{action.pk}")
    text = row.inner_text()
    assert "Hotline for women and girls at risk of violence" in text
    assert "MIA" in text and "ACC" in text
    assert "2.2.3a" in text and "0 → 1,500 calls" in text and "by Sex" in text
    assert "275,000.50 KGS" in text and "Donor" in text
    indicator = Indicator.objects.get(code="2.2.3a")
    assert indicator.target_value == 1500
    assert [b.dimensions.get().key for b in indicator.breakdowns.all()] == ["sex"]
    assert str(BudgetLine.objects.get(action=action).amount) == "275000.50"
    created = AuditEvent.objects.get(event_type="action.created", object_id=str(action.pk))
    assert created.actor.username == "coordinator" and created.reason == REASON

    # The focal point sees the same matrix without any edit control.
    sign_out(page)
    sign_in(page, "focal", DEMO_PASSWORD)
    page.goto(f"{base}/en/plans/kg-nap-2018/")
    assert "Hotline for women and girls at risk of violence" in page.inner_text("main")
    assert page.locator("details.controls").count() == 0
    assert page.locator("text=Add: Objective").count() == 0
    assert page.locator(".row-controls").count() == 0
    assert page.locator("a[href*='/edit/']").count() == 0
