"""A published plan with approved and pending values, hidden items and events, and API
clients for each role (token authentication, as an integration would use it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from nap1325.api.services import api_token_create
from nap1325.coordination import services as coordination
from nap1325.coordination.models import Event
from nap1325.core.models import Role, User
from nap1325.monitoring import services
from nap1325.monitoring.models import AgencyReport
from nap1325.monitoring.services import UpdateInput, ValueInput
from nap1325.plans.models import Action, Indicator, Plan, Result
from tests.factories import UserFactory, grant, make_action, make_indicator, make_result
from tests.monitoring.conftest import Reporting, reporting  # noqa: F401  (fixture)


@dataclass
class World:
    """``reporting`` plus: a hidden objective with an action and indicator, an approved Q1
    report of the ministry, a submitted (pending) Q2 report, two events (one published)."""

    r: Reporting
    plan: Plan
    hidden_result: Result
    hidden_action: Action
    hidden_indicator: Indicator
    q1_report: AgencyReport
    q2_report: AgencyReport
    public_event: Event
    internal_event: Event
    approver: User


@pytest.fixture
def world(reporting) -> World:  # noqa: F811
    r = reporting
    plan = r.plan
    hidden_result = make_result(plan, "9", title="Internal objective (not published)")
    hidden_action = make_action(hidden_result, "9.1", r.ministry, title="Internal measure")
    hidden_indicator = make_indicator(hidden_result, "H1", title="Internal indicator")
    Result.objects.filter(pk=hidden_result.pk).update(is_published=False)
    Plan.objects.filter(pk=plan.pk).update(is_published=True)
    plan.refresh_from_db()
    sex = r.trained.breakdowns.get()
    approver = UserFactory(username="second-coordinator")
    grant(approver, plan, r.coordinator.memberships.get().organisation, Role.COORDINATOR)

    q1 = services.agency_report_open(actor=r.focal_point, period=r.q1, organisation=r.ministry)
    q1 = services.agency_report_save(
        actor=r.focal_point,
        report=q1,
        version=q1.version,
        narrative="First quarter.",
        values={
            r.trained.pk: ValueInput(
                value=Decimal("120"),
                cells={sex.pk: {"women": Decimal("70"), "men": Decimal("50")}},
            ),
            r.share.pk: ValueInput(numerator=Decimal("40"), denominator=Decimal("220")),
        },
        updates={r.action.pk: UpdateInput(status="in_progress", progress=Decimal("40"))},
    )
    q1 = services.agency_report_submit(actor=r.focal_point, report=q1, version=q1.version)
    q1 = services.agency_report_approve(actor=approver, report=q1, version=q1.version)

    q2 = services.agency_report_open(actor=r.focal_point, period=r.q2, organisation=r.ministry)
    q2 = services.agency_report_save(
        actor=r.focal_point,
        report=q2,
        version=q2.version,
        values={r.trained.pk: ValueInput(value=Decimal("999"))},
    )
    q2 = services.agency_report_submit(actor=r.focal_point, report=q2, version=q2.version)

    public_event = coordination.event_create(
        actor=r.coordinator,
        plan=plan,
        kind=Event.Kind.SEMINAR,
        title="Two-day seminar for the working group",
        start_date=dt.date(2019, 7, 24),
        end_date=dt.date(2019, 7, 25),
        start_time=dt.time(9, 30),
        end_time=dt.time(17, 0),
        place="Bishkek",
    )
    Event.objects.filter(pk=public_event.pk).update(minutes="Internal minutes.")
    coordination.event_publish(actor=r.coordinator, event=public_event, published=True)
    internal_event = coordination.event_create(
        actor=r.coordinator,
        plan=plan,
        kind=Event.Kind.MEETING,
        title="Internal meeting",
        start_date=dt.date(2019, 9, 2),
        end_date=dt.date(2019, 9, 2),
    )
    return World(
        r=r,
        plan=plan,
        hidden_result=hidden_result,
        hidden_action=hidden_action,
        hidden_indicator=hidden_indicator,
        q1_report=q1,
        q2_report=q2,
        public_event=public_event,
        internal_event=internal_event,
        approver=approver,
    )


@pytest.fixture
def api():
    """``api(user=None)`` → an APIClient; with a user, authenticated by their token."""

    def make(user: User | None = None) -> APIClient:
        client = APIClient()
        if user is not None:
            token = api_token_create(actor=None, user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def role_user(world: World, role: str) -> User:
    """A new user holding ``role`` on the world's plan for the ministry."""
    user = UserFactory()
    grant(user, world.plan, world.r.ministry, role)
    return user
