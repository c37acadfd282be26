"""The demo: the Kyrgyz Republic's NAP 2018–2020 and the DRC's second-generation NAP.

Read from the files in ``demo/data`` (copies kept inside the package; the running product
never reads the project's ``shared/`` folder) and written through the services, so the demo
passes the same validation and leaves the same audit trail as a user would.

:func:`load_demo` is idempotent: a plan whose slug exists is left as it is (a user may have
edited it); organisations, users and memberships are matched and created only if missing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from nap1325.core import services as core_services
from nap1325.core.models import Membership, Organisation, Role, User
from nap1325.demo import versions as demo_versions
from nap1325.interchange.tables import read_json_documents
from nap1325.interchange.values_import import (
    ImportFailed,
    ImportResult,
    import_values,
    load_mapping,
)
from nap1325.library.models import FrameworkIndicator, Pillar
from nap1325.monitoring import services as monitoring
from nap1325.monitoring.models import AgencyReport, ReportingPeriod
from nap1325.monitoring.services import UpdateInput, ValueInput
from nap1325.plans import services
from nap1325.plans.models import Action, Dimension, Indicator, Plan, Result

__all__ = ["DATA_DIR", "DEMO_PASSWORD", "DRC_DIR", "DemoReport", "load_demo", "read_json_documents"]

DATA_DIR = Path(__file__).parent / "data"
DRC_DIR = DATA_DIR / "drc-sn1325"
#: The DRC export's value files, read by ``nap1325 import-values`` with this mapping.
DRC_VALUE_FILES = ["AllDATANumber.json", "All-DATAProvinces.json", "AllDataListes.json"]
DRC_MAPPING = DATA_DIR / "drc-sn1325-mapping.yaml"
DEMO_PASSWORD = "nap1325-demo"  # noqa: S105 - printed for the demo on purpose

#: username, display name, sex, {plan slug: (organisation name, role)}, description
DEMO_USERS: list[tuple[str, str, str, dict[str, tuple[str, str]], str]] = [
    (
        "coordinator",
        "Secretariat coordinator",
        "woman",
        {
            "kg-nap-2018": ("Ministry of Internal Affairs", Role.COORDINATOR),
            "cd-pan-1325-2": ("Secrétariat National 1325", Role.COORDINATOR),
        },
        "coordinator (secretariat) of both plans: edits the matrix",
    ),
    (
        "focal",
        "Focal point, Ministry of Emergency Situations",
        "woman",
        {"kg-nap-2018": ("Ministry of Emergency Situations", Role.FOCAL_POINT)},
        "focal point of an agency (Kyrgyz plan): its 2020 H2 report is a draft to finish",
    ),
    (
        "member",
        "Working-group member, SCNS",
        "man",
        {"kg-nap-2018": ("State Committee for National Security", Role.WORKING_GROUP_MEMBER)},
        "working-group member (Kyrgyz plan)",
    ),
    (
        "monitor",
        "Civil-society monitor, Women's Peace Network",
        "woman",
        {"kg-nap-2018": ("Women's Peace Network", Role.CIVIL_SOCIETY_MONITOR)},
        "civil-society monitor (Kyrgyz plan)",
    ),
    (
        "partner",
        "UN Women adviser",
        "woman",
        {"kg-nap-2018": ("UN Women", Role.PARTNER), "cd-pan-1325-2": ("UN Women", Role.PARTNER)},
        "partner (UN Women) on both plans",
    ),
]


@dataclass
class DemoReport:
    """What :func:`load_demo` did, for the command's output."""

    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Loaded: {item}" for item in self.created]
        lines += [f"Already there, left as it is: {item}" for item in self.kept]
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines)


