"""The dashboards' stored aggregate (``monitoring.DashboardAggregate``): added up once per
change of the plan, never shown out of date after a write (docs/decisions.md,
"Dashboards: added up once per change")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nap1325.core.audit import plan_change_count
from nap1325.monitoring import dashboards
from nap1325.monitoring.models import DashboardAggregate
from nap1325.monitoring.services import UpdateInput, ValueInput
from nap1325.plans import services as plan_services
from nap1325.plans.visibility import public_scope
from tests.factories import budget
from tests.monitoring.test_dashboards import approve, approve_updates

pytestmark = pytest.mark.django_db

TODAY = dt.date(2019, 6, 30)


def board(r, *, public: bool = False, organisation=None, as_of: dt.date = TODAY):
    """The dashboard as a reader gets it (stored aggregate or added up again)."""
    scope = public_scope(r.plan) if public else None
    return dashboards.plan_dashboard(r.plan, as_of=as_of, scope=scope, organisation=organisation)


def added_up_again(r, **options):
    """The same dashboard with every stored aggregate thrown away first."""
    DashboardAggregate.objects.all().delete()
    return board(r, **options)


def figures(data) -> dict:
    """What a reader checks first on a dashboard."""
    return {
        "indicators": data.indicator_count,
        "statuses": dict(data.summary.numeric),
        "actions reporting": data.actions_reporting,
        "actions": data.actions_total,
        "planned": data.budget.planned,
        "spent": data.budget.spent,
        "listed": sorted(
            item.info.code
            for section in data.sections
            for item in [*section.numeric_shown, *section.qualitative_shown]
        ),
    }


def _approve_value(r):
    approve(r, r.q1, r.ministry, {r.trained: ValueInput(value=Decimal(120))})


def _approve_update(r):
    approve_updates(
        r, r.q2, r.ministry, {r.action: UpdateInput(status="in_progress", progress=Decimal(40))}
    )


def _add_budget_line(r):
    budget(r.action, "2500", "donor", funder=r.other_ministry)


def _archive_indicator(r):
    plan_services.indicator_archive(actor=r.coordinator, indicator=r.share)


def _unpublish_indicator(r):
    plan_services.indicator_update(actor=r.coordinator, indicator=r.share, is_published=False)


@pytest.mark.parametrize(
    "write, public, changed",
    [
        (_approve_value, False, "statuses"),
        (_approve_update, False, "actions reporting"),
        (_add_budget_line, False, "planned"),
        (_archive_indicator, False, "indicators"),
        (_archive_indicator, True, "indicators"),
        (_unpublish_indicator, True, "indicators"),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_a_write_is_on_the_next_dashboard(reporting, write, public, changed):
    r = reporting
    plan_services.plan_publish(actor=r.coordinator, plan=r.plan)
    before = figures(board(r, public=public))
    stored = DashboardAggregate.objects.get(plan=r.plan)
    assert stored.plan_changes == plan_change_count(r.plan.pk)
    assert figures(board(r, public=public)) == before  # unchanged: read from the row

    write(r)

    after = figures(board(r, public=public))
    assert after[changed] != before[changed]
    assert after == figures(added_up_again(r, public=public))


def test_the_stored_row_is_what_adding_up_gives_and_is_kept_per_scope(reporting):
    r = reporting
    _approve_value(r)
    _approve_update(r)
    _add_budget_line(r)
    for options in ({}, {"organisation": r.ministry}):
        first = figures(board(r, **options))
        assert figures(board(r, **options)) == first == figures(added_up_again(r, **options))
    board(r)
    board(r, organisation=r.ministry)
    assert sorted(DashboardAggregate.objects.values_list("scope", flat=True)) == [
        f"organisation:{r.ministry.pk}",
        "plan",
    ]


def test_another_day_adds_up_again(reporting):
    """A numeric status depends on the day (target to date): a row holds for its day only."""
    r = reporting
    _approve_value(r)
    board(r, as_of=TODAY)
    later = dt.date(2020, 12, 31)
    assert figures(board(r, as_of=later)) == figures(added_up_again(r, as_of=later))
    assert DashboardAggregate.objects.get(plan=r.plan, scope="plan").as_of == later


def test_every_audited_write_counts_a_change(reporting):
    r = reporting
    count = plan_change_count(r.plan.pk)
    plan_services.indicator_update(actor=r.coordinator, indicator=r.share, title="Renamed")
    assert plan_change_count(r.plan.pk) == count + 1


def test_refresh_command_throws_the_stored_aggregates_away(reporting):
    """For rows changed outside the services (no audit event, so no count of a change)."""
    from io import StringIO

    from django.core.management import call_command

    r = reporting
    board(r)
    assert DashboardAggregate.objects.filter(plan=r.plan).exists()
    call_command("refresh_assessments", r.plan.slug, stdout=StringIO())
    assert not DashboardAggregate.objects.filter(plan=r.plan).exists()
