"""Fixtures of the participation tests: consultations and inputs on the Kyrgyz matrix, a
monitor of the Women's Peace Network, approved action updates to compare with."""

from __future__ import annotations

import datetime as dt

import pytest

from nap1325.core.models import Role
from nap1325.monitoring.models import ActionUpdate, AgencyReport, ReportingPeriod
from nap1325.participation import services
from tests.factories import UserFactory, grant


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def monitor(plan, organisations):
    user = UserFactory(username="wpn-monitor", display_name="WPN monitor")
    grant(user, plan, organisations["WPN"], Role.CIVIL_SOCIETY_MONITOR)
    return user


@pytest.fixture
def consultation(plan, kg_matrix, organisations):
    return services.consultation_create(
        actor=None,
        plan=plan,
        title="Community consultation in Osh",
        level="community",
        date=dt.date(2017, 8, 22),
        place="Osh",
        region="Osh",
        organiser=organisations["WPN"],
        method="meeting",
        women=41,
        men=12,
        unspecified=0,
        group_counts={"womens_organisations": 15, "youth": 11},
    )


@pytest.fixture
def periods(plan):
    return [
        ReportingPeriod.objects.create(
            plan=plan,
            label=label,
            start=start,
            end=end,
            due=end + dt.timedelta(days=31),
        )
        for label, start, end in [
            ("2019 H1", dt.date(2019, 1, 1), dt.date(2019, 6, 30)),
            ("2019 H2", dt.date(2019, 7, 1), dt.date(2019, 12, 31)),
        ]
    ]


def approve(plan, period, action, status):
    """An approved report of the action's lead agency with the official ``status``."""
    report, _ = AgencyReport.objects.get_or_create(
        plan=plan,
        period=period,
        organisation=action.lead_agency,
        defaults={"state": AgencyReport.State.APPROVED},
    )
    return ActionUpdate.objects.create(
        report=report, action=action, is_official=True, status=status, progress=50
    )
