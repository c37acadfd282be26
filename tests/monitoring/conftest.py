"""A plan with one agency's reporting scope: Ministry A leads an action with indicators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from nap1325.core.models import Organisation, Role, User
from nap1325.monitoring import services
from nap1325.monitoring.models import ReportingPeriod
from nap1325.plans.models import Action, Indicator, Plan
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    grant,
    make_action,
    make_indicator,
    make_result,
    sex_dimension,
)


@dataclass
class Reporting:
    plan: Plan
    ministry: Organisation
    other_ministry: Organisation
    focal_point: User
    other_focal_point: User
    coordinator: User
    action: Action
    trained: Indicator  # I1: number, sum, sex breakdown
    share: Indicator  # percentage
    law: Indicator  # yes-no
    stage: Indicator  # stage
    q1: ReportingPeriod
    q2: ReportingPeriod


@pytest.fixture
def reporting(plan, lead_ministry) -> Reporting:
    ministry = OrganisationFactory(name="Ministry of Education and Science", acronym="MoES")
    other = OrganisationFactory(name="Ministry of Defence", acronym="MoD")
    objective = make_result(plan, "1", title="Women's participation in peace and security")
    task = make_result(plan, "1.1", parent=objective, title="Women in the security sector")
    action = make_action(task, "1.1.1", ministry, title="Train teachers on resolution 1325")
    make_action(task, "1.1.2", other, title="Mentoring for women officers")
    sex = sex_dimension(plan)
    trained = make_indicator(
        action,
        "I1",
        title="Teachers trained on resolution 1325",
        measure=Indicator.Measure.NUMBER,
        time_aggregation=Indicator.TimeAggregation.SUM,
        baseline_value=Decimal(0),
        target_value=Decimal(400),
        breakdowns=[[sex]],
    )
    share = make_indicator(
        action,
        "I2",
        title="Share of women among school heads",
        measure=Indicator.Measure.PERCENTAGE,
        time_aggregation=Indicator.TimeAggregation.LATEST,
        baseline_value=Decimal(20),
        target_value=Decimal(30),
    )
    law = make_indicator(action, "I3", measure=Indicator.Measure.YES_NO, target_value=Decimal(1))
    stage = make_indicator(
        action,
        "I4",
        measure=Indicator.Measure.STAGE,
        stages=["Drafted", "Consulted", "Adopted"],
    )
    focal = UserFactory(username="focal-moes")
    grant(focal, plan, ministry, Role.FOCAL_POINT)
    other_focal = UserFactory(username="focal-mod")
    grant(other_focal, plan, other, Role.FOCAL_POINT)
    coordinator = UserFactory(username="secretariat")
    grant(coordinator, plan, lead_ministry, Role.COORDINATOR)
    q1 = services.reporting_period_create(
        actor=coordinator,
        plan=plan,
        label="2019 Q1",
        start=dt.date(2019, 1, 1),
        end=dt.date(2019, 3, 31),
        due=dt.date(2019, 4, 15),
    )
    q2 = services.reporting_period_create(
        actor=coordinator,
        plan=plan,
        label="2019 Q2",
        start=dt.date(2019, 4, 1),
        end=dt.date(2019, 6, 30),
        due=dt.date(2019, 7, 15),
    )
    return Reporting(
        plan=plan,
        ministry=ministry,
        other_ministry=other,
        focal_point=focal,
        other_focal_point=other_focal,
        coordinator=coordinator,
        action=action,
        trained=trained,
        share=share,
        law=law,
        stage=stage,
        q1=q1,
        q2=q2,
    )
