"""The stored assessments (assess on write, count on read; docs/decisions.md).

After every service that changes official values or an indicator's definition, the
``IndicatorAssessment`` table equals a fresh computation from the official values.
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from nap1325.monitoring import services
from nap1325.monitoring.dashboards import (
    _INDICATOR_FIELDS,
    ATTENTION,
    _dumped,
    _plan_today,
    _summaries,
)
from nap1325.monitoring.models import IndicatorAssessment
from nap1325.monitoring.services import ValueInput
from nap1325.plans import services as plan_services
from nap1325.plans.models import Indicator
from tests.monitoring.test_dashboards import approve, approve_updates, second_coordinator

pytestmark = pytest.mark.django_db


def fresh(plan) -> dict[int, tuple]:
    """Every indicator's assessment computed now from the official values."""
    from django.db.models import Exists, OuterRef

    from nap1325.plans.models import Breakdown

    rows = list(
        Indicator.objects.filter(plan=plan)
        .annotate(
            has_sex=Exists(
                Breakdown.objects.filter(indicator=OuterRef("pk"), dimensions__key="sex")
            )
        )
        .order_by("order", "id")
        .values(*_INDICATOR_FIELDS, "has_sex")
    )
    day = _plan_today(plan)
    return {
        summary.info.pk: (summary.status.value, ATTENTION[summary.status], _dumped(summary), day)
        for summary in _summaries(plan, rows, as_of=day, subset=False)
    }


def stored(plan) -> dict[int, tuple]:
    return {
        row.indicator_id: (row.status, row.attention, row.data, row.as_of)
        for row in IndicatorAssessment.objects.filter(plan=plan)
    }


def assert_fresh(plan, *indicators) -> None:
    table, now = stored(plan), fresh(plan)
    for indicator in indicators:
        assert table[indicator.pk] == now[indicator.pk], indicator.code


def test_approve_stores_the_assessment(reporting):
    r = reporting
    approve_updates(
        r,
        r.q1,
        r.ministry,
        {},
        {r.trained: ValueInput(value=Decimal(40)), r.law: ValueInput(yes_no=True)},
    )
    assert_fresh(r.plan, r.trained, r.law)
    row = IndicatorAssessment.objects.get(indicator=r.trained)
    assert Decimal(row.data["current"][0]) == 40 and row.achievement == Decimal(10)


def test_reopen_keeps_the_approved_assessment_until_the_correction_is_approved(reporting):
    r = reporting
    report = approve_updates(r, r.q1, r.ministry, {}, {r.trained: ValueInput(value=Decimal(40))})
    before = stored(r.plan)
    report = services.agency_report_reopen(
        actor=second_coordinator(r), report=report, version=report.version, reason="typo"
    )
    report = services.agency_report_save(
        actor=r.coordinator,
        report=report,
        version=report.version,
        values={r.trained.pk: ValueInput(value=Decimal(80))},
        updates={},
    )
    assert stored(r.plan) == before  # the correction is not official yet
    assert_fresh(r.plan, r.trained)
    report = services.agency_report_submit(
        actor=r.coordinator, report=report, version=report.version
    )
    services.agency_report_approve(
        actor=second_coordinator(r), report=report, version=report.version
    )
    value = IndicatorAssessment.objects.get(indicator=r.trained).data["current"][0]
    assert Decimal(value) == 80
    assert_fresh(r.plan, r.trained)


def test_import_stores_the_assessment(reporting):
    r = reporting
    approve(
        r, r.q1, r.ministry, {r.share: ValueInput(numerator=Decimal(1), denominator=Decimal(4))}
    )
    assert_fresh(r.plan, r.share)
    numerator, denominator = IndicatorAssessment.objects.get(indicator=r.share).data["current"][0]
    assert Decimal(numerator) / Decimal(denominator) == Decimal("0.25")


def test_target_change_stores_the_assessment(reporting):
    r = reporting
    approve(r, r.q1, r.ministry, {r.trained: ValueInput(value=Decimal(40))})
    plan_services.indicator_update(
        actor=r.coordinator, indicator=r.trained, target_value=Decimal(80), reason="revised"
    )
    assert_fresh(r.plan, r.trained)
    assert IndicatorAssessment.objects.get(indicator=r.trained).achievement == Decimal(50)


def test_rebuild_command_fills_the_table(reporting):
    r = reporting
    approve(r, r.q1, r.ministry, {r.trained: ValueInput(value=Decimal(40))})
    IndicatorAssessment.objects.all().delete()
    out = StringIO()
    call_command("refresh_assessments", r.plan.slug, stdout=out)
    count = Indicator.objects.filter(plan=r.plan).count()
    assert f"{count} indicator assessments stored" in out.getvalue()
    assert stored(r.plan) == fresh(r.plan)


def test_period_dates_change_stores_the_assessment(reporting):
    r = reporting
    import datetime as dt

    approve(
        r, r.q1, r.ministry, {r.share: ValueInput(numerator=Decimal(1), denominator=Decimal(4))}
    )
    approve(
        r, r.q2, r.ministry, {r.share: ValueInput(numerator=Decimal(3), denominator=Decimal(4))}
    )
    services.reporting_period_update(actor=r.coordinator, period=r.q2, end=dt.date(2019, 6, 29))
    assert_fresh(r.plan, r.share)
