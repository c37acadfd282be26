"""The publishing rule (plans/visibility.py): hidden ancestors hide their subtree."""

from __future__ import annotations

import pytest
from django.http import Http404

from nap1325.plans.models import Plan
from nap1325.plans.visibility import public_plan_or_404, public_scope
from tests.factories import (
    OrganisationFactory,
    make_action,
    make_indicator,
    make_plan,
    make_result,
)

pytestmark = pytest.mark.django_db


def _framework() -> dict[str, object]:
    plan = make_plan()
    lead = OrganisationFactory()
    objective = make_result(plan, "1")
    task = make_result(plan, "1.1", parent=objective)
    action = make_action(task, "1.1.1", lead)
    other_objective = make_result(plan, "2")
    other_task = make_result(plan, "2.1", parent=other_objective)
    return {
        "plan": plan,
        "objective": objective,
        "task": task,
        "action": action,
        "other_task": other_task,
        "on_objective": make_indicator(objective, "I1"),
        "on_action": make_indicator(action, "I2"),
        "on_other_task": make_indicator(other_task, "I3"),
    }


@pytest.mark.parametrize(
    ("hidden", "visible"),
    [
        (
            None,
            {
                "objective",
                "task",
                "action",
                "other_task",
                "on_objective",
                "on_action",
                "on_other_task",
            },
        ),
        ("objective", {"other_task", "on_other_task"}),
        ("task", {"objective", "other_task", "on_objective", "on_other_task"}),
        ("action", {"objective", "task", "other_task", "on_objective", "on_other_task"}),
        (
            "on_action",
            {"objective", "task", "action", "other_task", "on_objective", "on_other_task"},
        ),
    ],
)
def test_an_unpublished_item_hides_itself_and_everything_below(hidden, visible) -> None:
    items = _framework()
    plan = items["plan"]
    Plan.objects.filter(pk=plan.pk).update(is_published=True)
    plan.refresh_from_db()
    if hidden:
        obj = items[hidden]
        type(obj).objects.filter(pk=obj.pk).update(is_published=False)
    scope = public_scope(plan)
    ids_of = {
        "objective": scope.result_ids,
        "task": scope.result_ids,
        "other_task": scope.result_ids,
    }
    ids_of["action"] = scope.action_ids
    names = {
        name
        for name, obj in items.items()
        if name != "plan" and obj.pk in ids_of.get(name, scope.indicator_ids)
    }
    assert names == visible


def test_an_unpublished_plan_shows_nothing_and_answers_404(django_assert_max_num_queries) -> None:
    items = _framework()
    plan = items["plan"]
    scope = public_scope(plan)
    assert not (scope.result_ids or scope.action_ids or scope.indicator_ids)
    with pytest.raises(Http404):
        public_plan_or_404(plan.slug)
    with pytest.raises(Http404):
        scope.indicator_or_404(items["on_action"].pk)
    Plan.objects.filter(pk=plan.pk).update(is_published=True)
    plan.refresh_from_db()
    assert public_plan_or_404(plan.slug) == plan
    with django_assert_max_num_queries(3):
        scope = public_scope(plan)
    assert scope.indicator_or_404(items["on_action"].pk).code == "I2"


def test_archived_items_are_never_public() -> None:
    items = _framework()
    plan = items["plan"]
    Plan.objects.filter(pk=plan.pk).update(is_published=True)
    plan.refresh_from_db()
    task = items["task"]
    type(task).objects.filter(pk=task.pk).update(is_archived=True)
    scope = public_scope(plan)
    assert items["action"].pk not in scope.action_ids
    assert items["on_action"].pk not in scope.indicator_ids
    assert items["objective"].pk in scope.result_ids
