"""A published plan with things the public must never see, and a way to grow it.

Public: objective 1 → task 1.1 → measure 1.1.1 with indicator I1 (approved values for
2019 Q1: 120), a published event with published press coverage, a published working group.
Hidden, each with a title that appears nowhere else (:attr:`Portal.secrets`): an
unpublished indicator on the public measure, an unpublished measure with its indicator,
an unpublished objective with its task, measure and indicator, an internal event with press
coverage of it, an unpublished press item, and a value of I1 for 2019 Q2 that is only
submitted (777, never approved), and approved values of the unpublished indicators.

Participation: a published consultation (Osh, 2018) with an input linked to the public
measure 1.1.1 and to the unpublished 1.1.2 (its reason for 1.1.2 is a secret), and an
input linked to the unpublished measure only; an unpublished consultation with an input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from nap1325.coordination import services as coordination
from nap1325.coordination.models import Event
from nap1325.core.models import Organisation, Role, User
from nap1325.monitoring import services as monitoring
from nap1325.monitoring.models import ReportingPeriod
from nap1325.monitoring.services import ValueInput
from nap1325.participation import services as participation
from nap1325.participation.models import Consultation, Input
from nap1325.plans import services as plans
from nap1325.plans.models import Action, Indicator, Plan, Result
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    grant,
    make_action,
    make_indicator,
    make_result,
)


@dataclass
class Portal:
    plan: Plan
    ministry: Organisation
    coordinator: User
    objective: Result
    task: Result
    action: Action
    indicator: Indicator
    event: Event
    consultation: Consultation
    input: Input
    q1: ReportingPeriod
    q2: ReportingPeriod
    hidden: dict[str, object] = field(default_factory=dict)
    #: texts (titles, values) that must never appear on a public page
    secrets: list[str] = field(default_factory=list)


def _approve(coordinator, period, organisation, values):
    report, _changed = monitoring.agency_report_record_approved(
        actor=coordinator,
        period=period,
        organisation=organisation,
        values=values,
        reason="test data",
    )
    return report


def _submit(coordinator, period, organisation, values):
    report = monitoring.agency_report_open(
        actor=coordinator, period=period, organisation=organisation
    )
    report = monitoring.agency_report_save(
        actor=coordinator, report=report, version=report.version, values=values
    )
    return monitoring.agency_report_submit(actor=coordinator, report=report, version=report.version)


@pytest.fixture
def portal(plan, lead_ministry) -> Portal:
    ministry = OrganisationFactory(name="Ministry of Education", acronym="MoE")
    coordinator = UserFactory(username="secretariat")
    grant(coordinator, plan, lead_ministry, Role.COORDINATOR)
    objective = make_result(plan, "1", title="Women's participation in peace and security")
    task = make_result(plan, "1.1", parent=objective, title="Women in the security sector")
    action = make_action(task, "1.1.1", ministry, title="Train teachers on resolution 1325")
    indicator = make_indicator(
        action,
        "I1",
        title="Teachers trained on resolution 1325",
        measure=Indicator.Measure.NUMBER,
        time_aggregation=Indicator.TimeAggregation.SUM,
        baseline_value=Decimal(0),
        target_value=Decimal(400),
    )
    hidden_indicator = make_indicator(
        action,
        "I9",
        title="Draft indicator on classified budgets",
        is_published=False,
        target_value=Decimal(7),
    )
    hidden_action = make_action(
        task, "1.1.2", ministry, title="Secret mentoring scheme", is_published=False
    )
    hidden_action_indicator = make_indicator(
        hidden_action, "I8", title="Mentors appointed in secret", target_value=Decimal(5)
    )
    hidden_objective = make_result(
        plan, "2", title="Unannounced objective on border posts", is_published=False
    )
    hidden_task = make_result(plan, "2.1", parent=hidden_objective, title="Hidden task")
    hidden_deep_action = make_action(hidden_task, "2.1.1", ministry, title="Buried measure")
    hidden_deep_indicator = make_indicator(
        hidden_deep_action, "I7", title="Buried indicator", target_value=Decimal(3)
    )
    q1 = monitoring.reporting_period_create(
        actor=coordinator,
        plan=plan,
        label="2019 Q1",
        start=dt.date(2019, 1, 1),
        end=dt.date(2019, 3, 31),
        due=dt.date(2019, 4, 15),
    )
    q2 = monitoring.reporting_period_create(
        actor=coordinator,
        plan=plan,
        label="2019 Q2",
        start=dt.date(2019, 4, 1),
        end=dt.date(2019, 6, 30),
        due=dt.date(2019, 7, 15),
    )
    _approve(
        coordinator,
        q1,
        ministry,
        {
            indicator.pk: ValueInput(value=Decimal(120)),
            hidden_indicator.pk: ValueInput(value=Decimal(4242)),
            hidden_action_indicator.pk: ValueInput(value=Decimal(4343)),
        },
    )
    _submit(coordinator, q2, ministry, {indicator.pk: ValueInput(value=Decimal(777))})
    group = coordination.working_group_save(
        actor=None,
        plan=plan,
        name="Inter-agency working group on resolution 1325",
        lead_organisation=lead_ministry,
        is_published=True,
    )
    coordination.group_member_add(
        actor=None,
        group=group,
        organisation=ministry,
        role="member",
        joined_on=dt.date(2018, 1, 1),
    )
    event = coordination.event_create(
        actor=None,
        plan=plan,
        kind=Event.Kind.SEMINAR,
        title="Open seminar on resolution 1325",
        start_date=dt.date(2018, 6, 1),
        end_date=dt.date(2018, 6, 2),
        place="Bishkek",
        is_published=True,
    )
    coordination.attendance_add(
        actor=None, event=event, organisation=ministry, women=12, men=8, unspecified=0
    )
    coordination.media_item_create(
        actor=None,
        plan=plan,
        event=event,
        url="https://news.example.org/seminar",
        outlet="news.example.org",
        title="Seminar held in Bishkek",
        is_published=True,
    )
    internal_event = coordination.event_create(
        actor=None,
        plan=plan,
        kind=Event.Kind.MEETING,
        title="Closed-door meeting on funding gaps",
        start_date=dt.date(2018, 7, 1),
        end_date=dt.date(2018, 7, 1),
        is_published=False,
    )
    coordination.media_item_create(
        actor=None,
        plan=plan,
        event=internal_event,
        url="https://leak.example.org/closed",
        outlet="leak.example.org",
        title="Leaked report of a closed meeting",
        is_published=True,
    )
    coordination.media_item_create(
        actor=None,
        plan=plan,
        url="https://draft.example.org/x",
        outlet="draft.example.org",
        title="Unpublished press clipping",
        is_published=False,
    )
    consultation = participation.consultation_create(
        actor=coordinator,
        plan=plan,
        title="Regional consultation in Osh",
        level=Consultation.Level.REGIONAL,
        date=dt.date(2018, 3, 14),
        place="Osh city hall",
        region="Osh",
        organiser=ministry,
        women=31,
        men=9,
        unspecified=2,
        group_counts={"womens_organisations": 18, "local_government": 7},
    )
    taken_up = participation.input_create(
        actor=coordinator,
        consultation=consultation,
        kind=Input.Kind.RECOMMENDATION,
        text="Train school teachers in every district on resolution 1325.",
        group="womens_organisations",
        region="Osh",
    )
    participation.input_link_save(
        actor=coordinator,
        inp=taken_up,
        action=action,
        disposition="incorporated",
        reason="Measure 1.1.1 trains teachers in all districts from 2019.",
    )
    participation.input_link_save(
        actor=coordinator,
        inp=taken_up,
        action=hidden_action,
        disposition="partly",
        reason="Mentoring reason kept internal",
    )
    only_hidden = participation.input_create(
        actor=coordinator,
        consultation=consultation,
        text="Mentors for young women officers.",
        group="youth",
    )
    participation.input_link_save(
        actor=coordinator,
        inp=only_hidden,
        action=hidden_action,
        disposition="incorporated",
        reason="Second internal mentoring reason",
    )
    participation.consultation_publish(actor=coordinator, consultation=consultation, published=True)
    internal_consultation = participation.consultation_create(
        actor=coordinator,
        plan=plan,
        title="Closed consultation with donors",
        level=Consultation.Level.NATIONAL,
        date=dt.date(2018, 4, 2),
        women=3,
        men=4,
    )
    internal_input = participation.input_create(
        actor=coordinator,
        consultation=internal_consultation,
        text="Donors want a confidential budget review.",
    )
    participation.input_link_save(
        actor=coordinator,
        inp=internal_input,
        action=action,
        disposition="partly",
        reason="Budget review reason not yet public",
    )
    plans.plan_publish(actor=coordinator, plan=plan)
    return Portal(
        plan=plan,
        ministry=ministry,
        coordinator=coordinator,
        objective=objective,
        task=task,
        action=action,
        indicator=indicator,
        event=event,
        consultation=consultation,
        input=taken_up,
        q1=q1,
        q2=q2,
        hidden={
            "indicator": hidden_indicator,
            "action": hidden_action,
            "action_indicator": hidden_action_indicator,
            "objective": hidden_objective,
            "task": hidden_task,
            "deep_action": hidden_deep_action,
            "deep_indicator": hidden_deep_indicator,
            "event": internal_event,
            "consultation": internal_consultation,
        },
        secrets=[
            "Draft indicator on classified budgets",
            "Secret mentoring scheme",
            "Mentors appointed in secret",
            "Unannounced objective on border posts",
            "Hidden task",
            "Buried measure",
            "Buried indicator",
            "Closed-door meeting on funding gaps",
            "Leaked report of a closed meeting",
            "leak.example.org",
            "Unpublished press clipping",
            "777",
            "4242",
            "4343",
            "Mentoring reason kept internal",
            "Second internal mentoring reason",
            "Closed consultation with donors",
            "Donors want a confidential budget review.",
            "Budget review reason not yet public",
        ],
    )


def grow(portal: Portal, count: int) -> None:
    """Add ``count`` public measures under task 1.1, each with an indicator with an
    approved 2019 Q1 value, ``count`` published events, and ``count`` published
    consultations each with an input linked to measure 1.1.1 and to a new measure
    (larger data for query budgets)."""
    values = {}
    agency = OrganisationFactory(name=f"Agency of {count}", acronym=f"A{count}")
    for number in range(count):
        action = make_action(portal.task, f"1.1.{number + 10}", agency)
        consultation = participation.consultation_create(
            actor=portal.coordinator,
            plan=portal.plan,
            title=f"Community consultation {number}",
            level=Consultation.Level.COMMUNITY,
            date=dt.date(2018, 5, 1) + dt.timedelta(days=number),
            organiser=agency,
            women=5,
            men=5,
            group_counts={"youth": 3},
        )
        inp = participation.input_create(
            actor=portal.coordinator,
            consultation=consultation,
            text=f"Input {number}",
            group="youth",
        )
        for linked in (portal.action, action):
            participation.input_link_save(
                actor=portal.coordinator,
                inp=inp,
                action=linked,
                disposition="partly",
                reason=f"Reason {number}",
            )
        participation.consultation_publish(
            actor=portal.coordinator, consultation=consultation, published=True
        )
        indicator = make_indicator(
            action, f"G{number}", target_value=Decimal(100), baseline_value=Decimal(0)
        )
        values[indicator.pk] = ValueInput(value=Decimal(number + 1))
        coordination.event_create(
            actor=None,
            plan=portal.plan,
            title=f"Public event {number}",
            start_date=dt.date(2018, 8, 1) + dt.timedelta(days=number),
            end_date=dt.date(2018, 8, 1) + dt.timedelta(days=number),
            is_published=True,
        )
    _approve(portal.coordinator, portal.q1, agency, values)
