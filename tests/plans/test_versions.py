"""Versions: the snapshot, the comparison and the immutable adopted version (issue 5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nap1325.core.models import AuditEvent, Role
from nap1325.plans import services
from nap1325.plans.models import Plan, PlanVersion
from nap1325.plans.versions import compare, plan_snapshot, readable_snapshot
from tests.factories import budget, make_action, make_indicator

pytestmark = pytest.mark.django_db


def _changes(comparison, kind):
    found = next(k for k in comparison.kinds if k.kind == kind)
    return {(e.name, e.state): {c.label: (c.old, c.new) for c in e.changes} for e in found.elements}


def test_snapshot_keeps_every_element_with_names_and_plain_numbers(kg_matrix, plan):
    snapshot = plan_snapshot(plan)
    assert sorted(r["code"] for r in snapshot["results"]) == ["1", "1.1", "1.2", "2", "2.1"]
    assert len(snapshot["actions"]) == 4
    assert len(snapshot["indicators"]) == 5
    lines = {line["amount"] for line in snapshot["budget_lines"]}
    assert lines == {"350000", "600000", "900000", "300000", "150000"}
    i112 = next(i for i in snapshot["indicators"] if i["code"] == "1.1.2a")
    assert i112["target_value"] == "200"
    assert i112["baseline_value"] == "0"
    names = snapshot["names"]["organisation"]
    m111 = next(a for a in snapshot["actions"] if a["code"] == "1.1.1")
    assert names[str(m111["lead_agency"])] == "Ministry of Internal Affairs"
    # readable: stages, breakdowns by name
    text = readable_snapshot(snapshot)
    action_rows = [a for root in text.roots for child in root.children for a in child.actions]
    m112 = next(a for a in action_rows if a.code == "1.1.2")
    fields = {f.label: f.value for f in m112.indicators[0].fields}
    assert fields["Breakdowns"] == "Rank × Sex"
    assert fields["Target"] == "200"


def test_snapshot_queries_do_not_grow_with_the_plan(kg_matrix, plan, organisations):
    with CaptureQueriesContext(connection) as small:
        plan_snapshot(plan)
    task = kg_matrix["1.1"]
    for n in range(15):
        action = make_action(
            task, f"1.1.{n + 10}", organisations["MIA"], partners=[organisations["OSCE"]]
        )
        make_indicator(
            action, f"1.1.{n + 10}a", baseline_value=Decimal("1"), target_value=Decimal("5")
        )
        budget(action, "1000", "donor", funder=organisations["UN Women"], year=2019)
    with CaptureQueriesContext(connection) as large:
        plan_snapshot(plan)
    assert len(large) == len(small) <= 12


def test_compare_finds_added_removed_and_changed_field_by_field(kg_matrix, plan, organisations):
    before = plan_snapshot(plan)
    m111, m112 = kg_matrix["1.1.1"], kg_matrix["1.1.2"]
    services.action_update(
        actor=None,
        action=m111,
        code="1.1.1-bis",
        lead_agency=organisations["MoE"],
        geographic_level="regional",
        end=dt.date(2019, 6, 30),
    )
    services.action_archive(actor=None, action=m112)
    new = make_action(
        kg_matrix["1.2"], "1.2.2", organisations["LSG Agency"], title="Local women's councils"
    )
    line = kg_matrix["budget 2.1.1"]
    services.budget_line_update(actor=None, line=line, amount=Decimal("320000.50"))
    services.indicator_update(actor=None, indicator=kg_matrix["1a"], target_value=Decimal("17.5"))
    after = plan_snapshot(plan)
    comparison = compare(before, after)
    actions = _changes(comparison, "actions")
    changed = actions[
        (
            "1.1.1-bis Review the recruitment and promotion rules of the MIA for barriers to women",
            "changed",
        )
    ]
    assert changed["Code"] == ("1.1.1", "1.1.1-bis")  # a renamed code is a change, not remove+add
    assert changed["Lead agency"] == (
        "Ministry of Internal Affairs",
        "Ministry of Education and Science",
    )
    assert changed["Geographic level"] == ("National", "Regional")
    assert changed["End"] == ("31 Dec 2018", "30 Jun 2019")  # DATE_FORMAT, formats/en
    assert ("1.1.2 Mentoring programme for women officers of the police", "removed") in actions
    assert actions[(f"1.2.2 {new.title}", "added")]["Lead agency"] == (
        "—",
        "State Agency for Local Self-Government",
    )
    lines = _changes(comparison, "budget_lines")
    assert lines[("2.1.1 — budget line 320000.5 KGS", "changed")] == {
        "Amount": ("300000", "320000.5")
    }
    # archiving an action removes its indicator and budget line from the plan
    assert ("1.1.2 — budget line 600000 KGS", "removed") in lines
    indicators = _changes(comparison, "indicators")
    assert indicators[("1a Share of women among police officers", "changed")] == {
        "Target": ("15", "17.5")
    }
    assert compare(after, after).is_empty


def test_version_numbers_audit_and_permissions(plan, framework, coordinator, member_factory):
    first = services.plan_version_create(actor=coordinator, plan=plan, label="First draft")
    second = services.plan_version_create(
        actor=None, plan=plan, label="Second draft", changelog="x"
    )
    assert (first.number, second.number) == (1, 2)
    assert first.created_by == coordinator
    assert AuditEvent.objects.filter(event_type="plan_version.created", plan=plan).count() == 2
    with pytest.raises(ValidationError) as error:
        services.plan_version_create(actor=coordinator, plan=plan, label="  ")
    assert "label" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.plan_version_create(
            actor=member_factory(Role.CIVIL_SOCIETY_MONITOR), plan=plan, label="Mine"
        )


def _adopt(plan, **overrides):
    fields = {
        "actor": None,
        "plan": plan,
        "legal_act_number": "No. 123",
        "legal_act_date": dt.date(2018, 3, 1),
        "legal_act_issuer": "Government of the Kyrgyz Republic",
        "label": "Adopted",
    }
    fields.update(overrides)
    return services.plan_adopt(**fields)


def test_adoption_records_the_legal_act_and_freezes_the_version(plan, framework):
    version = _adopt(plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IMPLEMENTING
    assert (plan.legal_act_number, plan.legal_act_issuer) == (
        "No. 123",
        "Government of the Kyrgyz Republic",
    )
    assert version.is_adopted and version.snapshot["plan"]["legal_act_number"] == "No. 123"
    event = AuditEvent.objects.get(event_type="plan.adopted")
    assert event.changes["status"] == ["drafting", "implementing"]
    # immutable through every path
    version.label = "Changed"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    with pytest.raises(ValidationError):
        PlanVersion.objects.filter(pk=version.pk).update(label="x")
    with pytest.raises(ValidationError):
        PlanVersion.objects.filter(plan=plan).delete()
    with pytest.raises(ValidationError):
        services.plan_version_update(actor=None, version=version, label="New label")
    assert PlanVersion.objects.get(pk=version.pk).label == "Adopted"
    # afterwards every change needs a reason, and shows in the comparison with the plan
    with pytest.raises(ValidationError) as error:
        services.action_update(actor=None, action=framework["action"], title="New title")
    assert "reason" in error.value.message_dict
    services.action_update(
        actor=None, action=framework["action"], title="New title", reason="Decree amended"
    )
    changes = _changes(compare(version.snapshot, plan_snapshot(plan)), "actions")
    assert changes[("1.1.1 New title", "changed")] == {
        "Title (English)": ("Mentoring for women officers", "New title")
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"legal_act_number": " "}, "legal_act_number"),
        ({"legal_act_issuer": ""}, "legal_act_issuer"),
        ({"legal_act_date": None}, "legal_act_date"),
        ({"legal_act_date": dt.date.today() + dt.timedelta(days=3)}, "legal_act_date"),
        ({"label": ""}, "label"),
    ],
)
def test_adoption_refuses_bad_input_and_saves_nothing(plan, framework, overrides, field):
    with pytest.raises(ValidationError) as error:
        _adopt(plan, **overrides)
    assert field in error.value.message_dict
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFTING and not plan.versions.exists()


def test_adopting_a_saved_version_requires_it_to_match_the_plan(plan, framework):
    version = services.plan_version_create(actor=None, plan=plan, label="Final draft")
    services.action_update(actor=None, action=framework["action"], title="Changed since")
    with pytest.raises(ValidationError) as error:
        _adopt(plan, version=version)
    assert "changed since this version" in error.value.message_dict["version"][0]
    fresh = services.plan_version_create(actor=None, plan=plan, label="Final draft 2")
    adopted = _adopt(plan, version=fresh)
    assert adopted.pk == fresh.pk and adopted.is_adopted
    with pytest.raises(ValidationError) as error:
        _adopt(plan)
    assert "already adopted" in error.value.messages[0]
