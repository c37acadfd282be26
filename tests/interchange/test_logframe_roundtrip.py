"""Logframe export → import: nothing changes; edited cells → exactly the intended changes."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nap1325.core.models import AuditEvent
from nap1325.interchange.logframe.apply import import_logframe
from nap1325.interchange.logframe.export import export_logframe
from nap1325.plans.models import Action, BudgetLine, Indicator, Result

pytestmark = pytest.mark.django_db


def _save(data: bytes, tmp_path: Path, name: str = "kg.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _header(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1] if cell.value}


def _row_of(ws, key: str, value: str) -> int:
    column = _header(ws)[key]
    for row in range(3, ws.max_row + 1):
        if ws.cell(row, column).value == value:
            return row
    raise AssertionError(f"{value} not in {key}")


def _snapshot(plan) -> dict:
    """Every field the logframe carries, per item, as a user would compare them."""
    return {
        "results": {
            r.code: (
                r.parent.code if r.parent else None,
                r.title,
                r.description,
                r.pillar_id,
                r.weight,
            )
            for r in Result.objects.filter(plan=plan).select_related("parent")
        },
        "actions": {
            a.code: (
                a.result.code,
                a.title,
                a.lead_agency.acronym,
                sorted(p.acronym for p in a.partners.all()),
                a.start,
                a.end,
                a.geographic_level,
            )
            for a in Action.objects.filter(plan=plan).select_related("result", "lead_agency")
        },
        "indicators": {
            i.code: (
                i.title,
                i.measure,
                i.time_aggregation,
                i.direction,
                i.baseline_value,
                i.baseline_date,
                i.target_value,
                i.target_date,
                list(i.stages),
                sorted(sorted(d.key for d in b.dimensions.all()) for b in i.breakdowns.all()),
            )
            for i in Indicator.objects.filter(plan=plan)
        },
        "budget": sorted(
            (b.action.code, b.amount, b.funding_source, b.funder_id, b.year, b.secured)
            for b in BudgetLine.objects.filter(action__plan=plan).select_related("action")
        ),
    }


def test_export_then_import_changes_nothing(kg_matrix, plan, coordinator, tmp_path):
    before = _snapshot(plan)
    events = AuditEvent.objects.count()
    path = _save(export_logframe(plan, language="ru"), tmp_path)
    result = import_logframe(plan, path, actor=coordinator)
    assert [str(p) for p in result.all_problems] == []
    counts = result.changeset.counts()
    assert all(c["create"] == 0 and c["change"] == 0 for c in counts.values()), counts
    assert counts["results"]["same"] == Result.objects.filter(plan=plan).count()
    assert counts["indicators"]["same"] == Indicator.objects.filter(plan=plan).count()
    assert counts["budget"]["same"] == BudgetLine.objects.filter(action__plan=plan).count()
    assert AuditEvent.objects.count() == events
    assert _snapshot(plan) == before


def test_edited_cells_give_exactly_the_intended_changes(kg_matrix, plan, coordinator, tmp_path):
    workbook = load_workbook(io.BytesIO(export_logframe(plan, language="en")))
    actions = workbook["actions"]
    head = _header(actions)
    row = _row_of(actions, "code", "1.1.1")
    actions.cell(row, head["start"]).value = "  15.03.2018 "  # dd.mm.yyyy text, stray spaces
    actions.cell(row, head["end"]).value = 43830  # Excel serial of 31.12.2019
    actions.cell(row, head["title_en"]).value = "  Review the recruitment rules\u00a0"
    # a new action under Task 1.2, whose tier cells are merged with the row above
    last = actions.max_row + 1
    previous = _row_of(actions, "code", "1.2.1")
    actions.move_range(f"A{last}:A{last}", rows=0)  # keep openpyxl's dimensions honest
    actions.cell(previous, head["tier_1"]).value = "1"
    actions.cell(previous, head["tier_2"]).value = "1.2"
    actions.insert_rows(previous + 1)
    new = previous + 1
    actions.cell(new, head["code"]).value = " 1.2.2 "
    actions.cell(new, head["title"]).value = "Community dialogues with women leaders"
    actions.cell(new, head["lead_agency"]).value = "lsg agency"  # case differs
    actions.cell(new, head["partners"]).value = "WPN ; UN Women"
    for key in ("tier_1", "tier_2"):
        letter = actions.cell(1, head[key]).column_letter
        actions.merge_cells(f"{letter}{previous}:{letter}{new}")
    indicators = workbook["indicators"]
    ihead = _header(indicators)
    row = _row_of(indicators, "code", "1.2.1a")
    indicators.cell(row, ihead["target_value"]).value = "1\u00a0200,5"  # NBSP thousands, comma
    budget = workbook["budget"]
    bhead = _header(budget)
    brow = next(
        r
        for r in range(3, budget.max_row + 1)
        if budget.cell(r, bhead["action_code"]).value == "2.1.1"
        and budget.cell(r, bhead["line"]).value == 1
    )
    budget.cell(brow, bhead["amount"]).value = "320 000,00"
    out = io.BytesIO()
    workbook.save(out)
    path = _save(out.getvalue(), tmp_path)

    before = _snapshot(plan)
    preview = import_logframe(plan, path, actor=coordinator, dry_run=True)
    assert [str(p) for p in preview.all_problems] == []
    changes = {(c.sheet, c.key): c.fields for c in preview.changeset.of("change")}
    created = [(c.sheet, c.key) for c in preview.changeset.of("create")]
    assert changes == {
        ("actions", "1.1.1"): {
            "title_en": (
                "Review the recruitment and promotion rules of the MIA for barriers to women",
                "Review the recruitment rules",
            ),
            "start": ("01.03.2018", "15.03.2018"),
            "end": ("31.12.2018", "31.12.2019"),
        },
        ("indicators", "1.2.1a"): {"target_value": ("600", "1200.5")},
        ("budget", "2.1.1 #1"): {"amount": ("300000", "320000")},
    }
    assert created == [("actions", "1.2.2")]
    assert _snapshot(plan) == before  # the preview wrote nothing

    applied = import_logframe(plan, path, actor=coordinator)
    assert applied.applied
    after = _snapshot(plan)
    assert after["actions"]["1.1.1"][1] == "Review the recruitment rules"
    assert after["actions"]["1.1.1"][4:6] == (dt.date(2018, 3, 15), dt.date(2019, 12, 31))
    assert after["actions"]["1.2.2"][:4] == (
        "1.2",
        "Community dialogues with women leaders",
        "LSG Agency",
        ["UN Women", "WPN"],
    )
    assert after["indicators"]["1.2.1a"][6] == Decimal("1200.5")
    # everything else as it was
    for sheet in ("results",):
        assert after[sheet] == before[sheet]
    assert {k: v for k, v in after["indicators"].items() if k != "1.2.1a"} == {
        k: v for k, v in before["indicators"].items() if k != "1.2.1a"
    }
    reasons = set(
        AuditEvent.objects.filter(plan=plan, reason__contains="kg.xlsx").values_list(
            "event_type", flat=True
        )
    )
    assert reasons == {
        "action.updated",
        "action.created",
        "indicator.updated",
        "budget_line.updated",
    }
    # the same file again: nothing changes
    again = import_logframe(plan, path, actor=coordinator)
    assert again.changeset.of("change") == [] and again.changeset.of("create") == []


# --------------------------------------------------------------------------- languages


def _edit(plan, language: str, sheet: str, code_key: str, code: str, cells: dict) -> bytes:
    workbook = load_workbook(io.BytesIO(export_logframe(plan, language=language)))
    ws = workbook[sheet]
    head = _header(ws)
    row = _row_of(ws, code_key, code)
    for key, value in cells.items():
        ws.cell(row, head[key]).value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _texts(obj) -> dict:
    return {
        f"{name}_{code}": getattr(obj, f"{name}_{code}")
        for name in ("title", "description")
        for code in ("en", "ru", "ky")
    }


def test_a_russian_title_changed_in_the_file_changes_only_that_column(
    kg_matrix, plan, coordinator, tmp_path
):
    action = Action.objects.get(plan=plan, code="1.1.1")
    Action.objects.filter(pk=action.pk).update(title_ru="Пересмотр правил", title_ky="Эрежелер")
    action.refresh_from_db()
    before, snapshot = _texts(action), _snapshot(plan)
    events = AuditEvent.objects.count()
    data = _edit(plan, "ru", "actions", "code", "1.1.1", {"title_ru": "Пересмотр правил МВД"})
    preview = import_logframe(plan, _save(data, tmp_path), actor=coordinator, dry_run=True)
    assert [str(p) for p in preview.all_problems] == [] and preview.changeset.warnings == []
    changes = {(c.sheet, c.key): c.fields for c in preview.changeset.of("change")}
    assert changes == {
        ("actions", "1.1.1"): {"title_ru": ("Пересмотр правил", "Пересмотр правил МВД")}
    }
    applied = import_logframe(plan, _save(data, tmp_path), actor=coordinator)
    assert applied.applied
    action.refresh_from_db()
    assert _texts(action) == {**before, "title_ru": "Пересмотр правил МВД"}
    event = AuditEvent.objects.filter(event_type="action.updated").latest("id")
    assert event.changes == {"title_ru": ["Пересмотр правил", "Пересмотр правил МВД"]}
    assert AuditEvent.objects.count() == events + 1
    after = _snapshot(plan)
    assert {k: v for k, v in after.items() if k != "actions"} == {
        k: v for k, v in snapshot.items() if k != "actions"
    }


def test_the_language_columns_win_over_an_edited_plain_title(
    kg_matrix, plan, coordinator, tmp_path
):
    data = _edit(plan, "en", "actions", "code", "1.1.1", {"title": "Edited where it is not read"})
    preview = import_logframe(plan, _save(data, tmp_path), actor=coordinator, dry_run=True)
    assert preview.changeset.of("change") == []
    [warning] = preview.changeset.warnings
    assert "(title)" in warning and "title_en, title_ru, title_ky" in warning


def test_a_file_with_only_language_columns_creates_items_in_every_language(
    kg_matrix, plan, coordinator, tmp_path
):
    workbook = load_workbook(io.BytesIO(export_logframe(plan, language="en")))
    ws = workbook["actions"]
    head = _header(ws)
    row = ws.max_row + 1
    for key, value in {
        "tier_1": "1",
        "tier_2": "1.1",
        "code": "1.1.9",
        "lead_agency": "MIA",
        "title_ky": "Жаңы иш-чара",
        "title_ru": "Новое мероприятие",
    }.items():
        ws.cell(row, head[key]).value = value
    out = io.BytesIO()
    workbook.save(out)
    result = import_logframe(plan, _save(out.getvalue(), tmp_path), actor=coordinator)
    assert [str(p) for p in result.all_problems] == []
    created = Action.objects.get(plan=plan, code="1.1.9")
    assert (created.title_ky, created.title_ru, created.title_en) == (
        "Жаңы иш-чара",
        "Новое мероприятие",
        None,
    )
