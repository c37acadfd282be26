"""Every API list runs a fixed number of queries, whatever the size of the plan (DESIGN.md §8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from nap1325.coordination import services as coordination
from nap1325.core.models import Role
from nap1325.monitoring import services
from nap1325.monitoring.services import UpdateInput, ValueInput
from nap1325.plans.models import Indicator
from tests.api.test_consultations import add_consultations
from tests.factories import OrganisationFactory, UserFactory, grant, make_action, make_indicator

pytestmark = pytest.mark.django_db

#: (endpoint, queries for the public, queries for a coordinator with a token)
#: Public: plan 1 + public scope 3 (framework and values only) + count 1 + page 1 +
#: prefetches. Coordinator: token 1 + plan 1 + roles 1 + count 1 + page 1 + prefetches.
BUDGETS = [
    ("plans", 2, 3),
    ("plan", 1, 3),
    ("results", 6, 5),
    ("actions", 7, 6),
    ("indicators", 10, 9),
    ("periods", 3, 5),
    ("values", 7, 6),
    ("events", 4, 6),
    # plan + scope 3 + count + page + group counts + inputs + links (public);
    # token + plan + roles + count + page + group counts + inputs + links (coordinator)
    ("consultations", 9, 8),
    ("reports", None, 5),
]


def grow(world, times: int) -> None:
    """Add ``times`` agencies, each leading an action with two indicators (one broken down
    by sex), an approved report with values in Q1, and an event."""
    r = world.r
    task = r.action.result
    sex = r.trained.breakdowns.get().dimensions.get()
    for n in range(times):
        agency = OrganisationFactory(name=f"Agency {n}", acronym=f"AG{n}")
        action = make_action(task, f"1.1.{n + 10}", agency, title=f"Measure {n}")
        action.partners.add(r.ministry, r.other_ministry)
        counted = make_indicator(
            action, f"G{n}", measure=Indicator.Measure.NUMBER, breakdowns=[[sex]]
        )
        share = make_indicator(action, f"S{n}", measure=Indicator.Measure.PERCENTAGE)
        focal = UserFactory()
        grant(focal, world.plan, agency, Role.FOCAL_POINT)
        report = services.agency_report_open(actor=focal, period=r.q1, organisation=agency)
        breakdown = counted.breakdowns.get()
        report = services.agency_report_save(
            actor=focal,
            report=report,
            version=report.version,
            values={
                counted.pk: ValueInput(
                    value=Decimal(10 + n),
                    cells={breakdown.pk: {"women": Decimal(n), "men": Decimal(10)}},
                ),
                share.pk: ValueInput(numerator=Decimal(n), denominator=Decimal(50)),
            },
            updates={action.pk: UpdateInput(status="in_progress", progress=Decimal(50))},
        )
        report = services.agency_report_submit(actor=focal, report=report, version=report.version)
        services.agency_report_approve(actor=world.approver, report=report, version=report.version)
        coordination.event_publish(
            actor=r.coordinator,
            event=coordination.event_create(
                actor=r.coordinator,
                plan=world.plan,
                title=f"Meeting {n}",
                start_date=dt.date(2019, 10, 1 + n),
                end_date=dt.date(2019, 10, 1 + n),
            ),
            published=True,
        )


def _url(name: str, world) -> str:
    if name == "plans":
        return reverse("api:plans")
    return reverse(f"api:{name}", kwargs={"slug": world.plan.slug})


def test_list_budgets_are_the_same_at_small_and_larger_data(
    world, api, django_assert_max_num_queries
):
    public = api()
    coordinator = api(world.r.coordinator)
    counts: dict[str, list[int]] = {}
    add_consultations(world)
    for size in ("small", "larger"):
        if size == "larger":
            grow(world, 12)
            add_consultations(world, 12, start=1)
        for name, public_budget, member_budget in BUDGETS:
            for who, client, budget in (
                ("public", public, public_budget),
                ("coordinator", coordinator, member_budget),
            ):
                if budget is None:
                    continue
                with django_assert_max_num_queries(budget) as captured:
                    response = client.get(_url(name, world), {"page_size": 200})
                assert response.status_code == 200, (name, response.content)
                counts.setdefault(f"{name} ({who})", []).append(len(captured))
    sizes = {name: pair for name, pair in counts.items() if pair[0] != pair[1]}
    assert sizes == {}
    values = public.get(_url("values", world), {"page_size": 200}).json()
    assert values["count"] == 2 + 12 * 2


def test_report_detail_budget_is_the_same_at_larger_data(world, api, django_assert_max_num_queries):
    client = api(world.r.focal_point)
    url = reverse("api:report", kwargs={"slug": world.plan.slug, "pk": world.q1_report.pk})
    with django_assert_max_num_queries(15) as small:
        assert client.get(url).status_code == 200
    grow(world, 6)
    with django_assert_max_num_queries(15) as larger:
        assert client.get(url).status_code == 200
    assert len(small) == len(larger)
