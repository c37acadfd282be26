"""Reads of participation with bounded queries (DESIGN.md §7, §8).

Every function states its query count; none grows with the number of rows. The lists and
the counts of the coverage page come from one pass over the same rows, so a count always
equals the length of the list it links to (:func:`inputs_filtered`).

Shadow assessments are shown beside the government's approved status and flagged where
the two disagree (:func:`disagreement`; mapping in docs/decisions.md, "Participation").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from nap1325.core.models import Organisation, User
from nap1325.library.models import Pillar
from nap1325.monitoring.models import ActionUpdate, IndicatorAssessment, ReportingPeriod
from nap1325.participation.models import (
    Consultation,
    ConsultationDocument,
    Disposition,
    Input,
    InputLink,
    ShadowAssessment,
    ShadowRating,
    StakeholderGroup,
)
from nap1325.plans.models import Action, Indicator, Plan
from nap1325.plans.visibility import PublicScope

#: Page size of long input lists.
LIST_LIMIT = 500

# --------------------------------------------------------------------------- consultations


@dataclass
class ConsultationRow:
    consultation: Consultation
    inputs: int
    undecided: int


@dataclass
class ConsultationsPage:
    """The plan's consultations with totals by sex and level."""

    rows: list[ConsultationRow]
    women: int = 0
    men: int = 0
    unspecified: int = 0
    by_level: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.women + self.men + self.unspecified


