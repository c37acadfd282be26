"""bench/kept.py: a kept database is generated once, then reused; a mismatch is refused."""

from __future__ import annotations

import pytest

from bench.generate import Size
from bench.kept import ready_plan, url_for
from nap1325.plans.models import Indicator, Plan

TINY = Size(pillars=2, results=4, actions=6, indicators=20, periods=3, agencies=3)

pytestmark = pytest.mark.django_db


def test_generated_once_then_reused():
    said: list[str] = []
    plan, reused = ready_plan(TINY, slug="kept", log=said.append)
    assert not reused and "generated plan kept" in said[-1]
    again, reused = ready_plan(TINY, slug="kept", log=said.append)
    assert reused and again.pk == plan.pk and "reusing plan kept" in said[-1]
    assert Plan.objects.filter(slug="kept").count() == 1
    assert Indicator.objects.filter(plan=plan).count() == 20


def test_a_plan_of_another_size_is_refused():
    ready_plan(TINY, slug="kept", log=lambda _m: None)
    bigger = Size(pillars=2, results=4, actions=6, indicators=20, periods=4, agencies=3)
    with pytest.raises(SystemExit, match="3 periods and 20 indicators, not 4 and 20"):
        ready_plan(bigger, slug="kept", log=lambda _m: None)


def test_url_for_fills_in_the_periods():
    assert url_for("sqlite:////tmp/x/national-{periods}p.sqlite3", 6).endswith(
        "national-6p.sqlite3"
    )
    assert url_for("postgres://h/db", 12) == "postgres://h/db"
