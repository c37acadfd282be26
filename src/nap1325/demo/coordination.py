"""The Kyrgyz 2012 process (issue 4, point 8): working group, seminar, Georgian visit,
agenda with outcomes, work plan and press coverage, from ``data/kg-2012.yaml``.

The 2012 working group elaborated the *first* NAP (2013–2014); the demo holds only the
second plan (2018–2020, slug ``kg-nap-2018``), so the process is attached to that plan and
the group's mandate says so. What the sources do not give is written for the demo and
marked: attendance figures (``is_illustrative``), the exact dates of the Georgian visit
(the event is marked illustrative and its description says so), the agenda's wording, the
due dates of the tasks other than the milestone (tasks marked illustrative) and the
headlines of the press items ("title illustrative"; the URL is the outlet's home page).

:func:`load_kg_2012_process` is idempotent: every object is looked up first (the group by
plan, members by organisation/person and role, events by title, agenda items by title,
outcomes by text, attendance by organisation/person, press items by outlet) and only
missing ones are created, so running it again changes nothing and keeps user edits.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from nap1325.coordination import services
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
from nap1325.core import services as core_services
from nap1325.core.models import Organisation
from nap1325.plans.models import Plan

FACTS = Path(__file__).parent / "data" / "kg-2012.yaml"

#: Organisations the process needs: name → (kind, country, acronym), used only when the
#: demo loader has not created them already.
ORGANISATIONS: dict[str, tuple[str, str, str]] = {
    "Ministry of Internal Affairs": ("ministry", "KG", "MIA"),
    "Ministry of Youth, Labour and Employment": ("ministry", "KG", "MYLE"),
    "State Committee for National Security": ("security_sector", "KG", "SCNS"),
    "Jogorku Kenesh (Parliament)": ("parliament", "KG", "Jogorku Kenesh"),
    "UN Women": ("international", "", "UN Women"),
    "OSCE Centre in Bishkek": ("international", "", "OSCE"),
    "Women's Peace Network": ("cso", "KG", "WPN"),
    "Association of Crisis Centres": ("cso", "KG", "ACC"),
    "Parliament of Georgia": ("parliament", "GE", ""),
}

#: Outlet (as in the yaml) → home page. The yaml names outlets, not articles.
OUTLET_HOME = {
    "knews.kg": "https://knews.kg/",
    "mvd.kg (Ministry of Internal Affairs)": "https://mvd.kg/",
    "ca-news.org": "https://ca-news.org/",
    "news.namba.kg": "https://news.namba.kg/",
    "osce.org/bishkek": "https://www.osce.org/bishkek",
    "timesca.com": "https://timesca.com/",
    "kant.kg": "https://kant.kg/",
    "kabar.kg": "https://kabar.kg/",
    "az.salamnews.org": "https://az.salamnews.org/",
}

#: Illustrative attendance of the seminar: organisation → (women, men).
SEMINAR_ATTENDANCE = {
    "Ministry of Internal Affairs": (3, 4),
    "Ministry of Youth, Labour and Employment": (2, 1),
    "State Committee for National Security": (1, 2),
    "Jogorku Kenesh (Parliament)": (2, 1),
    "UN Women": (2, 0),
    "OSCE Centre in Bishkek": (1, 1),
}


def _facts() -> dict[str, Any]:
    with FACTS.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _organisation(name: str) -> Organisation:
    """The organisation called ``name`` (created by the demo loader), or a new one."""
    found = Organisation.objects.filter(name=name).order_by("pk").first()
    if found is not None:
        return found
    kind, country, acronym = ORGANISATIONS[name]
    return core_services.organisation_create(
        actor=None, name=name, kind=kind, country=country, acronym=acronym
    )


def _mandate(facts: dict[str, Any]) -> str:
    group = facts["working_group"]
    consultations = facts["consultations"]
    first = next(p for p in facts["later_plans"] if p["generation"] == 1)
    return (
        "Elaborate the National Action Plan of the Kyrgyz Republic on UN Security Council "
        f"resolution 1325. Convened by the {group['convened_by']} "
        f"({group['established_by']}, {group['established_on']:%d %B %Y}) after the "
        f"{facts['context']['conflict']}; led by the {group['lead_organisation']} with "
        f"{group['ministries_count']} ministries (the press release names "
        f"{', '.join(group['members_known'])}); chaired by the {group['chair']}; supported by "
        f"{' and '.join(group['supported_by'])} through the programme "
        f"“{group['funding_programme']}”.\n\n"
        f"Consultations: {consultations['national_level']} at national level and "
        f"{consultations['community_level']} at community level (number not published) with "
        f"{' and '.join(consultations['partners'])}, on "
        f"{', '.join(consultations['themes_raised'])}. Advocacy: bilateral consultations with "
        f"{', '.join(facts['advocacy']['bilateral_consultations_with'])}.\n\n"
        f"This 2012 group elaborated the first NAP ({first['period'][0]}–{first['period'][1]}). "
        "The demo has only the second plan (2018–2020), so the 2012 process is shown here, "
        "attached to it."
    )


def _member(group: WorkingGroup, **values: Any) -> None:
    lookup = {
        "organisation": values.get("organisation"),
        "role": values["role"],
        "person_name": values.get("person_name", ""),
    }
    if not GroupMember.objects.filter(group=group, **lookup).exists():
        services.group_member_add(actor=None, group=group, **values)


def _event(plan: Plan, title: str, **values: Any) -> Event:
    existing = Event.objects.filter(plan=plan, title=title).first()
    if existing is not None:
        return existing
    return services.event_create(actor=None, plan=plan, title=title, **values)


def _agenda(event: Event, order: int, title: str, description: str = "") -> AgendaItem:
    existing = AgendaItem.objects.filter(event=event, title=title).first()
    if existing is not None:
        return existing
    return services.agenda_item_add(
        actor=None, event=event, order=order, title=title, description=description
    )


def _outcome(item: AgendaItem, kind: str, text: str, **values: Any) -> Outcome:
    existing = Outcome.objects.filter(agenda_item=item, text=text).first()
    if existing is not None:
        return existing
    return services.outcome_record(actor=None, agenda_item=item, kind=kind, text=text, **values)


def _attendance(event: Event, **values: Any) -> None:
    lookup = {
        "organisation": values.get("organisation"),
        "person_name": values.get("person_name", ""),
    }
    if not Attendance.objects.filter(event=event, **lookup).exists():
        services.attendance_add(actor=None, event=event, **values)


def _finish(item: WorkPlanItem | None) -> None:
    """Mark ``item`` done (reloaded first: the outcome's link to it is written apart)."""
    if item is None:
        return
    item.refresh_from_db()
    if item.state == WorkPlanItem.State.TODO:
        services.work_plan_item_update(actor=None, item=item, state=WorkPlanItem.State.DONE)


@transaction.atomic
def load_kg_2012_process(plan: Plan) -> list[str]:
    """Load the 2012 process onto ``plan`` (the Kyrgyz plan); return what was created.

    Idempotent (see the module docstring). Returns short notes for the demo's report.
    """
    facts = _facts()
    created: list[str] = []
    group_facts = facts["working_group"]
    mia = _organisation(group_facts["lead_organisation"])

    group = WorkingGroup.objects.filter(plan=plan).first()
    if group is None:
        group = services.working_group_save(
            actor=None,
            plan=plan,
            name=group_facts["name"],
            mandate=_mandate(facts),
            legal_act_title=group_facts["established_by"],
            legal_act_date=group_facts["established_on"],
            convening_authority=group_facts["convened_by"],
            lead_organisation=mia,
            is_published=True,
        )
        created.append(f"Working group: {group.name}")
    joined = group_facts["established_on"]
    _member(
        group,
        person_name=group_facts["chair"],
        organisation=mia,
        role=GroupMember.Role.CHAIR,
        joined_on=joined,
    )
    for name in group_facts["members_known"]:
        if name != group_facts["lead_organisation"]:
            _member(
                group,
                organisation=_organisation(name),
                role=GroupMember.Role.MEMBER,
                joined_on=joined,
            )
    for name in group_facts["supported_by"]:
        _member(
            group,
            organisation=_organisation(name),
            role=GroupMember.Role.OBSERVER,
            joined_on=joined,
        )

    seminar_facts, visit_facts = facts["events"]
    seminar_is_new = not Event.objects.filter(plan=plan, title=seminar_facts["title"]).exists()
    seminar = _event(
        plan,
        seminar_facts["title"],
        kind=Event.Kind.SEMINAR,
        start_date=seminar_facts["start"],
        end_date=seminar_facts["end"],
        place=seminar_facts["place"],
        organisers=[_organisation(name) for name in seminar_facts["organisers"]],
        description=(
            "Two-day seminar for the members of the inter-agency working group, organised by "
            f"{' and '.join(seminar_facts['organisers'])}. The Georgian delegation took part "
            "in the first day. The agenda items below are worded for the demo from the press "
            "release; attendance figures are illustrative (the sources give none)."
        ),
        is_published=True,
    )
    if seminar_is_new:
        created.append(f"Event: {seminar.title}")
    georgia = _organisation("Parliament of Georgia")
    if not Event.objects.filter(plan=plan, title=visit_facts["title"]).exists():
        created.append(f"Event: {visit_facts['title']}")
    visit = _event(
        plan,
        visit_facts["title"],
        kind=Event.Kind.STUDY_VISIT,
        start_date=seminar_facts["start"],
        end_date=seminar_facts["start"] + dt.timedelta(days=visit_facts["days"] - 1),
        place=seminar_facts["place"],
        host_country="KG",
        visiting_country="GE",
        delegation=f"Led by the {visit_facts['led_by']}.",
        description=(
            f"A {visit_facts['days']}-day visit. The delegation met the "
            f"{', '.join(visit_facts['met'])}; it {visit_facts['note']}. The sources give "
            "the length of the visit and its overlap with the seminar's first day, not its "
            "dates: 24–25 July 2012 is illustrative."
        ),
        is_illustrative=True,
        is_published=True,
    )

    # Agenda and outcomes of the seminar; the tasks enter the work plan.
    intro = _agenda(seminar, 0, "Resolution 1325 and national action plans")
    _outcome(
        intro,
        Outcome.Kind.INFORMATION,
        "UN Women and the OSCE Centre in Bishkek introduced resolution 1325 and the "
        "elaboration of national action plans to the members of the working group.",
    )
    peers = _agenda(seminar, 1, "Georgia's experience: the NAP adopted in December 2011")
    _outcome(
        peers,
        Outcome.Kind.INFORMATION,
        f"The Georgian delegation {visit_facts['note'].split(';')[0]}.",
    )
    consult = _agenda(seminar, 2, "Consultations with civil society and advocacy")
    consultations = facts["consultations"]
    task_consult = _outcome(
        consult,
        Outcome.Kind.TASK,
        f"Hold {consultations['national_level']} national-level consultations and "
        "community-level consultations with "
        f"{' and '.join(consultations['partners'])}.",
        adopted_by="Inter-agency working group",
        task={
            "title": "National-level and community-level consultations with civil society",
            "due": dt.date(2012, 9, 30),
            "owner_organisation": mia,
            "start": dt.date(2012, 8, 1),
            "is_illustrative": True,
        },
    ).task
    task_advocacy = _outcome(
        consult,
        Outcome.Kind.TASK,
        "Bilateral consultations with "
        f"{', '.join(facts['advocacy']['bilateral_consultations_with'])}.",
        adopted_by="Inter-agency working group",
        task={
            "title": "Bilateral advocacy consultations with the Government, Parliament and "
            "the President's Office",
            "due": dt.date(2012, 10, 15),
            "owner_organisation": _organisation("UN Women"),
            "start": dt.date(2012, 9, 1),
            "is_illustrative": True,
        },
    ).task
    plan_item = _agenda(seminar, 3, "Work plan of the working group")
    milestone_facts = facts["work_plan"][0]
    _outcome(
        plan_item,
        Outcome.Kind.DECISION,
        "The working group reviews the first draft of the NAP by the end of October 2012.",
        adopted_by="Inter-agency working group",
    )
    milestone = _outcome(
        plan_item,
        Outcome.Kind.TASK,
        f"{milestone_facts['milestone']} by {milestone_facts['due']:%d %B %Y}.",
        adopted_by="Inter-agency working group",
        task={
            "kind": WorkPlanItem.Kind.MILESTONE,
            "title": milestone_facts["milestone"],
            "due": milestone_facts["due"],
            "owner_organisation": mia,
            "description": (
                "The first NAP was adopted for 2013–2014, so the draft was reviewed; the "
                "sources do not give the date of the review."
            ),
            "depends_on": [item for item in (task_consult, task_advocacy) if item],
        },
    ).task
    for item in (task_consult, task_advocacy, milestone):
        _finish(item)

    # Attendance (illustrative counts; the Georgian delegation's leader by role).
    for name, (women, men) in SEMINAR_ATTENDANCE.items():
        _attendance(
            seminar, organisation=_organisation(name), women=women, men=men, is_illustrative=True
        )
    leader = "Deputy Speaker of the Parliament of Georgia"
    for event in (seminar, visit):
        _attendance(event, person_name=leader, organisation=georgia, unspecified=1)

    # Press coverage of the seminar.
    for entry in facts["media_coverage"]:
        if MediaItem.objects.filter(plan=plan, outlet=entry["outlet"]).exists():
            continue
        services.media_item_create(
            actor=None,
            plan=plan,
            event=seminar,
            url=OUTLET_HOME.get(entry["outlet"], ""),
            outlet=entry["outlet"],
            title="Seminar of the inter-agency working group on resolution 1325 "
            "(title illustrative; link to the outlet's home page)",
            language=entry["language"],
            published_on=entry.get("date"),
            is_published=True,
        )
        created.append(f"Press item: {entry['outlet']}")
    return created