def _yaml(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _clean_text(text: str) -> str:
    """Collapse runs of spaces (including no-break spaces) and strip: real exports are messy."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _organisation(
    name: str, kind: str, country: str, acronym: str = "", **extra: Any
) -> Organisation:
    existing = Organisation.objects.filter(name=name, country=country).first()
    if existing is not None:
        return existing
    return core_services.organisation_create(
        actor=None, name=name, kind=kind, country=country, acronym=acronym, **extra
    )


def _translations(item: dict[str, Any], field: str) -> dict[str, str]:
    """``{"ru": …, "ky": …}`` from an item's ``<field>_ru`` and ``<field>_ky`` keys."""
    return {
        code: item[f"{field}_{code}"]
        for code, _label in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE and item.get(f"{field}_{code}")
    }


def _translated_fields(item: dict[str, Any], field: str) -> dict[str, str]:
    """``{"title_ru": …, "title_ky": …}``: the service arguments of :func:`_translations`."""
    return {f"{field}_{code}": text for code, text in _translations(item, field).items()}


def _demo_password_hash() -> str:
    """The demo password hashed once for all demo users (hashing is slow by design), once
    per setting of ``PASSWORD_HASHERS``: a hash made by a hasher that is no longer listed
    cannot be checked (tests switch to a fast hasher)."""
    return _hashed_demo_password(tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hashed_demo_password(hashers: tuple[str, ...]) -> str:
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def load_demo() -> DemoReport:
    """Load both demo plans, their organisations and the demo users (idempotent)."""
    report = DemoReport()
    # The demo's plain texts are English: write them in the English columns, whatever
    # language the command or request runs in.
    with translation.override(settings.LANGUAGE_CODE):
        _load_all(report)
    return report


def _load_all(report: DemoReport) -> None:
    _load_kyrgyz_plan(report)
    _load_drc_plan(report)
    _load_users(report)
    _load_kyrgyz_versions(report)
    _load_kyrgyz_coordination(report)
    _load_kyrgyz_monitoring(report)
    _load_drc_monitoring(report)
    _load_kyrgyz_participation(report)
    _load_publication(report)


# --------------------------------------------------------------------------- Kyrgyzstan


def _load_kyrgyz_coordination(report: DemoReport) -> None:
    """The working group's 2012 process (kg-2012.yaml) on the Kyrgyz plan (issue 4)."""
    from nap1325.demo.coordination import load_kg_2012_process

    created = load_kg_2012_process(Plan.objects.get(slug="kg-nap-2018"))
    if created:
        report.created.append(
            f"the Kyrgyz working group's 2012 process ({len(created)} items: group, events, "
            "agenda, work plan, press coverage)"
        )


def _load_kyrgyz_participation(report: DemoReport) -> None:
    """The 2012 consultations, inputs with dispositions and a shadow assessment (issue 5)."""
    from nap1325.demo.participation import load_kg_2012_consultations

    plan = Plan.objects.filter(slug="kg-nap-2018").first()
    if plan is None:
        return
    created = load_kg_2012_consultations(plan)
    if created:
        report.created.append(
            f"the Kyrgyz 2012 consultations ({len(created)} items: consultations, inputs with "
            "dispositions, civil society's shadow assessments)"
        )


def _load_kyrgyz_plan(report: DemoReport) -> None:
    data = _yaml("kg-nap-2018.yaml")
    facts = _yaml("kg-2012.yaml")
    organisations: dict[str, Organisation] = {}
    for item in data["organisations"]:
        org = _organisation(
            item["name"],
            item["kind"],
            item["country"],
            item.get("acronym", ""),
            is_illustrative=bool(item.get("illustrative", False)),
            translated_names=_translations(item, "name"),
        )
        organisations[item["name"]] = org
        organisations[item.get("acronym") or item["name"]] = org
    meta = data["plan"]
    if Plan.objects.filter(slug=meta["slug"]).exists():
        report.kept.append(meta["title"])
        return
    group = facts["working_group"]
    published = next(p for p in facts["later_plans"] if p["generation"] == 2)
    plan = services.plan_create(
        actor=None,
        slug=meta["slug"],
        country=meta["country"],
        title=meta["title"],
        generation=meta["generation"],
        period_start=meta["period_start"],
        period_end=meta["period_end"],
        tier_labels=meta["tier_labels"],
        currency=meta["currency"],
        languages=facts["languages"],
        time_zone=facts["time_zone"],
        reporting_frequency=meta["reporting_frequency"],
        coordinating_body=organisations[meta["coordinating_body"]],
        **_translated_fields(meta, "title"),
        description=(
            f"{group['name']}: established by {group['established_by']} on "
            f"{group['established_on']:%d %B %Y}, convened by the {group['convened_by']}, led by "
            f"the {group['lead_organisation']} ({group['ministries_count']} ministries), chaired "
            f"by the {group['chair']}, supported by {' and '.join(group['supported_by'])}. "
            f"Reporting: {published['reporting_practice']}."
        ),
        source_note=(
            "The period, the tiers and the three objectives are those of the published plan "
            "(no budget was allocated). Tasks, measures, indicators and budget lines marked "
            "“illustrative” are sample content written for the demo."
        ),
    )
    for dimension in data["dimensions"]:
        services.dimension_create(
            actor=None,
            plan=plan,
            key=dimension["key"],
            name=dimension["name"],
            kind=dimension["kind"],
            categories=[tuple(c) for c in dimension["categories"]],
        )
    dimensions = {d.key: d for d in plan.dimensions.all()}
    pillars = {p.key: p for p in Pillar.objects.all()}
    for index, objective in enumerate(data["objectives"]):
        top = services.result_create(
            actor=None,
            plan=plan,
            code=objective["code"],
            title=objective["title"],
            **_translated_fields(objective, "title"),
            pillar=pillars[objective["pillar"]],
        )
        for indicator in objective.get("indicators", []):
            _kg_indicator(plan, indicator, organisations, dimensions, result=top)
        for task in objective["tasks"]:
            result = services.result_create(
                actor=None,
                plan=plan,
                parent=top,
                code=task["code"],
                title=task["title"],
                is_illustrative=True,
            )
            for measure in task["measures"]:
                action = services.action_create(
                    actor=None,
                    result=result,
                    partners=[organisations[p] for p in measure.get("partners", [])],
                    code=measure["code"],
                    title=measure["title"],
                    lead_agency=organisations[measure["lead"]],
                    start=measure.get("start"),
                    end=measure.get("end"),
                    geographic_level=measure.get("geographic_level", "national"),
                    status=measure.get("status", "not_started"),
                    is_illustrative=True,
                )
                for indicator in measure.get("indicators", []):
                    _kg_indicator(plan, indicator, organisations, dimensions, action=action)
                for line in measure.get("budget", []):
                    services.budget_line_create(
                        actor=None,
                        action=action,
                        amount=Decimal(line["amount"]),
                        funding_source=line["funding_source"],
                        funder=organisations[line["funder"]] if line.get("funder") else None,
                        year=line.get("year"),
                        secured=bool(line.get("secured", False)),
                        description=line.get("description", ""),
                        is_illustrative=True,
                    )
        if index == 0:
            demo_versions.first_draft(plan)
    # The plan is put in force by its adoption, after the consultation (_load_kyrgyz_versions).
    report.created.append(plan.title)


def _load_kyrgyz_versions(report: DemoReport) -> None:
    """Versions, a closed comment round and the adoption of the Kyrgyz plan (issue 5)."""
    report.created.extend(
        demo_versions.consultation_and_adoption(Plan.objects.get(slug="kg-nap-2018"))
    )


def _put_in_force(plan: Plan, status: str) -> None:
    """The framework is written while drafting; then the plan moves to its real status."""
    services.plan_update(
        actor=None, plan=plan, status=status, reason="Demo: the plan as adopted and in force."
    )


def _framework_links(codes: list[str]) -> list[FrameworkIndicator]:
    links = []
    for item in codes:
        framework, code = item.split(" ", 1)
        links.append(FrameworkIndicator.objects.get(framework=framework, code=code))
    return links


def _kg_indicator(
    plan: Plan,
    item: dict[str, Any],
    organisations: dict[str, Organisation],
    dimensions: dict[str, Dimension],
    *,
    result: Result | None = None,
    action: Any = None,
) -> Indicator:
    decimals = {
        name: Decimal(item[name]) for name in ("baseline_value", "target_value") if name in item
    }
    return services.indicator_create(
        actor=None,
        plan=plan,
        result=result,
        action=action,
        code=item["code"],
        title=item["title"],
        measure=item["measure"],
        time_aggregation=item.get("time_aggregation", "sum"),
        direction=item.get("direction", "increase"),
        unit=item.get("unit", ""),
        baseline_date=item.get("baseline_date"),
        baseline_source=item.get("baseline_source", ""),
        target_date=item.get("target_date"),
        stages=item.get("stages", []),
        means_of_verification=item.get("means_of_verification", ""),
        frequency=item.get("frequency", "annual"),
        responsible_organisation=organisations[item["responsible"]]
        if item.get("responsible")
        else None,
        breakdowns=[[dimensions[key] for key in keys] for keys in item.get("breakdowns", [])],
        period_targets=[(due, Decimal(value)) for due, value in item.get("period_targets", [])],
        framework_indicators=_framework_links(item.get("framework", [])),
        is_illustrative=True,
        **decimals,
    )


# --------------------------------------------------------------------------- DRC


def _load_drc_plan(report: DemoReport) -> None:
    data = _yaml("drc-plan.yaml")
    meta = data["plan"]
    secretariat = _organisation(meta["coordinating_body"], "ministry", "CD", "SN1325")
    _organisation("UN Women", "international", "", "UN Women")
    if Plan.objects.filter(slug=meta["slug"]).exists():
        report.kept.append(meta["title"])
        return
    axes, _notes = read_json_documents(DRC_DIR / "All-Axes.json")
    exported, notes = read_json_documents(DRC_DIR / "All-Indicateurs.json")
    report.notes.extend(notes)
    plan = services.plan_create(
        actor=None,
        slug=meta["slug"],
        country=meta["country"],
        title=meta["title"],
        generation=meta["generation"],
        period_start=meta["period_start"],
        period_end=meta["period_end"],
        tier_labels=meta["tier_labels"],
        currency=meta["currency"],
        languages=meta["languages"],
        time_zone=meta["time_zone"],
        reporting_frequency=meta["reporting_frequency"],
        coordinating_body=secretariat,
        source_note=_clean_text(meta["source_note"]),
    )
    dimensions = _drc_dimensions(plan)
    pillars = {p.key: p for p in Pillar.objects.all()}
    axis_results: dict[str, Result] = {}
    for axis in sorted(axes, key=lambda a: int(a["ID"])):
        axis_results[axis["ID"]] = services.result_create(
            actor=None,
            plan=plan,
            code=axis["ID"],
            title=_clean_text(axis["Nom"]),
            pillar=pillars[data["axes"][axis["ID"]]],
        )
    exported_names = {_clean_text(item["Nom"]) for item in exported}
    numbering: dict[str, int] = {}
    for item in data["indicators"]:
        name = _clean_text(item["name"])
        if name not in exported_names:
            raise ValueError(f"drc-plan.yaml names an indicator the export lacks: {name}")
        axis = item["axis"]
        numbering[axis] = numbering.get(axis, 0) + 1
        breakdowns = []
        group = item.get("target_group")
        if group and item.get("by_sex"):
            breakdowns.append([dimensions[group], dimensions["sex"]])
        elif group:
            breakdowns.append([dimensions[group]])
        elif item.get("by_sex"):
            breakdowns.append([dimensions["sex"]])
        if item.get("by_province"):
            breakdowns.append([dimensions["province"]])
        if item.get("province_by_sex"):
            breakdowns.append([dimensions["province"], dimensions["sex"]])
        services.indicator_create(
            actor=None,
            plan=plan,
            result=axis_results[axis],
            code=f"{axis}.{numbering[axis]}",
            title=name,
            measure=item["measure"],
            time_aggregation=item.get("time_aggregation", "latest"),
            direction=item.get("direction", "increase"),
            unit=item.get("unit", ""),
            frequency="annual",
            responsible_organisation=secretariat,
            means_of_verification="Application de suivi SN1325",
            target_value=Decimal(1) if item["measure"] == "yes_no" else None,
            breakdowns=breakdowns,
            description=_clean_text(item.get("note", "")),
        )
    _put_in_force(plan, meta["status"])
    report.created.append(plan.title)


def _drc_dimensions(plan: Plan) -> dict[str, Dimension]:
    """Province, and one dimension per target group ("grande catégorie") with its "cibles"."""
    provinces, _n = read_json_documents(DRC_DIR / "AllProvinces.json")
    groups, _n = read_json_documents(DRC_DIR / "All-Grande-Categories.json")
    targets, _n = read_json_documents(DRC_DIR / "All-Cibles.json")
    dimensions = {"sex": plan.dimensions.get(key="sex")}
    dimensions["province"] = services.dimension_create(
        actor=None,
        plan=plan,
        key="province",
        name="Province",
        kind=Dimension.Kind.REGION,
        categories=_unique_categories(p["Nom"] for p in provinces),
    )
    for group in sorted(groups, key=lambda g: int(g["ID"])):
        name = _clean_text(group["Nom"])
        members = [t["Nom"] for t in targets if _clean_text(t["ID_GdCat"]) == name]
        if not members:
            continue
        dimensions[name] = services.dimension_create(
            actor=None,
            plan=plan,
            key=slugify(name)[:40],
            name=name,
            categories=_unique_categories(members),
        )
    return dimensions


def _unique_categories(names: Any) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for raw in names:
        name = _clean_text(raw)
        key = slugify(name)[:60] or "category"
        if key not in seen:
            seen[key] = name
    return list(seen.items())


# --------------------------------------------------------------------------- users


def _load_users(report: DemoReport) -> None:
    if not User.objects.filter(username="admin").exists():
        core_services.user_create(
            actor=None,
            username="admin",
            password_hash=_demo_password_hash(),
            display_name="Platform administrator",
            is_platform_admin=True,
        )
    report.logins.append(("admin", "platform administrator: everything, and /admin/"))
    plans = {plan.slug: plan for plan in Plan.objects.all()}
    for username, display_name, sex, roles, description in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = core_services.user_create(
                actor=None,
                username=username,
                password_hash=_demo_password_hash(),
                display_name=display_name,
                sex=sex,
            )
        for slug, (organisation_name, role) in roles.items():
            plan = plans.get(slug)
            organisation = Organisation.objects.filter(name=organisation_name).first()
            if plan is None or organisation is None:
                continue
            if not Membership.objects.filter(
                user=user, plan=plan, organisation=organisation, role=role
            ).exists():
                core_services.membership_grant(
                    actor=None, user=user, plan=plan, organisation=organisation, role=role
                )
        report.logins.append((username, description))


# --------------------------------------------------------------------------- monitoring


def _load_kyrgyz_monitoring(report: DemoReport) -> None:
    """A half-yearly reporting cycle with reports in every state (kg-monitoring.yaml).

    Illustrative figures, written through the monitoring services by the organisations'
    focal points and reviewed by the coordinator, so every report has its transitions and
    audit events. Skipped (kept) when the plan already has reporting periods.
    """
    plan = Plan.objects.filter(slug="kg-nap-2018").first()
    if plan is None:
        return
    label = "Kyrgyz reporting cycle 2019–2020 (illustrative)"
    data = _yaml("kg-monitoring.yaml")
    for username, (acronym, _name, _sex) in data["focal_points"].items():
        report.logins.append((username, f"focal point of {acronym} (Kyrgyz plan)"))
    if ReportingPeriod.objects.filter(plan=plan).exists():
        report.kept.append(label)
        return
    coordinator = User.objects.get(username="coordinator")
    organisations = {
        (org.acronym or org.name): org for org in Organisation.objects.filter(country="KG")
    }
    for username, (acronym, display_name, sex) in data["focal_points"].items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = core_services.user_create(
                actor=None,
                username=username,
                password_hash=_demo_password_hash(),
                display_name=display_name,
                sex=sex,
            )
        core_services.membership_grant(
            actor=None,
            user=user,
            plan=plan,
            organisation=organisations[acronym],
            role=Role.FOCAL_POINT,
        )
    focal_points = {
        membership.organisation_id: membership.user
        for membership in Membership.objects.filter(plan=plan, role=Role.FOCAL_POINT)
        .select_related("user")
        .order_by("-user__username")
    }
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(plan=plan).prefetch_related("breakdowns__dimensions")
    }
    statuses = dict(Action.objects.filter(plan=plan).values_list("pk", "status"))
    for index, item in enumerate(data["periods"]):
        period = monitoring.reporting_period_create(
            actor=coordinator,
            plan=plan,
            label=item["label"],
            start=item["start"],
            end=item["end"],
            due=item["due"],
        )
        for acronym, entry in data["reports"].get(item["label"], {}).items():
            organisation = organisations[acronym]
            _kg_report(
                period=period,
                organisation=organisation,
                focal_point=focal_points[organisation.pk],
                coordinator=coordinator,
                entry=entry,
                indicators=indicators,
                updates={
                    action.pk: _kg_update(statuses[action.pk], index)
                    for action in Action.objects.filter(
                        plan=plan, lead_agency=organisation, is_archived=False
                    )
                },
            )
        if not item.get("open"):
            monitoring.reporting_period_set_state(
                actor=coordinator,
                period=period,
                state=ReportingPeriod.State.CLOSED,
                reason="Demo: the period's reports are all reviewed.",
            )
    report.created.append(label)


def _kg_value(indicator: Indicator, raw: Any) -> ValueInput:
    """A :class:`ValueInput` from kg-monitoring.yaml's shorthand (see the file's header)."""
    if isinstance(raw, bool):
        return ValueInput(yes_no=raw)
    if not isinstance(raw, dict):
        return ValueInput(value=Decimal(str(raw)))
    entry = ValueInput(comment=str(raw.get("comment", "")))
    if "stage" in raw:
        entry.stage = int(raw["stage"])
    if "numerator" in raw:
        entry.numerator = Decimal(str(raw["numerator"]))
        entry.denominator = Decimal(str(raw["denominator"]))
    if "value" in raw:
        entry.value = Decimal(str(raw["value"]))
    for breakdown in indicator.breakdowns.all():
        keys = [d.key for d in breakdown.dimensions.all()]
        if len(keys) == 1 and keys[0] in raw:
            entry.cells[breakdown.pk] = {
                str(category): Decimal(str(amount)) for category, amount in raw[keys[0]].items()
            }
    return entry


def _kg_update(status: str, period_index: int) -> UpdateInput:
    """An illustrative action update that follows the action's status in the matrix."""
    progress = {
        Action.Status.COMPLETED: 100,
        Action.Status.IN_PROGRESS: min(90, 20 + 20 * period_index),
        Action.Status.DELAYED: 10 + 5 * period_index,
    }.get(status, 0)
    return UpdateInput(
        status=status,
        progress=Decimal(progress),
        narrative="Illustrative update written for the demo.",
    )


def _kg_report(
    *,
    period: ReportingPeriod,
    organisation: Organisation,
    focal_point: User,
    coordinator: User,
    entry: dict[str, Any],
    indicators: dict[str, Indicator],
    updates: dict[int, UpdateInput],
) -> AgencyReport:
    """One agency report taken through the workflow to ``entry["state"]``."""
    state = entry["state"]
    report = monitoring.agency_report_open(
        actor=focal_point, period=period, organisation=organisation
    )
    report = monitoring.agency_report_save(
        actor=focal_point,
        report=report,
        version=report.version,
        narrative=(
            f"Illustrative {period.label} report of the {organisation.name}, written for the "
            "demo: the figures are sample values, not published data."
        ),
        values={
            indicators[str(code)].pk: _kg_value(indicators[str(code)], raw)
            for code, raw in entry["values"].items()
        },
        updates=updates,
    )
    if state == AgencyReport.State.DRAFT:
        return report
    report = monitoring.agency_report_submit(
        actor=focal_point, report=report, version=report.version
    )
    if state == AgencyReport.State.RETURNED:
        return monitoring.agency_report_return(
            actor=coordinator, report=report, version=report.version, reason=entry["reason"]
        )
    if state == AgencyReport.State.SUBMITTED:
        return report
    report = monitoring.agency_report_approve(
        actor=coordinator, report=report, version=report.version
    )
    if state == AgencyReport.State.REOPENED:
        report = monitoring.agency_report_reopen(
            actor=coordinator, report=report, version=report.version, reason=entry["reason"]
        )
        corrected = entry.get("corrected") or {}
        if corrected:
            report = monitoring.agency_report_save(
                actor=focal_point,
                report=report,
                version=report.version,
                values={
                    indicators[str(code)].pk: _kg_value(indicators[str(code)], raw)
                    for code, raw in corrected.items()
                },
            )
    return report


def _load_drc_monitoring(report: DemoReport) -> None:
    """The DRC's real values, through ``nap1325 import-values`` (the same function).

    Annual periods 2019–2023 (2023 lies after the plan period the export gives, but the
    data reports it, so it is kept; the plan's source note says so); the three value files
    are imported together as the demo coordinator, then the periods are closed. Skipped
    (kept) when the plan already has reporting periods.
    """
    plan = Plan.objects.filter(slug="cd-pan-1325-2").first()
    if plan is None:
        return
    label = "DRC monitoring data 2019–2023 (SN1325 export)"
    if ReportingPeriod.objects.filter(plan=plan).exists():
        report.kept.append(label)
        return
    try:
        with transaction.atomic():
            result = _import_drc_values(plan)
    except ImportFailed as failure:
        # A DRC plan made by an older demo declares other breakdowns: leave it as it is.
        report.notes.append(f"{label} not loaded: {failure} First problem: {failure.errors[0]}")
        return
    report.created.append(
        f"{label}: {result.values_written} values in {result.reports_changed} reports, "
        f"{result.blank_cells} blank cells left not reported"
    )
    report.notes.extend(result.warnings)


def _import_drc_values(plan: Plan) -> ImportResult:
    """Create the DRC's periods, import the export's values, close the periods."""
    coordinator = User.objects.get(username="coordinator")
    periods = []
    for year in range(2019, 2024):
        periods.append(
            monitoring.reporting_period_create(
                actor=coordinator,
                plan=plan,
                label=str(year),
                start=dt.date(year, 1, 1),
                end=dt.date(year, 12, 31),
                due=dt.date(year + 1, 3, 31),
            )
        )
    result = import_values(
        plan=plan,
        paths=[DRC_DIR / name for name in DRC_VALUE_FILES],
        mapping=load_mapping(DRC_MAPPING),
        username=coordinator.username,
    )
    for period in periods:
        monitoring.reporting_period_set_state(
            actor=coordinator,
            period=period,
            state=ReportingPeriod.State.CLOSED,
            reason="Demo: the SN1325 export is final for this year.",
        )
    return result


# --------------------------------------------------------------------------- public portal

#: The demo's held-back indicator: an illustrative draft the coordinator keeps internal, so
#: the public portal shows the publishing rule at work (issue 6, point 2).
DEMO_DRAFT_INDICATOR = ("kg-nap-2018", "3.2.1b")


def _load_publication(report: DemoReport) -> None:
    """Publish both demo plans on the public portal, once (issue 6).

    A plan whose publication was already decided (a ``plan.published`` or
    ``plan.unpublished`` audit event) is left as it is, so running the demo again never
    undoes a coordinator's choice. On first publication: the working group and the real
    events are published (the working group is published by the coordination loader),
    illustrative events are kept internal, the consultations are published, and one
    illustrative
    draft indicator (:data:`DEMO_DRAFT_INDICATOR`) is held back.
    """
    from nap1325.coordination import services as coordination
    from nap1325.coordination.models import Event
    from nap1325.core.models import AuditEvent
    from nap1325.participation import services as participation
    from nap1325.participation.models import Consultation

    for slug in ("kg-nap-2018", "cd-pan-1325-2"):
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            continue
        decided = AuditEvent.objects.filter(
            plan=plan, event_type__in=["plan.published", "plan.unpublished"]
        ).exists()
        if decided:
            continue
        for event in Event.objects.filter(plan=plan):
            coordination.event_publish(actor=None, event=event, published=not event.is_illustrative)
        # The consultations and their inputs: real facts of 2012 with illustrative inputs,
        # shown with their "illustrative" badge, so a visitor can follow a concern to the plan.
        for consultation in Consultation.objects.filter(plan=plan):
            participation.consultation_publish(
                actor=None, consultation=consultation, published=True
            )
        draft_slug, draft_code = DEMO_DRAFT_INDICATOR
        if slug == draft_slug:
            draft = Indicator.objects.filter(plan=plan, code=draft_code, is_archived=False).first()
            if draft is not None:
                services.indicator_update(
                    actor=None,
                    indicator=draft,
                    is_published=False,
                    reason="Demo: a draft indicator kept internal until it is agreed.",
                )
        services.plan_publish(actor=None, plan=plan, reason="Demo: the plan as published.")
        report.created.append(f"{plan.title} on the public portal")
