"""The Kyrgyz 2012 consultations (issue 5, point 8) with their inputs, dispositions and a
civil-society shadow assessment, on the demo's Kyrgyz plan (``kg-nap-2018``).

Published facts (``data/kg-2012.yaml``): two national consultations and "several" community
consultations (number not published) with the Women's Peace Network and the Association of
Crisis Centres, on six themes (role of women in peacebuilding and reconciliation, access
to services, women's rights, empowerment, security, response to gender-based violence).
Everything else is written for the demo and marked ``is_illustrative``: dates, places,
participant counts, the three community consultations chosen to stand for "several", the
wording of the inputs, their links to the 2018–2020 actions and the reasons, and the Women's
Peace Network's shadow assessment (which disagrees with an approved report on purpose).

:func:`load_kg_2012_consultations` is idempotent: consultations are looked up by title,
inputs by consultation and text, links by input and action, assessments by organisation,
period and action; only missing ones are created, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from nap1325.core.models import Organisation, User
from nap1325.library.models import Pillar
from nap1325.monitoring.models import ReportingPeriod
from nap1325.participation import services
from nap1325.participation.models import (
    Consultation,
    Disposition,
    Input,
    InputLink,
    ShadowAssessment,
    StakeholderGroup,
)
from nap1325.plans.models import Action, Plan

FACTS = Path(__file__).parent / "data" / "kg-2012.yaml"

G = StakeholderGroup
D = Disposition

#: title → consultation fields (illustrative apart from level, partners and themes).
CONSULTATIONS: list[dict[str, Any]] = [
    {
        "title": "National consultation with women's organisations (Bishkek)",
        "level": Consultation.Level.NATIONAL,
        "date": dt.date(2012, 9, 12),
        "place": "Bishkek",
        "region": "Bishkek",
        "organiser": "Women's Peace Network",
        "method": Consultation.Method.ROUND_TABLE,
        "women": 38,
        "men": 6,
        "unspecified": 0,
        "groups": {G.WOMENS_ORGANISATIONS: 24, G.GOVERNMENT: 9, G.INTERNATIONAL: 6, G.YOUTH: 5},
    },
    {
        "title": "National consultation with crisis centres and service providers (Bishkek)",
        "level": Consultation.Level.NATIONAL,
        "date": dt.date(2012, 9, 26),
        "place": "Bishkek",
        "region": "Bishkek",
        "organiser": "Association of Crisis Centres",
        "method": Consultation.Method.WORKSHOP,
        "women": 29,
        "men": 4,
        "unspecified": 2,
        "groups": {G.CRISIS_CENTRES: 18, G.GOVERNMENT: 8, G.WOMENS_ORGANISATIONS: 9},
    },
    {
        "title": "Community consultation in Osh",
        "level": Consultation.Level.COMMUNITY,
        "date": dt.date(2012, 8, 22),
        "place": "Osh",
        "region": "Osh",
        "organiser": "Women's Peace Network",
        "method": Consultation.Method.MEETING,
        "women": 41,
        "men": 12,
        "unspecified": 0,
        "groups": {
            G.WOMENS_ORGANISATIONS: 15,
            G.LOCAL_GOVERNMENT: 9,
            G.YOUTH: 11,
            G.COMMUNITY_LEADERS: 7,
        },
    },
    {
        "title": "Community consultation in Jalal-Abad",
        "level": Consultation.Level.COMMUNITY,
        "date": dt.date(2012, 8, 29),
        "place": "Jalal-Abad",
        "region": "Jalal-Abad",
        "organiser": "Women's Peace Network",
        "method": Consultation.Method.FOCUS_GROUP,
        "women": 22,
        "men": 5,
        "unspecified": 0,
        "groups": {G.WOMENS_ORGANISATIONS: 10, G.LOCAL_GOVERNMENT: 6, G.CRISIS_CENTRES: 4},
    },
    {
        "title": "Community consultation in Batken",
        "level": Consultation.Level.COMMUNITY,
        "date": dt.date(2012, 9, 5),
        "place": "Batken",
        "region": "Batken",
        "organiser": "Association of Crisis Centres",
        "method": Consultation.Method.MEETING,
        "women": 19,
        "men": 8,
        "unspecified": 3,
        "groups": {G.WOMENS_ORGANISATIONS: 8, G.LOCAL_GOVERNMENT: 7, G.YOUTH: 6},
    },
]

#: (consultation index, kind, text, pillar key, themes, group, [(action code, disposition,
#: reason)], decline reason or None, raised by the demo monitor?)
INPUTS: list[tuple[Any, ...]] = [
    (
        2,
        "recommendation",
        "Women in the villages near the border should be part of early warning: they see "
        "tensions over water and pastures first.",
        "prevention",
        ["role of women in peacebuilding and reconciliation", "security"],
        G.WOMENS_ORGANISATIONS,
        [
            (
                "2.1.1",
                D.INCORPORATED,
                "Women's early-warning networks in Osh, Jalal-Abad and Batken.",
            )
        ],
        None,
        False,
    ),
    (
        2,
        "concern",
        "After June 2010, women were not invited to the reconciliation commissions of the "
        "mahalla committees.",
        "participation",
        ["role of women in peacebuilding and reconciliation"],
        G.COMMUNITY_LEADERS,
        [
            (
                "2.1.2",
                D.PARTLY,
                "Dialogue platforms include civil society; women's share in them is not set.",
            )
        ],
        None,
        False,
    ),
    (
        1,
        "concern",
        "Crisis centres outside Bishkek close for months when donor grants end; survivors "
        "have nowhere to go.",
        "relief_recovery",
        ["access to services", "response to gender-based violence"],
        G.CRISIS_CENTRES,
        [("3.2.1", D.INCORPORATED, "Support to regional crisis centres is an action of the plan.")],
        None,
        False,
    ),
    (
        1,
        "recommendation",
        "Police should issue protection orders the same day and follow them up.",
        "protection",
        ["women's rights", "response to gender-based violence"],
        G.CRISIS_CENTRES,
        [
            (
                "2.2.2",
                D.PARTLY,
                "Procedures are amended; follow-up by the police is not yet covered.",
            )
        ],
        None,
        True,
    ),
    (
        3,
        "recommendation",
        "Train women deputies of local councils to take part in decisions on local security.",
        "participation",
        ["empowerment", "security"],
        G.LOCAL_GOVERNMENT,
        [
            ("1.2.1", D.INCORPORATED, "Training of women leaders of local self-government."),
            ("1.2.2", D.PARTLY, "Women join the crime-prevention centres; no training planned."),
        ],
        None,
        False,
    ),
    (
        0,
        "recommendation",
        "Set a 30 % quota for women in all local councils.",
        "participation",
        ["empowerment", "women's rights"],
        G.WOMENS_ORGANISATIONS,
        [],
        "A quota needs a change of the electoral law, which the NAP cannot make; the working "
        "group forwarded the proposal to the Parliament's committee.",
        False,
    ),
    (
        4,
        "concern",
        "Emergency shelters after the mudflows had no separate space for women and girls.",
        "relief_recovery",
        ["security", "access to services"],
        G.WOMENS_ORGANISATIONS,
        [
            (
                "3.1.1",
                D.INCORPORATED,
                "Emergency response plans include the needs of women and girls.",
            )
        ],
        None,
        False,
    ),
    (
        4,
        "recommendation",
        "Talk about violence against girls in schools, with teachers and parents.",
        "prevention",
        ["response to gender-based violence"],
        G.YOUTH,
        [
            (
                "2.2.1",
                D.PARTLY,
                "Awareness sessions in schools; parents are not reached by the action.",
            )
        ],
        None,
        False,
    ),
    (
        0,
        "recommendation",
        "Young women should be mentored into the police and the security services.",
        "participation",
        ["empowerment", "security"],
        G.YOUTH,
        [],
        None,
        False,
    ),
]

#: The Women's Peace Network's illustrative assessment: action code, period label, rating,
#: narrative. 3.1.1 is approved as "completed" by the ministry for 2020 H1.
SHADOW = [
    (
        "3.1.1",
        "2020 H1",
        "partly",
        "The national emergency response plan has a section on women and girls, but the "
        "district plans we saw in Batken and Osh do not: shelters after the spring mudflows "
        "again had no separate space for women (illustrative, written for the demo).",
    ),
    (
        "2.1.1",
        "2020 H1",
        "partly",
        "Networks meet in Osh and Jalal-Abad; the Batken network has not met since the "
        "autumn (illustrative, written for the demo).",
    ),
]


def _facts() -> dict[str, Any]:
    with FACTS.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _summary(facts: dict[str, Any], level: str) -> str:
    consultations = facts["consultations"]
    return (
        "Published facts (UN Women press release, 2012): "
        f"{consultations['national_level']} consultations at national level and "
        f"{consultations['community_level']} at community level (number not published), with "
        f"{' and '.join(consultations['partners'])}, on "
        f"{', '.join(consultations['themes_raised'])}. "
        f"The date, place, participants and inputs of this {level} consultation are "
        "illustrative, written for the demo."
    )


def load_kg_2012_consultations(plan: Plan) -> list[str]:
    """Load the consultations, inputs, dispositions and shadow assessments (idempotent)."""
    facts = _facts()
    created: list[str] = []
    organisations = {o.name: o for o in Organisation.objects.filter(kind="cso")}
    consultations = []
    for spec in CONSULTATIONS:
        consultation = Consultation.objects.filter(plan=plan, title=spec["title"]).first()
        if consultation is None:
            values = {k: v for k, v in spec.items() if k not in {"groups", "organiser"}}
            consultation = services.consultation_create(
                actor=None,
                plan=plan,
                organiser=organisations.get(spec["organiser"]),
                summary=_summary(facts, spec["level"]),
                is_illustrative=True,
                group_counts=dict(spec["groups"]),
                **values,
            )
            created.append(f"Consultation: {consultation.title}")
        consultations.append(consultation)
    pillars = {p.key: p for p in Pillar.objects.all()}
    actions = {a.code: a for a in Action.objects.filter(plan=plan, is_archived=False)}
    monitor = User.objects.filter(username="monitor").first()
    for index, kind, text, pillar, themes, group, links, decline, by_monitor in INPUTS:
        consultation = consultations[index]
        inp = Input.objects.filter(consultation=consultation, text=text).first()
        if inp is None:
            inp = services.input_create(
                actor=None,
                consultation=consultation,
                raised_by=monitor if by_monitor else None,
                kind=kind,
                text=text,
                pillar=pillars.get(pillar),
                themes=themes,
                region=consultation.region,
                group=group,
                is_illustrative=True,
            )
            created.append(f"Input: {inp}")
        for code, disposition, reason in links:
            action = actions.get(code)
            if action is None or InputLink.objects.filter(input=inp, action=action).exists():
                continue
            services.input_link_save(
                actor=None, inp=inp, action=action, disposition=disposition, reason=reason
            )
        if decline and not inp.disposition:
            services.input_decline(actor=None, inp=inp, reason=decline)
    created += _shadow(plan, monitor)
    return created


def _shadow(plan: Plan, monitor: User | None) -> list[str]:
    organisation = Organisation.objects.filter(name="Women's Peace Network").first()
    if organisation is None:
        return []
    periods = {p.label: p for p in ReportingPeriod.objects.filter(plan=plan)}
    actions = {a.code: a for a in Action.objects.filter(plan=plan, is_archived=False)}
    created = []
    for code, label, rating, narrative in SHADOW:
        period, action = periods.get(label), actions.get(code)
        if period is None or action is None:
            continue
        if ShadowAssessment.objects.filter(
            organisation=organisation, period=period, action=action
        ).exists():
            continue
        services.shadow_assessment_save(
            actor=monitor,
            plan=plan,
            period=period,
            organisation=organisation,
            action=action,
            rating=rating,
            narrative=narrative,
            is_illustrative=True,
        )
        created.append(f"Shadow assessment: {code} {label}")
    return created
