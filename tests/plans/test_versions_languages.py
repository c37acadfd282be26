"""Versions keep every language of translated fields (docs/decisions.md, "Content").

A snapshot stores ``title_en``, ``title_ru``, ``title_ky`` …; a change to the Russian
title after adoption shows as "Title (Russian)"; snapshots of schema 1 (one plain
``title``) read it as the English text and still render and compare.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import translation

from nap1325.plans import services
from nap1325.plans.versions import SCHEMA, compare, plan_snapshot, readable_snapshot

pytestmark = pytest.mark.django_db

RU_TITLE = "Наставничество для женщин-офицеров"
RU_NEW = "Наставничество и обучение для женщин-офицеров"
KY_TASK = "Коопсуздук секторундагы аялдар"


def _changes(comparison, kind):
    found = next(k for k in comparison.kinds if k.kind == kind)
    return {(e.name, e.state): {c.label: (c.old, c.new) for c in e.changes} for e in found.elements}


def _adopt(plan):
    return services.plan_adopt(
        actor=None,
        plan=plan,
        legal_act_number="No. 123",
        legal_act_date=dt.date(2018, 3, 1),
        legal_act_issuer="Government of the Kyrgyz Republic",
        label="Adopted",
    )


def _schema_1(snapshot):
    """The snapshot as the versions of schema 1 stored it: one plain, English ``title``
    and ``description`` per element, no ``languages``."""
    old = json.loads(json.dumps(snapshot))
    old["schema"] = 1
    old["plan"].pop("languages")
    for row in [old["plan"], *(row for kind in ("results", "actions") for row in old[kind])]:
        for name in ("title", "description"):
            row[name] = row.pop(f"{name}_en")
            row.pop(f"{name}_ru")
            row.pop(f"{name}_ky")
    for row in old["indicators"]:
        for name in ("title", "description", "unit", "means_of_verification"):
            row[name] = row.pop(f"{name}_en")
            row.pop(f"{name}_ru")
            row.pop(f"{name}_ky")
    return old


def test_the_snapshot_keeps_every_language(plan, framework):
    action = framework["action"]
    services.action_update(actor=None, action=action, title_ru=RU_TITLE)
    snapshot = plan_snapshot(plan)
    assert snapshot["schema"] == SCHEMA == 2
    row = next(a for a in snapshot["actions"] if a["pk"] == action.pk)
    assert (row["title_en"], row["title_ru"], row["title_ky"]) == (
        "Mentoring for women officers",
        RU_TITLE,
        None,
    )
    assert "title" not in row
    assert snapshot["plan"]["languages"] == ["ky", "ru", "en"]


@pytest.mark.parametrize(
    ("change", "label", "old", "new"),
    [
        ({"title_ru": RU_NEW}, "Title (Russian)", RU_TITLE, RU_NEW),
        ({"title_ky": "Аял офицерлер үчүн насаатчылык"}, "Title (Kyrgyz)", "—",
         "Аял офицерлер үчүн насаатчылык"),
        ({"description_ru": "Программа"}, "Description (Russian)", "—", "Программа"),
    ],
)  # fmt: skip
def test_a_change_in_one_language_after_adoption_shows_in_the_comparison(
    plan, framework, change, label, old, new
):
    action = framework["action"]
    services.action_update(actor=None, action=action, title_ru=RU_TITLE)
    version = _adopt(plan)
    services.action_update(actor=None, action=action, reason="Decree amended", **change)
    changes = _changes(compare(version.snapshot, plan_snapshot(plan)), "actions")
    assert changes == {("1.1.1 Mentoring for women officers", "changed"): {label: (old, new)}}


def test_labels_and_titles_follow_the_readers_language(plan, framework):
    action = framework["action"]
    services.action_update(actor=None, action=action, title_ru=RU_TITLE)
    version = _adopt(plan)
    services.action_update(actor=None, action=action, title_ru=RU_NEW, reason="Decree amended")
    with translation.override("ru"):
        changes = _changes(compare(version.snapshot, plan_snapshot(plan)), "actions")
    # the element is named in Russian; the label is the translated "Title (Russian)"
    [(name, state)] = changes
    assert (name, state) == (f"1.1.1 {RU_NEW}", "changed")
    [(old, new)] = changes[(name, state)].values()
    assert (old, new) == (RU_TITLE, RU_NEW)


def test_a_version_reads_in_the_readers_language_with_the_plans_chain(plan, framework):
    services.result_update(actor=None, result=framework["task"], title_ky=KY_TASK)
    services.action_update(actor=None, action=framework["action"], title_ru=RU_TITLE)
    snapshot = plan_snapshot(plan)
    with translation.override("ky"):
        readable = readable_snapshot(snapshot)
    names = [name for _kind, _pk, name in readable.elements()]
    # the task has a Kyrgyz title; the action falls back to Russian (the plan's next);
    # the objective has only English
    assert names == [
        "1 Women's participation in peace and security",
        f"1.1 {KY_TASK}",
        f"1.1.1 {RU_TITLE}",
    ]


def test_an_old_snapshot_still_renders_and_compares(plan, framework):
    action = framework["action"]
    old = _schema_1(plan_snapshot(plan))
    readable = readable_snapshot(old)
    assert [name for _kind, _pk, name in readable.elements()][-1] == (
        "1.1.1 Mentoring for women officers"
    )
    # the plain title is the English text: adding a Russian one is the only change
    services.action_update(actor=None, action=action, title_ru=RU_TITLE)
    comparison = compare(old, plan_snapshot(plan))
    assert _changes(comparison, "actions") == {
        ("1.1.1 Mentoring for women officers", "changed"): {"Title (Russian)": ("—", RU_TITLE)}
    }
    assert comparison.plan_changes == []  # `languages`, not recorded then, is no change
    # and an old snapshot compared with itself has no change at all
    assert compare(old, old).is_empty
