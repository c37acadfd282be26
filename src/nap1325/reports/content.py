"""What a national progress report says: ONE plain data structure for every format.

:func:`report_content` gathers, for a plan and a reporting period (or a calendar year),
everything the Word, PDF and Excel writers print (issue 7 point 1). It computes nothing:
every figure comes from :func:`nap1325.monitoring.dashboards.plan_snapshot` (which uses
:mod:`nap1325.measurement`), so a report and the dashboards agree to the digit. Only
approved values and action updates count (``is_official``), and only those of periods that
end on or before the end of the report's period or year.

Each part of the report is built by one function of :data:`SECTION_BUILDERS` from the
snapshot; a part whose data lives in another app (consultations and dispositions, shadow
assessments) is added there as one more function. Text of plan content (titles, names)
goes through :func:`_text`, the one place that will pick the language of a translated
field with the plan's fallback (:func:`nap1325.core.content.content`): the report's
language, then ``Plan.languages`` in order. The texts are
:class:`~nap1325.core.content.LocalisedText`, so a writer knows which are fallbacks (the
PDF marks them with ``lang``, Word with the run's language). Build the content under
``translation.override(lang)`` (the writers do) so labels and headings come in the
report's language.

Errors: :class:`ReportScopeError` (unknown period label, a year without periods) with a
translated message naming what was asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from nap1325.core.content import LocalisedText, platform_languages
from nap1325.core.content import content as localised
from nap1325.core.templatetags.nap1325 import (
    achievement_text,
    entry_text,
    funding_source_label,
    number,
    percent,
    status_label_text,
)
from nap1325.measurement import Ratio, StatusSummary
from nap1325.monitoring import dashboards
from nap1325.monitoring.models import AgencyReport, ReportingPeriod
from nap1325.monitoring.selectors import reporting_organisations
from nap1325.plans.models import Action, Plan
from nap1325.reports.charts import Bar, progress_bars

__all__ = [
    "BudgetPart",
    "CivilSocietyPart",
    "ConsultationsPart",
    "InputLine",
    "ShadowLine",
    "IndicatorLine",
    "PillarPart",
    "ReportContent",
    "ReportScope",
    "ReportScopeError",
    "ResultPart",
    "SECTION_BUILDERS",
    "report_content",
    "report_scope",
]


class ReportScopeError(ValueError):
    """The period or year asked for does not exist on the plan (message translated)."""


def _text(obj: Any, name: str, plan: Plan | None = None) -> LocalisedText:
    """The text of plan content field ``name`` of ``obj`` (a model, dataclass or dict).

    The one place where a report reads translatable content: in the active language (the
    report's), else along ``plan``'s chain (``Plan.languages``, e.g. ky → ru → en); pass
    no plan for organisations (the platform's chain). Values the dashboards already
    localised (:class:`LocalisedText`) are kept with their language.
    """
    return localised(obj, name, plan)


# --------------------------------------------------------------------------- scope


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: one period (``label``) or a year (``year``), and its dates.

    ``until``: the last day whose values count (the period's end, or the end of the year's
    last period); ``periods``: the plan's periods inside the scope, in order.
    """

    label: str
    start: dt.date
    until: dt.date
    periods: tuple[tuple[int, str], ...]
    year: int | None = None


def report_scope(plan: Plan, *, period: str | None = None, year: int | None = None) -> ReportScope:
    """The scope of a report on ``plan``: the period labelled ``period``, or ``year``.

    Raises :class:`ReportScopeError` for an unknown label, a year without periods, or
    when neither or both are given. One query.
    """
    if (period is None) == (year is None):
        raise ReportScopeError(_("Choose either a reporting period or a year."))
    if period is not None:
        found = ReportingPeriod.objects.filter(plan=plan, label=period).first()
        if found is None:
            raise ReportScopeError(
                _("The plan has no reporting period “%(label)s”.") % {"label": period}
            )
        return ReportScope(
            label=found.label,
            start=found.start,
            until=found.end,
            periods=((found.pk, found.label),),
        )
    assert year is not None
    rows = list(
        ReportingPeriod.objects.filter(plan=plan, end__year=year)
        .order_by("start")
        .values_list("pk", "label", "start", "end")
    )
    if not rows:
        raise ReportScopeError(
            _("The plan has no reporting period ending in %(year)s.") % {"year": year}
        )
    return ReportScope(
        label=str(year),
        start=min(row[2] for row in rows),
        until=max(row[3] for row in rows),
        periods=tuple((row[0], row[1]) for row in rows),
        year=year,
    )


# --------------------------------------------------------------------------- content


@dataclass
class IndicatorLine:
    """One indicator as the report prints it.

    Numbers stay numbers (``Decimal``) for Excel; ``*_text`` are the same figures as the
    pages show them, in the report's language. ``current`` is the value to date (a
    percentage's percent, its parts in ``current_parts``); ``achievement`` is in percent
    units (``None`` with ``achievement_text`` giving the reason); ``women``/``women_share``:
    of which women (a count and its share in percent) where a sex breakdown exists.
    """

    code: str
    title: str
    unit: str
    numeric: bool
    measure: str
    aggregation: str
    baseline: Decimal | None
    target: Decimal | None
    current: Decimal | None
    current_parts: Ratio | None
    current_text: str
    reporters: str
    target_to_date: Decimal | None
    achievement: Decimal | None
    achievement_text: str
    status: str
    status_text: str
    has_sex: bool = False
    women: Decimal | None = None
    women_share: Decimal | None = None
    women_text: str = ""

    @property
    def on_course(self) -> bool:
        """Achieved, on track or done: nothing for the secretariat to follow up (the PDF of
        a large plan counts these instead of listing them, see :mod:`.pdf`)."""
        return self.status in ON_COURSE


#: Statuses of indicators that need no follow-up (:attr:`IndicatorLine.on_course`).
ON_COURSE = frozenset({"achieved", "on_track", "done"})


@dataclass
class ResultPart:
    """A result under a pillar: its action progress and its own indicators."""

    code: str
    title: str
    depth: int
    progress: Decimal | None
    progress_text: str
    actions_text: str
    numeric: list[IndicatorLine] = field(default_factory=list)
    qualitative: list[IndicatorLine] = field(default_factory=list)


@dataclass
class PillarPart:
    """A top-tier result (pillar) with its summary, results and indicators."""

    code: str
    title: str
    pillar: str
    summary: StatusSummary
    numeric_text: str
    qualitative_text: str
    mean_achievement: Decimal | None
    progress: Decimal | None
    progress_text: str
    actions_text: str
    action_status_text: str
    planned: dict[str, Decimal]
    spent: Decimal
    results: list[ResultPart] = field(default_factory=list)


@dataclass
class BudgetPart:
    """Planned (budget lines) and spent (approved expenditure) by funding source.

    ``rows``: ``(label, planned, spent)``; ``gap``: the planned amount of unfunded lines.
    """

    currency: str
    rows: list[tuple[str, Decimal | None, Decimal]]
    planned: Decimal
    spent: Decimal
    spent_share: Decimal | None
    spent_reported: bool
    gap: Decimal | None
    other_currencies: dict[str, Decimal]


@dataclass
class InputLine:
    """An input of a consultation of the plan with what became of it.

    ``decisions``: (action "code title", disposition label, reason) per linked action, or
    one ("", "Not incorporated", reason) for a decline without an action; empty while
    undecided. ``decisions_text`` is the same on one line (Excel).
    """

    consultation: str
    date: dt.date
    kind: str
    text: str
    pillar: str
    group: str
    disposition: str
    disposition_text: str
    decisions: list[tuple[str, str, str]]
    illustrative: bool

    @property
    def decisions_text(self) -> str:
        return "; ".join(
            f"{action} ({label}): {reason}" if action else f"{label}: {reason}"
            for action, label, reason in self.decisions
        )


@dataclass
class ConsultationsPart:
    """Consultations and dispositions: counts by disposition, pillar and group (the same
    keys as the coverage page) and every input of every consultation of the plan."""

    consultations: int
    inputs: int
    undecided: int
    by_disposition: list[tuple[str, int]]
    by_pillar: list[tuple[str, int]]
    by_group: list[tuple[str, int]]
    lines: list[InputLine]

    @property
    def has_illustrative(self) -> bool:
        return any(line.illustrative for line in self.lines)

    @property
    def illustrative_note(self) -> str:
        return illustrative_note() if self.has_illustrative else ""

    @property
    def summary_text(self) -> str:
        """ "12 inputs from 5 consultations; 1 without a disposition yet." (translated)."""
        consultations = npgettext(
            "how many consultations, after 'from'",
            "%(count)s consultation",
            "%(count)s consultations",
            self.consultations,
        ) % {"count": self.consultations}
        return ngettext(
            "%(inputs)s input from %(consultations)s; %(undecided)s without a disposition yet.",
            "%(inputs)s inputs from %(consultations)s; %(undecided)s without a disposition yet.",
            self.inputs,
        ) % {"inputs": self.inputs, "consultations": consultations, "undecided": self.undecided}


def illustrative_note() -> str:
    """The note printed under a section with illustrative entries (translated)."""
    return _(
        "Entries marked “illustrative” are sample content written for the demo, not recorded facts."
    )


@dataclass
class ShadowLine:
    """A shadow assessment of the report's period beside the government's approved status.

    ``flag``: ``""`` (agree or nothing to compare), ``government_higher`` or
    ``cso_higher`` (:func:`nap1325.participation.selectors.disagreement`).
    """

    period: str
    organisation: str
    element: str
    element_kind: str
    rating: str
    rating_text: str
    government_text: str
    government_source: str
    flag: str
    flag_text: str
    narrative: str
    illustrative: bool


@dataclass
class CivilSocietyPart:
    """Civil society's view of the report's periods, with the disagreements counted."""

    lines: list[ShadowLine]

    @property
    def disagreements(self) -> int:
        return sum(1 for line in self.lines if line.flag)

    @property
    def has_illustrative(self) -> bool:
        return any(line.illustrative for line in self.lines)

    @property
    def illustrative_note(self) -> str:
        return illustrative_note() if self.has_illustrative else ""

    @property
    def summary_text(self) -> str:
        """ "3 shadow assessments; they disagree with the government's approved status on 1."."""
        if not self.lines:
            return _("No shadow assessment covers the period of this report.")
        return ngettext(
            "%(count)s shadow assessment; it disagrees with the government's approved status "
            "on %(disagreements)s.",
            "%(count)s shadow assessments; they disagree with the government's approved "
            "status on %(disagreements)s.",
            len(self.lines),
        ) % {"count": len(self.lines), "disagreements": self.disagreements}


@dataclass
class ReportContent:
    """Everything a national progress report prints (see the module's docstring)."""

    plan_title: str
    plan_slug: str
    country: str
    coordinating_body: str
    currency: str
    plan_start: dt.date
    plan_end: dt.date
    scope: ReportScope
    language: str
    generated_at: dt.datetime
    indicator_count: int = 0
    summary_lines: list[tuple[str, str]] = field(default_factory=list)
    pillars: list[PillarPart] = field(default_factory=list)
    action_status: list[tuple[str, int]] = field(default_factory=list)
    budget: BudgetPart | None = None
    #: per period in scope: (label, approved reports, expected, waiting for review)
    completeness: list[tuple[str, int, int, int]] = field(default_factory=list)
    #: agencies expected to report: (name, approved reports in scope, periods in scope)
    agencies: list[tuple[str, int, int]] = field(default_factory=list)
    methodology: list[str] = field(default_factory=list)
    #: SVG charts from :mod:`nap1325.reports.charts`: (title, svg)
    charts: list[tuple[str, str]] = field(default_factory=list)
    consultations: ConsultationsPart | None = None
    civil_society: CivilSocietyPart | None = None

    @property
    def numeric_lines(self) -> list[tuple[PillarPart, ResultPart, IndicatorLine]]:
        """Every numeric indicator line with its pillar and result, in report order."""
        return [
            (pillar, result, line)
            for pillar in self.pillars
            for result in pillar.results
            for line in result.numeric
        ]

    @property
    def qualitative_lines(self) -> list[tuple[PillarPart, ResultPart, IndicatorLine]]:
        """Every stage and yes-no indicator line with its pillar and result."""
        return [
            (pillar, result, line)
            for pillar in self.pillars
            for result in pillar.results
            for line in result.qualitative
        ]


def _line(item: dashboards.IndicatorSummary, plan: Plan) -> IndicatorLine:
    info = item.info
    current = item.current.value if item.current else None
    parts = current if isinstance(current, Ratio) else None
    if item.info.is_numeric:
        current_text = entry_text(current) if current is not None else _("not reported")
        reporters = (
            _("%(included)s of %(expected)s reporting")
            % {"included": item.current.included, "expected": item.current.expected}
            if item.current and item.current.expected
            else ""
        )
    else:
        current_text = entry_text(item.reached, info.stages)
        reporters = ""
    women_text = ""
    if item.has_sex:
        women_text = (
            f"{number(item.women.numerator)} ({percent(item.women.percent)})"
            if item.women
            else _("n/a")
        )
    return IndicatorLine(
        code=info.code,
        title=_text(info, "title", plan),
        unit=_text(info, "unit", plan),
        numeric=info.is_numeric,
        measure=info.measure.value,
        aggregation=info.aggregation.value,
        baseline=info.baseline,
        target=info.target,
        current=parts.percent if parts else current,
        current_parts=parts,
        current_text=current_text,
        reporters=reporters,
        target_to_date=item.target_to_date,
        achievement=item.achievement.percent if item.achievement else None,
        achievement_text=achievement_text(item.achievement) if info.is_numeric else "",
        status=item.status.value,
        status_text=status_label_text(item.status),
        has_sex=item.has_sex,
        women=item.women.numerator if item.women else None,
        women_share=item.women.percent if item.women else None,
        women_text=women_text,
    )


def _status_text(counts: Any) -> str:
    from nap1325.core.templatetags.nap1325 import status_counts

    return status_counts(counts)


def _action_status_text(counts: dict[str, int]) -> str:
    from nap1325.core.templatetags.nap1325 import action_status_counts

    return action_status_counts(counts)


def _actions_text(reporting: int, total: int) -> str:
    return _("%(reporting)s of %(total)s actions reporting") % {
        "reporting": reporting,
        "total": total,
    }


def _progress_text(value: Decimal | None) -> str:
    return _("not reported") if value is None else percent(value)


def _pillars(content: ReportContent, snapshot: dashboards.Snapshot) -> None:
    """Per pillar: summary, results (matrix order) with their indicators."""
    plan = snapshot.dashboard.plan
    for section in snapshot.dashboard.sections:
        results = {section.pk: section.progress} | {row.pk: row for row in section.results}
        parts = {
            pk: ResultPart(
                code=row.code,
                title=_text(row, "title", plan),
                depth=row.depth,
                progress=row.rollup.value,
                progress_text=_progress_text(row.rollup.value),
                actions_text=_actions_text(row.actions_reporting, row.actions_total),
            )
            for pk, row in results.items()
        }
        for item in [*section.numeric_shown, *section.qualitative_shown]:
            part = parts.get(snapshot.result_of_indicator.get(item.info.pk, -1))
            if part is None:
                continue
            (part.numeric if item.info.is_numeric else part.qualitative).append(_line(item, plan))
        content.pillars.append(
            PillarPart(
                code=section.code,
                title=_text(section, "title", plan),
                pillar=_(section.pillar) if section.pillar else "",
                summary=section.summary,
                numeric_text=_status_text(section.summary.numeric),
                qualitative_text=_status_text(section.summary.qualitative),
                mean_achievement=section.summary.mean_achievement,
                progress=section.progress.rollup.value,
                progress_text=_progress_text(section.progress.rollup.value),
                actions_text=_actions_text(
                    section.progress.actions_reporting, section.progress.actions_total
                ),
                action_status_text=_action_status_text(section.action_status),
                planned=section.planned,
                spent=section.spent,
                results=[part for part in parts.values()],
            )
        )


def _summary(content: ReportContent, snapshot: dashboards.Snapshot) -> None:
    """Headline figures: indicators by status, mean achievement, actions, budget."""
    data = snapshot.dashboard
    content.indicator_count = data.indicator_count
    mean = data.summary.mean_achievement
    content.summary_lines = [
        (_("Indicators"), str(data.indicator_count)),
        (_("Numbers and percentages"), _status_text(data.summary.numeric)),
        (_("Stages and yes/no"), _status_text(data.summary.qualitative)),
        (
            _("Average achievement"),
            (
                _("%(mean)s over %(count)s indicators with a value")
                % {"mean": percent(mean), "count": data.summary.achievement_count}
            )
            if mean is not None
            else _("n/a"),
        ),
        (
            _("Average progress of actions"),
            f"{_progress_text(data.progress.value)} · "
            f"{_actions_text(data.actions_reporting, data.actions_total)}",
        ),
        (_("Action status"), _action_status_text(data.action_status)),
    ]
    labels = dict(Action.Status.choices)
    content.action_status = [
        (
            _("no update") if key == dashboards.NO_UPDATE else str(labels.get(key, key)),
            count,
        )
        for key, count in data.action_status.items()
    ]


def _budget(content: ReportContent, snapshot: dashboards.Snapshot) -> None:
    """Planned, spent and the funding gap (unfunded lines), by funding source."""
    budget = snapshot.dashboard.budget
    gap = next((row.planned for row in budget.rows if row.key == "unfunded"), None)
    content.budget = BudgetPart(
        currency=budget.currency,
        rows=[(funding_source_label(row.key), row.planned, row.spent) for row in budget.rows],
        planned=budget.planned,
        spent=budget.spent,
        spent_share=budget.spent_share,
        spent_reported=budget.spent_reported,
        gap=gap,
        other_currencies=dict(budget.other_currencies),
    )


def _completeness(content: ReportContent, snapshot: dashboards.Snapshot) -> None:
    """Reports approved per period in scope, and per expected agency (two queries)."""
    in_scope = {pk for pk, _label in content.scope.periods}
    content.completeness = [
        (row.label, row.approved, row.expected, row.submitted)
        for row in snapshot.dashboard.completeness
        if row.pk in in_scope
    ]
    names = [f"name_{code}" for code in platform_languages()]
    organisations = list(reporting_organisations(snapshot.dashboard.plan).values("pk", *names))
    approved: dict[int, int] = {}
    for organisation_id in AgencyReport.objects.filter(
        Q(period_id__in=in_scope) & Q(approved_version__isnull=False)
    ).values_list("organisation_id", flat=True):
        approved[organisation_id] = approved.get(organisation_id, 0) + 1
    content.agencies = [
        (_text(row, "name"), approved.get(row["pk"], 0), len(in_scope)) for row in organisations
    ]


def _methodology(content: ReportContent, snapshot: dashboards.Snapshot) -> None:
    """How the figures were made, with data completeness ("23 of 25 agencies reported")."""
    scope = content.scope
    notes = [
        _(
            "Only approved agency reports count: values that are drafts, submitted or "
            "returned for revision are left out; a reopened report keeps its last approved "
            "values."
        ),
        _(
            "Values to date include every approved report of a period ending on or before "
            "%(until)s. Flows (such as people trained) are added up over periods; levels "
            "(such as a share of women) take the latest period with data; nothing is "
            "carried forward from a period without a report."
        )
        % {"until": scope.until.isoformat()},
        _(
            "Achievement: for flows, the value to date divided by the target; for levels, "
            "(current − baseline) ÷ (target − baseline). Status compares the value with "
            "the target to date at %(until)s: achieved at 100 %% of the final target, on "
            "track at 90 %% of the target to date, at risk at 60 %%, off track below. "
            "Stage and yes/no indicators are listed apart and never enter averages."
        )
        % {"until": scope.until.isoformat()},
        _(
            "Percentages are pooled from their numerators and denominators; shares of "
            "women are women ÷ (women + men) in the approved sex breakdowns. Figures are "
            "rounded half up for display only."
        ),
    ]
    agencies = len(content.agencies)
    for label, approved, expected, waiting in content.completeness:
        notes.append(
            _(
                "Data completeness, %(period)s: %(approved)s of %(expected)s agencies "
                "reported (approved reports); %(waiting)s waiting for review."
            )
            % {"period": label, "approved": approved, "expected": expected, "waiting": waiting}
        )
    missing = [name for name, approved, expected in content.agencies if approved < expected]
    if missing and agencies:
        notes.append(
            _("Agencies without an approved report for every period: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    content.methodology = notes


def _charts(content: ReportContent, snapshot: dashboards.Snapshot) -> None:
    """The report's charts, drawn by :mod:`nap1325.reports.charts` as the pages' charts."""
    if not content.pillars:
        return

    def label(pillar: PillarPart) -> str:
        return f"{pillar.code} {pillar.pillar or pillar.title}"

    title = _("Average progress of actions by pillar")
    content.charts.append(
        (
            title,
            progress_bars(
                chart_id="report-progress",
                title=title,
                description=_(
                    "One bar per pillar: the average progress of its actions with an "
                    "approved update, from 0 to 100 %."
                ),
                bars=[
                    Bar(label(pillar), pillar.progress, pillar.progress_text)
                    for pillar in content.pillars
                ],
            ),
        )
    )
    title = _("Average achievement of numeric indicators by pillar")
    content.charts.append(
        (
            title,
            progress_bars(
                chart_id="report-achievement",
                title=title,
                description=_(
                    "One bar per pillar: the mean achievement of its number and percentage "
                    "indicators that have a value; achievement above 100 per cent is marked "
                    "with an arrow."
                ),
                bars=[
                    Bar(
                        label(pillar),
                        pillar.mean_achievement,
                        percent(pillar.mean_achievement)
                        if pillar.mean_achievement is not None
                        else _("n/a"),
                    )
                    for pillar in content.pillars
                ],
            ),
        )
    )


def _consultations(content: ReportContent, snapshot: dashboards.Snapshot) -> None:
    """Consultations and dispositions: every consultation of the plan (internal report,
    published or not), counted with the keys of the coverage page
    (:func:`nap1325.participation.selectors.coverage`). Six queries."""
    from nap1325.participation import selectors as participation
    from nap1325.participation.models import Consultation, Disposition

    plan = snapshot.dashboard.plan
    coverage = participation.coverage(plan)
    inputs = participation.inputs_filtered(plan, participation.InputFilter())
    not_incorporated = str(Disposition.NOT_INCORPORATED.label)
    lines = []
    for inp in inputs:
        decisions = [
            (
                f"{link.action.code} {_text(link.action, 'title')}",
                str(link.get_disposition_display()),
                link.reason,
            )
            for link in inp.links.all()
        ]
        if not decisions and inp.decline_reason:
            decisions = [("", not_incorporated, inp.decline_reason)]
        lines.append(
            InputLine(
                consultation=inp.consultation.title,
                date=inp.consultation.date,
                kind=str(inp.get_kind_display()),
                text=inp.text,
                pillar=inp.pillar.display_name if inp.pillar_id else "",
                group=str(inp.get_group_display()) if inp.group else "",
                disposition=inp.disposition,
                disposition_text=str(inp.get_disposition_display())
                if inp.disposition
                else _("no disposition yet"),
                decisions=decisions,
                illustrative=inp.is_illustrative or inp.consultation.is_illustrative,
            )
        )
    content.consultations = ConsultationsPart(
        consultations=Consultation.objects.filter(plan=plan).count(),
        inputs=coverage.total,
        undecided=len(coverage.undecided),
        by_disposition=[(row.label, row.count) for row in coverage.by_disposition],
        by_pillar=[(row.label, row.count) for row in coverage.by_pillar],
        by_group=[(row.label, row.count) for row in coverage.by_group],
        lines=lines,
    )


#: What a disagreement flag says (the same words as the internal pages).
def _flag_text(flag: str) -> str:
    if flag == "government_higher":
        return _("Disagree: the government reports more progress than civil society sees.")
    if flag == "cso_higher":
        return _("Disagree: civil society sees more progress than the government reports.")
    return ""


def _civil_society(content: ReportContent, snapshot: dashboards.Snapshot) -> None:
    """Civil society's view: shadow assessments of the report's periods beside the
    government's approved status, flagged where they disagree
    (:func:`nap1325.participation.selectors.shadow_for_periods`). Up to three queries."""
    from nap1325.participation import selectors as participation

    plan = snapshot.dashboard.plan
    rows = participation.shadow_for_periods(plan, [pk for pk, _label in content.scope.periods])
    lines = []
    for row in rows:
        a = row.assessment
        element = a.action if a.action_id else a.indicator
        lines.append(
            ShadowLine(
                period=a.period.label,
                organisation=_text(a.organisation, "name"),
                element=f"{element.code} {_text(element, 'title')}",
                element_kind=_("action") if a.action_id else _("indicator"),
                rating=a.rating,
                rating_text=str(a.get_rating_display()),
                government_text=row.government_label,
                government_source=row.government_source,
                flag=row.flag,
                flag_text=_flag_text(row.flag),
                narrative=a.narrative,
                illustrative=a.is_illustrative,
            )
        )
    content.civil_society = CivilSocietyPart(lines=lines)


#: The report's parts in order; each takes the content and the snapshot and fills its
#: part. Consultations and dispositions and shadow assessments come from the participation
#: app's selectors.
SECTION_BUILDERS: list[Callable[[ReportContent, dashboards.Snapshot], None]] = [
    _pillars,
    _summary,
    _budget,
    _completeness,
    _methodology,
    _charts,
    _consultations,
    _civil_society,
]


def report_content(plan: Plan, scope: ReportScope, *, language: str) -> ReportContent:
    """The content of the national progress report of ``plan`` for ``scope``.

    Call under ``translation.override(language)``. Queries: those of
    :func:`~nap1325.monitoring.dashboards.plan_snapshot` plus three.
    """
    snapshot = dashboards.plan_snapshot(plan, until=scope.until)
    coordinating = plan.coordinating_body
    content = ReportContent(
        plan_title=_text(plan, "title", plan),
        plan_slug=plan.slug,
        country=plan.country,
        coordinating_body=_text(coordinating, "name") if coordinating else "",
        currency=plan.currency,
        plan_start=plan.period_start,
        plan_end=plan.period_end,
        scope=scope,
        language=language,
        generated_at=timezone.now(),
    )
    for build in SECTION_BUILDERS:
        build(content, snapshot)
    return content
