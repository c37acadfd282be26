"""A plan to import into: army ranks × sex, provinces, a percentage, a yes-no and a stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from nap1325.core.models import Organisation, Role, User
from nap1325.monitoring import services
from nap1325.monitoring.models import ReportingPeriod
from nap1325.plans.models import Indicator, Plan
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    grant,
    make_dimension,
    make_indicator,
    make_plan,
    make_result,
    sex_dimension,
)


@dataclass
class Target:
    plan: Plan
    secretariat: Organisation
    ministry: Organisation
    coordinator: User
    focal_point: User
    army: Indicator  # W1: number, rank × sex and province
    share: Indicator  # P1: percentage
    law: Indicator  # L1: yes-no
    strategy: Indicator  # S1: stage
    y2021: ReportingPeriod
    y2022: ReportingPeriod
    h1: ReportingPeriod  # "2023 H1"


@pytest.fixture
def target(db) -> Target:
    secretariat = OrganisationFactory(name="Secrétariat National 1325", acronym="SN1325")
    ministry = OrganisationFactory(name="Ministry of Defence", acronym="MoD")
    plan = make_plan(slug="cd-test", country="CD", coordinating_body=secretariat)
    rank = make_dimension(
        plan, "armee", "Armée", [("generaux", "Généraux"), ("superieurs", "Supérieurs")]
    )
    province = make_dimension(
        plan, "province", "Province", [("ituri", "Ituri"), ("nord-kivu", "Nord Kivu")]
    )
    sex = sex_dimension(plan)
    axis = make_result(plan, "2", title="Participation")
    responsible = {"responsible_organisation": secretariat}
    army = make_indicator(
        axis,
        "W1",
        **responsible,
        title="Nombre de femmes dans l'armée",
        measure=Indicator.Measure.NUMBER,
        time_aggregation=Indicator.TimeAggregation.LATEST,
        breakdowns=[[rank, sex], [province]],
    )
    share = make_indicator(
        axis,
        "P1",
        **responsible,
        title="Share of women among magistrates",
        measure=Indicator.Measure.PERCENTAGE,
        time_aggregation=Indicator.TimeAggregation.LATEST,
    )
    law = make_indicator(
        axis,
        "L1",
        title="Laws on gender equality",
        measure="yes_no",
        target_value=Decimal(1),
        **responsible,
    )
    strategy = make_indicator(
        axis,
        "S1",
        title="National strategy",
        measure="stage",
        stages=["Drafted", "Adopted"],
        **responsible,
    )
    coordinator = UserFactory(username="coordinator")
    grant(coordinator, plan, secretariat, Role.COORDINATOR)
    focal = UserFactory(username="focal")
    grant(focal, plan, ministry, Role.FOCAL_POINT)

    def period(label: str, start: dt.date, end: dt.date) -> ReportingPeriod:
        return services.reporting_period_create(
            actor=coordinator, plan=plan, label=label, start=start, end=end, due=end
        )

    return Target(
        plan=plan,
        secretariat=secretariat,
        ministry=ministry,
        coordinator=coordinator,
        focal_point=focal,
        army=army,
        share=share,
        law=law,
        strategy=strategy,
        y2021=period("2021", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
        y2022=period("2022", dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
        h1=period("2023 H1", dt.date(2023, 1, 1), dt.date(2023, 6, 30)),
    )
