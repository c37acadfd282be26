"""The Kyrgyz 2012 process in the demo: the facts of kg-2012.yaml, illustrative data
marked, organisations of the demo reused, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from nap1325.coordination.models import (
    AgendaItem,
    Attendance,
    Event,
    GroupMember,
    MediaItem,
    Outcome,
    WorkingGroup,
    WorkPlanItem,
)
from nap1325.core.models import AuditEvent, Organisation
from nap1325.demo.coordination import load_kg_2012_process
from nap1325.demo.loader import load_demo
from nap1325.plans.models import Plan
from tests.factories import make_plan

pytestmark = pytest.mark.django_db

MODELS = (
    WorkingGroup,
    GroupMember,
    Event,
    AgendaItem,
    Outcome,
    WorkPlanItem,
    Attendance,
    MediaItem,
    Organisation,
    AuditEvent,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo_plan(db):
    """The real demo (Kyrgyz and DRC plans, organisations, users) with the 2012 process."""
    load_demo()
    plan = Plan.objects.get(slug="kg-nap-2018")
    load_kg_2012_process(plan)
    return plan


def test_the_group_its_decree_lead_chair_members_and_supporters(demo_plan):
    group = WorkingGroup.objects.get(plan=demo_plan)
    assert group.name == (
        "Inter-Agency Working Group on the Elaboration of the National Action Plan on UNSCR 1325"
    )
    assert (group.legal_act_title, group.legal_act_date, group.convening_authority) == (
        "Decree of the Prime Minister",
        dt.date(2012, 6, 27),
        "Prime Minister",
    )
    assert group.lead_organisation.name == "Ministry of Internal Affairs"
    assert "the 2012 process is shown here, attached to it" in group.mandate
    seats = {
        (m.role, m.person_name, m.organisation.name)
        for m in GroupMember.objects.filter(group=group).select_related("organisation")
    }
    assert seats == {
        ("chair", "Deputy Minister of Internal Affairs", "Ministry of Internal Affairs"),
        ("member", "", "Ministry of Youth, Labour and Employment"),
        ("member", "", "State Committee for National Security"),
        ("member", "", "Jogorku Kenesh (Parliament)"),
        ("observer", "", "UN Women"),
        ("observer", "", "OSCE Centre in Bishkek"),
    }


def test_the_seminar_and_the_georgian_visit(demo_plan):
    seminar = Event.objects.get(plan=demo_plan, kind="seminar")
    assert (seminar.start_date, seminar.end_date, seminar.place) == (
        dt.date(2012, 7, 24),
        dt.date(2012, 7, 25),
        "Bishkek",
    )
    assert {o.name for o in seminar.organisers.all()} == {"UN Women", "OSCE Centre in Bishkek"}
    assert not seminar.is_illustrative
    visit = Event.objects.get(plan=demo_plan, kind="study_visit")
    assert (visit.host_country, visit.visiting_country) == ("KG", "GE")
    assert (visit.start_date, visit.end_date) == (dt.date(2012, 7, 24), dt.date(2012, 7, 25))
    assert visit.is_illustrative and "24–25 July 2012 is illustrative" in visit.description
    assert "Deputy Speaker of the Parliament of Georgia" in visit.delegation


def test_attendance_is_illustrative_except_the_delegation_leader(demo_plan):
    rows = Attendance.objects.filter(event__plan=demo_plan, event__kind="seminar")
    assert sum(row.total for row in rows if row.is_illustrative) == 20
    assert [row.person_name for row in rows if not row.is_illustrative] == [
        "Deputy Speaker of the Parliament of Georgia"
    ]


def test_the_milestone_was_decided_at_the_seminar(demo_plan):
    milestone = WorkPlanItem.objects.get(plan=demo_plan, kind="milestone")
    assert (milestone.title, milestone.due, milestone.is_illustrative) == (
        "First draft of the NAP reviewed by the working group",
        dt.date(2012, 10, 31),
        False,
    )
    assert milestone.decided_at.agenda_item.event.kind == "seminar"
    assert milestone.owner_organisation.name == "Ministry of Internal Affairs"
    assert sorted(d.title[:8] for d in milestone.depends_on.all()) == ["Bilatera", "National"]
    tasks = WorkPlanItem.objects.filter(plan=demo_plan, kind="task")
    assert all(task.is_illustrative and task.decided_at_id for task in tasks)


def test_press_coverage_from_the_yaml_with_home_pages_and_illustrative_titles(demo_plan):
    items = MediaItem.objects.filter(plan=demo_plan).order_by("outlet")
    assert len(items) == 9
    by_outlet = {item.outlet: item for item in items}
    assert by_outlet["knews.kg"].url == "https://knews.kg/"
    assert by_outlet["osce.org/bishkek"].language == "en"
    assert by_outlet["kant.kg"].published_on == dt.date(2012, 7, 24)
    assert by_outlet["timesca.com"].published_on is None
    assert all("title illustrative" in item.title for item in items)
    assert {item.event.kind for item in items} == {"seminar"}


def test_demo_organisations_are_reused_not_duplicated(demo_plan):
    for name in ("Ministry of Internal Affairs", "UN Women", "OSCE Centre in Bishkek"):
        assert Organisation.objects.filter(name=name).count() == 1
    assert Organisation.objects.get(name="Parliament of Georgia").country == "GE"


def test_loading_twice_changes_nothing(demo_plan):
    before = counts()
    assert load_kg_2012_process(demo_plan) == []
    assert counts() == before


def test_on_an_empty_database_it_creates_what_it_needs(db):
    plan = make_plan(slug="kg-nap-2018")
    created = load_kg_2012_process(plan)
    assert "Event: Two-day seminar for members of the inter-agency working group" in created
    first = counts()
    load_kg_2012_process(plan)
    assert counts() == first
    assert first["Event"] == 2 and first["WorkPlanItem"] == 3 and first["MediaItem"] == 9