def consultations_page(plan: Plan) -> ConsultationsPage:
    """All consultations of ``plan`` (newest first) with their input counts. Two queries."""
    consultations = list(
        Consultation.objects.filter(plan=plan).select_related("organiser").order_by("-date", "id")
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for consultation_id, disposition in Input.objects.filter(consultation__plan=plan).values_list(
        "consultation_id", "disposition"
    ):
        counts[consultation_id][0] += 1
        if not disposition:
            counts[consultation_id][1] += 1
    page = ConsultationsPage(rows=[])
    by_level: Counter[str] = Counter()
    for consultation in consultations:
        total, undecided = counts[consultation.pk]
        page.rows.append(ConsultationRow(consultation, total, undecided))
        page.women += consultation.women
        page.men += consultation.men
        page.unspecified += consultation.unspecified
        by_level[consultation.get_level_display()] += 1
    page.by_level = dict(by_level)
    return page


def consultation_of(plan: Plan, pk: int) -> Consultation:
    """The consultation ``pk`` of ``plan`` (``Consultation.DoesNotExist`` otherwise)."""
    consultation = Consultation.objects.select_related("organiser").get(plan=plan, pk=pk)
    consultation.plan = plan
    return consultation


def _inputs_queryset() -> QuerySet[Input]:
    return (
        Input.objects.select_related("pillar", "raised_by", "consultation")
        .prefetch_related(
            Prefetch(
                "links",
                queryset=InputLink.objects.select_related("action").order_by(
                    "action__order", "action_id"
                ),
            )
        )
        .order_by("consultation__date", "consultation_id", "id")
    )


@dataclass
class ConsultationPage:
    consultation: Consultation
    group_counts: list[Any]
    documents: list[ConsultationDocument]
    inputs: list[Input]


def consultation_page(consultation: Consultation) -> ConsultationPage:
    """Group table, documents and inputs (with links) of a consultation. Five queries."""
    return ConsultationPage(
        consultation=consultation,
        group_counts=list(consultation.group_counts.order_by("group")),
        documents=list(consultation.documents.order_by("uploaded_at", "id")),
        inputs=list(_inputs_queryset().filter(consultation=consultation)),
    )


def document_of(consultation: Consultation, pk: int) -> ConsultationDocument:
    document = ConsultationDocument.objects.get(consultation=consultation, pk=pk)
    document.consultation = consultation
    return document


def input_of(plan: Plan, pk: int) -> Input:
    """The input ``pk`` of ``plan`` with its links (``Input.DoesNotExist`` otherwise)."""
    inp = _inputs_queryset().get(consultation__plan=plan, pk=pk)
    inp.consultation.plan = plan
    return inp


def plan_actions(plan: Plan) -> QuerySet[Action]:
    """Actions an input may be linked to (not archived), in matrix order."""
    return Action.objects.filter(plan=plan, is_archived=False).order_by("order", "id")


# --------------------------------------------------------------------------- coverage

#: Filters of the input list: name → how a value is read from an input row.
FILTERS = ("disposition", "pillar", "group", "region", "consultation", "undecided")
NONE = "none"


@dataclass(frozen=True)
class InputFilter:
    """Which inputs to list (GET parameters of the input list). ``None`` = any."""

    disposition: str | None = None
    pillar: str | None = None
    group: str | None = None
    region: str | None = None
    undecided: bool = False

    @classmethod
    def from_query(cls, query: Any) -> InputFilter:
        """From ``request.GET``; unknown values are ignored (never an error)."""

        def pick(name: str, allowed: Iterable[str] | None = None) -> str | None:
            value = (query.get(name) or "").strip()[:120]
            if not value:
                return None
            if allowed is not None and value not in allowed and value != NONE:
                return None
            return value

        return cls(
            disposition=pick("disposition", Disposition.values),
            pillar=pick("pillar"),
            group=pick("group", StakeholderGroup.values),
            region=pick("region"),
            undecided=query.get("undecided") == "1",
        )

    @property
    def is_empty(self) -> bool:
        return self == InputFilter()

    def matches(self, inp: Input) -> bool:
        def same(wanted: str | None, value: str) -> bool:
            return wanted is None or (value or NONE) == wanted

        return (
            same(self.disposition, inp.disposition)
            and same(self.pillar, inp.pillar.key if inp.pillar_id else "")
            and same(self.group, inp.group)
            and same(self.region, inp.region)
            and (not self.undecided or not inp.disposition)
        )

    def query(self) -> dict[str, str]:
        values = {
            name: getattr(self, name)
            for name in ("disposition", "pillar", "group", "region")
            if getattr(self, name)
        }
        if self.undecided:
            values["undecided"] = "1"
        return values


@dataclass
class CountRow:
    key: str
    label: str
    count: int
    filter: dict[str, str]

    @property
    def query(self) -> str:
        """The input list's query string for this count (``pillar=prevention``)."""
        return urlencode(self.filter)


@dataclass
class Coverage:
    """Counts of the plan's inputs by disposition, pillar, group and region."""

    total: int
    undecided: list[Input]
    by_disposition: list[CountRow]
    by_pillar: list[CountRow]
    by_group: list[CountRow]
    by_region: list[CountRow]
    cross: dict[str, dict[str, int]]

    @property
    def decided(self) -> int:
        return self.total - len(self.undecided)


def _plan_inputs(plan: Plan) -> list[Input]:
    return list(_inputs_queryset().filter(consultation__plan=plan))


def coverage(plan: Plan) -> Coverage:
    """Inputs without a disposition and counts by disposition, pillar, group and region.

    Three queries (inputs, their links, pillars). Each count's ``filter`` opens the input
    list that shows exactly those inputs.
    """
    inputs = _plan_inputs(plan)
    pillars = {p.key: p for p in Pillar.objects.all()}

    def rows(name: str, key_of: Any, label_of: Any, order: list[str]) -> list[CountRow]:
        counter = Counter(key_of(inp) or NONE for inp in inputs)
        keys = [k for k in order if counter[k]] + sorted(
            k for k in counter if k not in order and k != NONE
        )
        if counter[NONE]:
            keys.append(NONE)
        return [CountRow(k, label_of(k), counter[k], {name: k}) for k in keys]

    not_given = _("not given")
    dispositions = dict(Disposition.choices)
    groups = dict(StakeholderGroup.choices)
    by_disposition = rows(
        "disposition",
        lambda i: i.disposition,
        lambda k: str(dispositions.get(k, _("no disposition yet"))),
        list(Disposition.values),
    )
    cross: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for inp in inputs:
        cross[inp.pillar.key if inp.pillar_id else NONE][inp.disposition or NONE] += 1
    return Coverage(
        total=len(inputs),
        undecided=[inp for inp in inputs if not inp.disposition],
        by_disposition=by_disposition,
        by_pillar=rows(
            "pillar",
            lambda i: i.pillar.key if i.pillar_id else "",
            lambda k: pillars[k].display_name if k in pillars else not_given,
            list(pillars),
        ),
        by_group=rows(
            "group",
            lambda i: i.group,
            lambda k: str(groups.get(k, not_given)),
            list(StakeholderGroup.values),
        ),
        by_region=rows("region", lambda i: i.region, lambda k: not_given if k == NONE else k, []),
        cross={k: dict(v) for k, v in cross.items()},
    )


def inputs_filtered(plan: Plan, wanted: InputFilter) -> list[Input]:
    """The plan's inputs that match ``wanted`` (the list behind each coverage count).

    Two queries (inputs with consultation and pillar, their links). Filtering is done on
    the same rows and with the same keys as :func:`coverage`.
    """
    return [inp for inp in _plan_inputs(plan) if wanted.matches(inp)]


def input_regions(plan: Plan) -> list[str]:
    """Regions already used by the plan's consultations and inputs (for suggestions)."""
    regions = set(
        Consultation.objects.filter(plan=plan).exclude(region="").values_list("region", flat=True)
    ) | set(
        Input.objects.filter(consultation__plan=plan)
        .exclude(region="")
        .values_list("region", flat=True)
    )
    return sorted(regions)


# --------------------------------------------------------------------------- action page


@dataclass
class ActionOrigin:
    """An input linked to an action: where it came from and what became of it."""

    link: InputLink
    input: Input
    consultation: Consultation


def action_origins(action: Action) -> list[ActionOrigin]:
    """The inputs linked to ``action``, oldest consultation first. One query."""
    links = (
        InputLink.objects.filter(action=action)
        .select_related("input__consultation", "input__pillar")
        .order_by("input__consultation__date", "input_id")
    )
    return [ActionOrigin(link, link.input, link.input.consultation) for link in links]


# --------------------------------------------------------------------------- shadow assessments

#: Government action status → the rating that would agree with it.
ACTION_STATUS_BUCKET = {
    Action.Status.COMPLETED: ShadowRating.IMPLEMENTED,
    Action.Status.IN_PROGRESS: ShadowRating.PARTLY,
    Action.Status.DELAYED: ShadowRating.PARTLY,
    Action.Status.NOT_STARTED: ShadowRating.NOT_IMPLEMENTED,
    Action.Status.CANCELLED: ShadowRating.NOT_IMPLEMENTED,
}
#: Stored indicator status (nap1325.measurement Status) → the rating that would agree.
INDICATOR_STATUS_BUCKET = {
    "achieved": ShadowRating.IMPLEMENTED,
    "done": ShadowRating.IMPLEMENTED,
    "on_track": ShadowRating.PARTLY,
    "at_risk": ShadowRating.PARTLY,
    "off_track": ShadowRating.PARTLY,
    "in_progress": ShadowRating.PARTLY,
    "not_done": ShadowRating.NOT_IMPLEMENTED,
}
RATING_RANK = {
    ShadowRating.IMPLEMENTED: 3,
    ShadowRating.PARTLY: 2,
    ShadowRating.NOT_IMPLEMENTED: 1,
}


def disagreement(government_bucket: str | None, rating: str) -> str:
    """``""`` (agree, or nothing to compare), ``"government_higher"`` or ``"cso_higher"``.

    The government's status is first mapped to the rating that would agree with it
    (:data:`ACTION_STATUS_BUCKET`, :data:`INDICATOR_STATUS_BUCKET`); "no information" and
    an unknown government status never disagree.
    """
    if government_bucket is None or rating == ShadowRating.NO_INFORMATION:
        return ""
    gov, cso = RATING_RANK[ShadowRating(government_bucket)], RATING_RANK[ShadowRating(rating)]
    if gov == cso:
        return ""
    return "government_higher" if gov > cso else "cso_higher"


@dataclass
class ShadowRow:
    """A shadow assessment beside the government's approved status."""

    assessment: ShadowAssessment
    government_status: str | None
    government_label: str
    government_source: str
    flag: str

    @property
    def disagrees(self) -> bool:
        return bool(self.flag)


def _official_action_statuses(
    action_ids: Iterable[int],
) -> dict[int, list[tuple[dt.date, str, str]]]:
    """action → [(period end, period label, approved status)] oldest first. One query."""
    found: dict[int, list[tuple[dt.date, str, str]]] = defaultdict(list)
    for action_id, end, label, status in (
        ActionUpdate.objects.filter(action_id__in=list(action_ids), is_official=True)
        .order_by("report__period__end", "id")
        .values_list("action_id", "report__period__end", "report__period__label", "status")
    ):
        found[action_id].append((end, label, status))
    return found


def _as_of(history: list[tuple[dt.date, str, str]], end: dt.date) -> tuple[str, str] | None:
    """The latest approved (label, status) of a period ending on or before ``end``."""
    best = None
    for period_end, label, status in history:
        if period_end <= end:
            best = (label, status)
    return best


def shadow_rows(assessments: list[ShadowAssessment]) -> list[ShadowRow]:
    """Compare each assessment with the government's approved status. Two queries.

    Action: the status of the latest approved action update of a period ending no later
    than the assessed period (so a 2019 assessment is compared with what the government
    said for 2019, not later). Indicator: the stored status (``IndicatorAssessment``)
    today, the only approved status an indicator has.
    """
    action_ids = {a.action_id for a in assessments if a.action_id}
    indicator_ids = {a.indicator_id for a in assessments if a.indicator_id}
    histories = _official_action_statuses(action_ids) if action_ids else {}
    indicator_status = (
        dict(
            IndicatorAssessment.objects.filter(indicator_id__in=indicator_ids).values_list(
                "indicator_id", "status"
            )
        )
        if indicator_ids
        else {}
    )
    statuses = dict(Action.Status.choices)
    rows = []
    for assessment in assessments:
        if assessment.action_id:
            found = _as_of(histories.get(assessment.action_id, []), assessment.period.end)
            if found is None:
                rows.append(ShadowRow(assessment, None, _("no approved report"), "", ""))
                continue
            label, status = found
            bucket = ACTION_STATUS_BUCKET.get(Action.Status(status))
            rows.append(
                ShadowRow(
                    assessment,
                    status,
                    str(statuses.get(status, status)),
                    _("approved report, %(period)s") % {"period": label},
                    disagreement(bucket, assessment.rating),
                )
            )
        else:
            status = indicator_status.get(assessment.indicator_id)
            from nap1325.core.templatetags.nap1325 import status_label_text

            rows.append(
                ShadowRow(
                    assessment,
                    status,
                    status_label_text(status) if status else _("not assessed"),
                    _("indicator status from approved values") if status else "",
                    disagreement(INDICATOR_STATUS_BUCKET.get(status or ""), assessment.rating),
                )
            )
    return rows


def _shadow_queryset() -> QuerySet[ShadowAssessment]:
    return ShadowAssessment.objects.select_related(
        "period", "organisation", "action", "indicator", "updated_by"
    ).order_by("-period__start", "organisation__name", "id")


def shadow_for_action(action: Action) -> list[ShadowRow]:
    """Assessments of one action, newest period first. Two queries."""
    return shadow_rows(list(_shadow_queryset().filter(action=action)))


def shadow_for_indicator(indicator: Indicator) -> list[ShadowRow]:
    """Assessments of one indicator, newest period first. Two queries."""
    return shadow_rows(list(_shadow_queryset().filter(indicator=indicator)))


@dataclass
class ShadowPage:
    rows: list[ShadowRow]
    periods: list[ReportingPeriod]
    disagreements: int


def shadow_page(plan: Plan, period: ReportingPeriod | None = None) -> ShadowPage:
    """All assessments of ``plan`` (optionally of one period). Four queries."""
    assessments = _shadow_queryset().filter(plan=plan)
    if period is not None:
        assessments = assessments.filter(period=period)
    rows = shadow_rows(list(assessments[:LIST_LIMIT]))
    return ShadowPage(
        rows=rows,
        periods=list(ReportingPeriod.objects.filter(plan=plan).order_by("-start")),
        disagreements=sum(1 for row in rows if row.disagrees),
    )


@dataclass
class CivilSocietyView:
    """The plan dashboard's small "Civil society's view" section."""

    assessed: int
    by_rating: list[tuple[str, str, int]]
    disagreements: list[ShadowRow]
    period: ReportingPeriod | None


def civil_society_view(plan: Plan, *, limit: int = 5) -> CivilSocietyView:
    """The latest assessed period's ratings and where they disagree.

    One query when the plan has no assessment, two otherwise (the assessments of the
    latest periods, newest first, and the approved statuses they are compared with).
    """
    recent = list(_shadow_queryset().filter(plan=plan)[:LIST_LIMIT])
    if not recent:
        return CivilSocietyView(0, [], [], None)
    period = recent[0].period
    rows = shadow_rows([a for a in recent if a.period_id == period.pk])
    counts = Counter(row.assessment.rating for row in rows)
    return CivilSocietyView(
        assessed=len(rows),
        by_rating=[
            (key, str(label), counts[key]) for key, label in ShadowRating.choices if counts[key]
        ],
        disagreements=[row for row in rows if row.disagrees][:limit],
        period=period,
    )


def shadow_for_periods(plan: Plan, period_ids: Iterable[int]) -> list[ShadowRow]:
    """Assessments of ``plan`` for the given periods beside the government's approved
    status (for the national progress report). Two queries; oldest period first, then
    organisation and element."""
    assessments = list(
        _shadow_queryset()
        .filter(plan=plan, period_id__in=list(period_ids))
        .order_by("period__start", "organisation__name", "action__order", "indicator__order", "id")[
            :LIST_LIMIT
        ]
    )
    return shadow_rows(assessments) if assessments else []


def shadow_of(plan: Plan, pk: int) -> ShadowAssessment:
    """The assessment ``pk`` of ``plan`` (``ShadowAssessment.DoesNotExist`` otherwise)."""
    return _shadow_queryset().get(plan=plan, pk=pk)


# --------------------------------------------------------------------------- digest


def dispositions_for_digest(
    user_ids: list[int], since: dict[int, dt.datetime], default_since: dt.datetime
) -> dict[int, list[Input]]:
    """Inputs raised by each user whose disposition was decided after ``since[user]``
    (``default_since`` for users never sent a digest), on plans they still belong to.

    One query. Only inputs with a disposition are listed; superusers see all plans.
    """
    if not user_ids:
        return {}
    earliest = min([default_since, *since.values()])
    found: dict[int, list[Input]] = defaultdict(list)
    inputs = (
        Input.objects.filter(
            raised_by_id__in=user_ids,
            disposition_changed_at__gt=earliest,
        )
        .exclude(disposition="")
        .select_related("consultation__plan")
        .order_by("disposition_changed_at", "id")
    )
    for inp in inputs:
        threshold = since.get(inp.raised_by_id, default_since)
        if inp.disposition_changed_at and inp.disposition_changed_at > threshold:
            found[inp.raised_by_id].append(inp)
    return found


# --------------------------------------------------------------------------- portal


@dataclass
class PublicConsultation:
    """A published consultation with its inputs and their dispositions (for the portal)."""

    consultation: Consultation
    group_counts: list[Any]
    inputs: list[Input]


def public_consultations(
    plan: Plan, *, scope: PublicScope | None = None, pk: int | None = None
) -> list[PublicConsultation]:
    """Published consultations of a published plan, each with its inputs, links to public
    actions only, and group counts; empty for an unpublished plan.

    ``scope``: the plan's public scope when the caller already has it (the portal),
    otherwise it is read (three more queries). ``pk``: only that consultation (an empty
    list when it is not published). Four queries with ``scope`` (consultations, group
    counts, inputs, their links), one when nothing is published.

    An input's links to actions that are not public (unpublished or archived, see
    :mod:`nap1325.plans.visibility`) are left out of ``input.public_links``; its own
    disposition and a decline's reason stay (they are public with the consultation).
    """
    from nap1325.plans.visibility import public_scope

    if not plan.is_published:
        return []
    consultations_qs = Consultation.objects.filter(plan=plan, is_published=True)
    if pk is not None:
        consultations_qs = consultations_qs.filter(pk=pk)
    consultations = list(
        consultations_qs.select_related("organiser")
        .prefetch_related("group_counts")
        .order_by("-date", "id")
    )
    if not consultations:
        return []
    if scope is None:
        scope = public_scope(plan)
    inputs = list(_inputs_queryset().filter(consultation__in=consultations))
    by_consultation: dict[int, list[Input]] = defaultdict(list)
    for inp in inputs:
        inp.public_links = [  # type: ignore[attr-defined]
            link for link in inp.links.all() if link.action_id in scope.action_ids
        ]
        by_consultation[inp.consultation_id].append(inp)
    return [
        PublicConsultation(c, list(c.group_counts.all()), by_consultation[c.pk])
        for c in consultations
    ]


def plan_members(plan: Plan) -> QuerySet[User]:
    """Active members of the plan (for "raised by")."""
    return (
        User.objects.filter(memberships__plan=plan, memberships__is_active=True)
        .distinct()
        .order_by("username")
    )


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")
