"""Issue 3 point 8: a report with a sex breakdown goes round the review cycle in a browser.

The focal point fills in a report with a sex breakdown (totals and completeness update as
they type) and submits; the coordinator returns it with a reason; the focal point sees the
reason, corrects and resubmits; the coordinator approves; the indicator's dashboard then
shows the new, official value.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from nap1325.monitoring.models import AgencyReport, IndicatorValue
from tests.browser.conftest import sign_in, sign_out
from tests.factories import PASSWORD
from tests.monitoring.conftest import reporting  # noqa: F401  (fixture)

REASON = "The men's figure does not match the training register; please check it."


def test_report_returned_corrected_and_approved_reaches_the_dashboard(
    page,
    transactional_db,
    reporting,  # noqa: F811
):
    base = page.base_url
    trained = reporting.trained
    breakdown = trained.breakdowns.get()
    value_id = f"#id_i{trained.pk}-value"
    women_id = f"#id_i{trained.pk}-cell-{breakdown.pk}-women"
    men_id = f"#id_i{trained.pk}-cell-{breakdown.pk}-men"
    completeness = page.locator(f"#indicator-{trained.pk} [data-completeness]")
    reports = f"{base}{reverse('monitoring:index', args=[reporting.plan.slug])}"

    # The focal point starts the 2019 Q1 report and types a total with a sex breakdown.
    sign_in(page, reporting.focal_point.username, PASSWORD)
    page.goto(reports)
    page.locator("tr", has_text="2019 Q1").locator("button:has-text('Start the report')").click()
    page.wait_for_selector("h1:has-text('report for 2019 Q1')")
    page.fill(value_id, "120")
    page.fill(women_id, "70")
    page.fill(men_id, "45")
    assert completeness.inner_text() == "sex breakdown incomplete: 115 of 120"
    page.fill(men_id, "50")
    assert completeness.inner_text() == "sex breakdown complete: 120 of 120"
    assert page.locator(f"#indicator-{trained.pk} [data-row-total='0']").inner_text() == "120"
    page.click("button:has-text('Submit for review')")
    page.wait_for_selector("text=The report is submitted for review.")
    assert page.locator("form.report-form").count() == 0  # read-only now
    report = AgencyReport.objects.get(period=reporting.q1, organisation=reporting.ministry)
    assert report.state == AgencyReport.State.SUBMITTED
    sign_out(page)

    # The coordinator returns it with a reason.
    sign_in(page, reporting.coordinator.username, PASSWORD)
    page.goto(reports)
    page.locator("#queue ~ div tr", has_text="Ministry of Education").locator(
        "a:has-text('Review')"
    ).click()
    page.wait_for_selector("th:has-text('Pending — not official')")
    page.click("button:has-text('Return for revision')")  # no reason: refused on the field
    page.wait_for_selector("text=Say why the report is returned.")
    page.fill("#return-reason", REASON)
    page.click("button:has-text('Return for revision')")
    page.wait_for_selector("text=Returned to the agency with your reason.")
    sign_out(page)

    # The focal point sees the reason, corrects the breakdown and resubmits.
    sign_in(page, reporting.focal_point.username, PASSWORD)
    page.goto(reports)
    page.locator("tr", has_text="2019 Q1").locator("a:has-text('Fill in')").click()
    assert REASON in page.locator(".return-reason").inner_text()
    assert page.input_value(men_id) == "50"
    page.fill(value_id, "122")
    page.fill(men_id, "52")
    assert completeness.inner_text() == "sex breakdown complete: 122 of 122"
    page.click("button:has-text('Submit for review')")
    page.wait_for_selector("text=The report is submitted for review.")
    sign_out(page)

    # The coordinator approves; the values become official.
    sign_in(page, reporting.coordinator.username, PASSWORD)
    page.goto(reports)
    page.locator("#queue ~ div tr", has_text="Ministry of Education").locator(
        "a:has-text('Review')"
    ).click()
    page.click("button:has-text('Approve')")
    page.wait_for_selector("text=Approved: the values are now official.")
    official = IndicatorValue.objects.get(report=report, indicator=trained, is_official=True)
    assert official.value == Decimal(122)

    # The indicator's dashboard shows the new value.
    page.goto(f"{base}{reverse('dashboards:indicator', args=[reporting.plan.slug, trained.pk])}")
    assert "Approved values only" in page.locator("main").inner_text()
    rows = page.locator("main tr", has_text="2019 Q1")
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    assert any("122" in row for row in cells), cells
    # The approved breakdown: 70 women, 52 men, 122 in all.
    assert any({"70", "52", "122"} <= set(row) for row in cells), cells
