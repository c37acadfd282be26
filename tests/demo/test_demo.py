"""The demo: Kyrgyz and DRC plans as published, illustrative content marked, idempotent."""

from __future__ import annotations

import datetime as dt

from nap1325.core.models import AuditEvent, Membership, Organisation, User
from nap1325.demo.loader import DRC_DIR, load_demo, read_json_documents
from nap1325.monitoring.models import (
    ActionUpdate,
    AgencyReport,
    IndicatorValue,
    ReportingPeriod,
    ReportTransition,
    ValueCell,
)
from nap1325.plans.models import Action, BudgetLine, Indicator, Plan, Result


def counts() -> tuple[int, ...]:
    models = (
        Plan,
        Result,
        Action,
        Indicator,
        BudgetLine,
        Organisation,
        User,
        Membership,
        AuditEvent,
        ReportingPeriod,
        AgencyReport,
        ReportTransition,
        IndicatorValue,
        ValueCell,
        ActionUpdate,
    )
    return tuple(model.objects.count() for model in models)


def test_kyrgyz_plan_has_the_published_facts(db):
    load_demo()
    plan = Plan.objects.get(slug="kg-nap-2018")
    assert (plan.period_start, plan.period_end) == (dt.date(2018, 1, 1), dt.date(2020, 12, 31))
    assert plan.tier_labels == ["Objective", "Task", "Measure"]
    assert plan.time_zone == "Asia/Bishkek" and plan.languages == ["ky", "ru", "en"]
    assert plan.status == Plan.Status.IMPLEMENTING
    assert plan.coordinating_body.name == "Ministry of Internal Affairs"
    assert "27 June 2012" in plan.description
    objectives = list(Result.objects.filter(plan=plan, depth=0).order_by("order"))
    assert [o.title.split(",")[0] for o in objectives] == [
        "Strengthening women's role and participation",
        "Strengthening interaction of government",
        "Improving protection and meeting the needs of women and girls in emergencies",
    ]
    assert [o.pillar.key for o in objectives] == ["participation", "prevention", "protection"]
    # Published objectives are facts; everything below them is marked illustrative.
    assert not any(o.is_illustrative for o in objectives)
    assert not Result.objects.filter(plan=plan, depth=1, is_illustrative=False).exists()
    assert not Action.objects.filter(plan=plan, is_illustrative=False).exists()
    assert not Indicator.objects.filter(plan=plan, is_illustrative=False).exists()
    assert not BudgetLine.objects.filter(action__plan=plan, is_illustrative=False).exists()


def test_drc_plan_has_six_axes_and_every_exported_indicator(db):
    load_demo()
    plan = Plan.objects.get(slug="cd-pan-1325-2")
    axes = list(Result.objects.filter(plan=plan).order_by("order"))
    assert [a.title for a in axes] == [
        "Prévention",
        "Participation",
        "Protection",
        "Secours et Relèvement",
        "Coordination, Suivi et évaluation",
        "Actions Humanitaires",
    ]
    exported, notes = read_json_documents(DRC_DIR / "All-Indicateurs.json")
    assert len(exported) == 38
    assert notes and "after the first JSON document" in notes[0]
    assert Indicator.objects.filter(plan=plan).count() == 38
    army = Indicator.objects.get(plan=plan, title="Nombre de femmes dans l'armée")
    assert army.time_aggregation == "latest"
    assert [str(b) for b in army.breakdowns.all()] == ["Armée × Sex"]
    ranks = (
        army.breakdowns.get().dimensions.get(key="armee").categories.values_list("name", flat=True)
    )
    assert list(ranks) == [
        "Généraux",
        "Subalternes",
        "Supérieurs",
        "1èr classe",
        "2ème Classe",
        "Troupe",
    ]
    provinces = plan.dimensions.get(key="province").categories.count()
    assert provinces == 26


def test_loading_twice_changes_nothing(db):
    load_demo()
    before = counts()
    assert before[-6:-3] == (9, 29, 56)  # periods, reports, transitions of both plans
    report = load_demo()
    assert counts() == before
    assert report.created == []
    assert len(report.kept) == 4  # both plans and both reporting cycles


def test_demo_changes_are_in_the_audit_trail(db):
    load_demo()
    plan = Plan.objects.get(slug="kg-nap-2018")
    events = AuditEvent.objects.filter(plan=plan)
    assert events.filter(event_type="action.created").count() == 12
    consultation = events.get(event_type="plan.updated")
    assert consultation.changes["status"] == ["drafting", "consultation"]
    adopted = events.get(event_type="plan.adopted")  # demo versions (issue 5)
    assert adopted.changes["status"] == ["consultation", "implementing"]


def test_drc_values_that_do_not_fit_the_plan_leave_it_without_periods(db, tmp_path, monkeypatch):
    # A DRC plan made by an older demo (other breakdowns) must not stop load-demo.
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "indicator: Indicateur\nperiod: Année\nvalue: Valeur\ncategories: {Sexe: gender}\n"
        "files: {AllDataListes.json: {value: LMMA, yes_no: text, categories: {}}}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("nap1325.demo.loader.DRC_MAPPING", mapping)
    report = load_demo()
    assert any(
        note.startswith("DRC monitoring data 2019–2023 (SN1325 export) not loaded:")
        and "which plan cd-pan-1325-2 lacks" in note
        for note in report.notes
    )
    assert not ReportingPeriod.objects.filter(plan__slug="cd-pan-1325-2").exists()
    assert ReportingPeriod.objects.filter(plan__slug="kg-nap-2018").count() == 4
