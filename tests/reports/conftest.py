"""A plan with approved, submitted-not-approved and budget data for progress reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from nap1325.monitoring import services
from nap1325.monitoring.models import AgencyReport
from nap1325.monitoring.services import UpdateInput, ValueInput
from tests.factories import budget
from tests.monitoring.conftest import Reporting, reporting  # noqa: F401 - the shared fixture


@dataclass
class ReportData:
    """``reporting`` with Q1 and Q2 approved, a submitted Q2 value (999) not approved."""

    r: Reporting


def _colleague(r: Reporting):
    from nap1325.core.models import Role
    from tests.factories import UserFactory, grant

    colleague = UserFactory(username="secretariat-2")
    grant(colleague, r.plan, r.coordinator.memberships.first().organisation, Role.COORDINATOR)
    return colleague


def approve(r: Reporting, period, organisation, values, updates, approver) -> AgencyReport:
    report = services.agency_report_open(
        actor=r.coordinator, period=period, organisation=organisation
    )
    report = services.agency_report_save(
        actor=r.coordinator,
        report=report,
        version=report.version,
        values={indicator.pk: value for indicator, value in values.items()},
        updates={action.pk: update for action, update in updates.items()},
    )
    report = services.agency_report_submit(
        actor=r.coordinator, report=report, version=report.version
    )
    return services.agency_report_approve(actor=approver, report=report, version=report.version)


@pytest.fixture
def report_data(reporting) -> ReportData:  # noqa: F811
    """Q1 and Q2 approved for the ministry (MoES); MoD's Q2 report submitted, not approved.

    I1 (sum, by sex): Q1 120 (women 75, men 45), Q2 80 (women 50, men 30) → 200 to date,
    of which women 125 (62.5 %), achievement 200/400 = 50 %.
    I2 (percentage, latest): Q1 22/100, Q2 27/100 → 27 %, achievement (27−20)/(30−20) = 70 %.
    I3 yes-no: Q2 yes → done. I4 stage: Q1 "Consulted".
    Action 1.1.1: in progress, 60 %, spent 1,000 + 2,500.50; budget 5,000 state + 2,000
    unfunded. 2019 Q3: a submitted value 999 and expenditure 777 (MoES), never approved.
    """
    r = reporting
    approver = _colleague(r)
    sex = r.trained.breakdowns.get()
    budget(r.action, "5000", "state_budget")
    budget(r.action, "2000", "unfunded")
    approve(
        r,
        r.q1,
        r.ministry,
        {
            r.trained: ValueInput(
                value=Decimal(120), cells={sex.pk: {"women": Decimal(75), "men": Decimal(45)}}
            ),
            r.share: ValueInput(numerator=Decimal(22), denominator=Decimal(100)),
            r.stage: ValueInput(stage=1),
        },
        {
            r.action: UpdateInput(
                status="in_progress", progress=Decimal(30), expenditure=Decimal(1000)
            )
        },
        approver,
    )
    approve(
        r,
        r.q2,
        r.ministry,
        {
            r.trained: ValueInput(
                value=Decimal(80), cells={sex.pk: {"women": Decimal(50), "men": Decimal(30)}}
            ),
            r.share: ValueInput(numerator=Decimal(27), denominator=Decimal(100)),
            r.law: ValueInput(yes_no=True),
        },
        {
            r.action: UpdateInput(
                status="in_progress", progress=Decimal(60), expenditure=Decimal("2500.50")
            )
        },
        approver,
    )
    q3 = services.reporting_period_create(
        actor=r.coordinator,
        plan=r.plan,
        label="2019 Q3",
        start=dt.date(2019, 7, 1),
        end=dt.date(2019, 9, 30),
        due=dt.date(2019, 10, 15),
    )
    report = services.agency_report_open(actor=r.focal_point, period=q3, organisation=r.ministry)
    report = services.agency_report_save(
        actor=r.focal_point,
        report=report,
        version=report.version,
        values={r.trained.pk: ValueInput(value=Decimal(999))},
        updates={
            r.action.pk: UpdateInput(
                status="completed", progress=Decimal(100), expenditure=Decimal(777)
            )
        },
    )
    services.agency_report_submit(actor=r.focal_point, report=report, version=report.version)
    return ReportData(r=r)


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run at once, as with ``NAP1325_TASKS=immediate`` (django-tasks re-reads it)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
