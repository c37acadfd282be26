"""``nap1325 refresh-assessments [PLAN]``: recompute every indicator's dashboard assessment
and every action's stored progress, and throw the dashboards' stored aggregates away.

The services keep the ``IndicatorAssessment`` and ``ActionProgress`` tables up to date as
they write (and count each change, so ``DashboardAggregate`` rows go out of date); this
rebuilds them (of one plan, by slug, or of every plan), e.g. after loading
data outside the services.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nap1325.monitoring.dashboards import (
    action_progress_rebuild,
    dashboard_aggregates_clear,
    indicator_assessments_rebuild,
)
from nap1325.plans.models import Plan


class Command(BaseCommand):
    help = "Recompute the dashboard assessment of every indicator (of one plan, by slug)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", nargs="?", help="The plan's slug (default: every plan).")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = None
        if options.get("plan"):
            try:
                plan = Plan.objects.get(slug=options["plan"])
            except Plan.DoesNotExist:
                raise CommandError(f"No plan {options['plan']!r}.") from None
        count = indicator_assessments_rebuild(plan)
        self.stdout.write(f"{count} indicator assessments stored.")
        actions = action_progress_rebuild(plan)
        self.stdout.write(f"{actions} actions' progress stored.")
        dashboard_aggregates_clear(plan)
