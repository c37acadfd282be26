"""Shapes of the API's answers and of the report it accepts (docs/api.md).

Conventions:

* decimals are **strings**, exact, without trailing zeros (``"120"``, ``"18.25"``) —
  never floats; the same digits the database holds (``nap1325.core.quantities``);
* dates are ``YYYY-MM-DD``; instants are ISO 8601 **with the offset of the plan's time
  zone** (``"2024-07-10T15:30:00+06:00"``), never naive and never re-based silently;
* every coded value (``status``, ``measure``, …) comes with its ``*_label`` in the
  request's language.

Read serializers only present data; writes are validated here for shape and type, then
handed to :mod:`nap1325.monitoring.services` as :class:`ValueInput` / :class:`UpdateInput`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nap1325.coordination.models import Event
from nap1325.core.content import content, platform_languages, translated
from nap1325.core.models import Membership, Organisation
from nap1325.monitoring.models import (
    AgencyReport,
    IndicatorValue,
    ReportingPeriod,
    ReportTransition,
)
from nap1325.monitoring.services import UpdateInput, ValueInput, breakdown_keys
from nap1325.participation.models import Consultation, ConsultationGroupCount, Input, InputLink
from nap1325.plans.models import Action, Breakdown, Indicator, Plan, Result


def plain(value: Decimal | None) -> str | None:
    """A Decimal as an exact plain string without trailing zeros (``120.5000`` → ``"120.5"``)."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


@extend_schema_field(
    {"type": "string", "nullable": True, "pattern": r"^-?\d+(\.\d+)?$", "example": "120.5"}
)
class ExactDecimalField(serializers.Field):
    """Output: an exact decimal string. Input: a decimal string or a JSON number.

    ``true``/``false``, text that is not a number, ``NaN`` and infinities are refused with
    a message naming the field; limits of what can be stored are checked by the services.
    """

    default_error_messages = {
        "invalid": gettext_lazy('Enter a number, e.g. "12.5".'),
        "too_long": gettext_lazy("Enter at most 40 characters."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        return plain(value)

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        text = str(data).strip()
        if len(text) > 40:
            self.fail("too_long")
        try:
            number = Decimal(text)
        except InvalidOperation:
            self.fail("invalid")
        if not number.is_finite():
            self.fail("invalid")
        return number


def plan_zone(plan: Plan | None) -> dt.tzinfo:
    """The plan's time zone (UTC when unknown)."""
    try:
        return zoneinfo.ZoneInfo(plan.time_zone) if plan is not None else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        "nullable": True,
        "example": "2024-07-10T15:30:00+06:00",
    }
)
class LocalDateTimeField(serializers.Field):
    """An aware instant shown in the plan's time zone with its offset (ISO 8601)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: dt.datetime | None) -> str | None:
        if value is None:
            return None
        if timezone.is_naive(value):  # never stored so (USE_TZ); read as UTC, not guessed
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(plan_zone(self.context.get("plan"))).isoformat()


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    """An organisation as named on the pages."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "acronym", "kind", "kind_label", "country"]


class PlanSerializer(serializers.ModelSerializer[Plan]):
    """A plan: identity, period, status, tiers, legal act."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reporting_frequency_label = serializers.CharField(
        source="get_reporting_frequency_display", read_only=True
    )
    coordinating_body = OrganisationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Plan
        fields = [
            "slug",
            "title",
            "country",
            "generation",
            "period_start",
            "period_end",
            "status",
            "status_label",
            "tier_labels",
            "currency",
            "languages",
            "time_zone",
            "reporting_frequency",
            "reporting_frequency_label",
            "legal_act_number",
            "legal_act_date",
            "legal_act_issuer",
            "description",
            "coordinating_body",
            "is_published",
        ]


class PlanDetailSerializer(PlanSerializer):
    """A plan with the caller's roles on it (empty for the public)."""

    your_roles = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "your_roles"]

    def get_your_roles(self, plan: Plan) -> list[str]:
        access = self.context.get("access")
        if access is None:
            return []
        return sorted(access.roles | ({"platform_admin"} if access.is_platform_admin else set()))


class ResultSerializer(serializers.ModelSerializer[Result]):
    """A node of the results framework above actions."""

    tier = serializers.IntegerField(source="depth", read_only=True)
    tier_label = serializers.SerializerMethodField()
    pillar = serializers.SlugRelatedField(slug_field="key", read_only=True)
    pillar_label = serializers.SerializerMethodField()
    weight = ExactDecimalField(read_only=True)

    class Meta:
        model = Result
        fields = [
            "id",
            "code",
            "title",
            "description",
            "parent",
            "tier",
            "tier_label",
            "pillar",
            "pillar_label",
            "order",
            "weight",
            "is_illustrative",
        ]

    def get_tier_label(self, result: Result) -> str:
        plan = self.context["plan"]
        labels = plan.tier_labels
        return str(labels[result.depth]) if result.depth < len(labels) else ""

    def get_pillar_label(self, result: Result) -> str | None:
        return result.pillar.display_name if result.pillar_id else None


class ActionSerializer(serializers.ModelSerializer[Action]):
    """An action with its lead agency and partners."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    geographic_level_label = serializers.CharField(
        source="get_geographic_level_display", read_only=True
    )
    lead_agency = OrganisationSerializer(read_only=True)
    partners = OrganisationSerializer(many=True, read_only=True)
    weight = ExactDecimalField(read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "code",
            "title",
            "description",
            "result",
            "lead_agency",
            "partners",
            "start",
            "end",
            "geographic_level",
            "geographic_level_label",
            "status",
            "status_label",
            "order",
            "weight",
            "is_illustrative",
        ]


class CategorySerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    name = serializers.CharField(source="label")


class DimensionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    name = serializers.CharField(source="label")
    kind = serializers.CharField()
    categories = CategorySerializer(many=True, source="categories.all")


class BreakdownSerializer(serializers.ModelSerializer[Breakdown]):
    """A declared breakdown: its dimensions and every cell key (``"generals|women"``)."""

    dimensions = serializers.SerializerMethodField()
    keys = serializers.SerializerMethodField()

    class Meta:
        model = Breakdown
        fields = ["id", "dimensions", "keys"]

    @extend_schema_field(DimensionSerializer(many=True))
    def get_dimensions(self, breakdown: Breakdown) -> list[dict[str, Any]]:
        return DimensionSerializer(breakdown.sorted_dimensions(), many=True).data

    def get_keys(self, breakdown: Breakdown) -> list[str]:
        return breakdown_keys(breakdown)


class PeriodTargetSerializer(serializers.Serializer[Any]):
    due = serializers.DateField()
    value = ExactDecimalField()


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    """An indicator with baseline, target, stages, breakdowns and period targets."""

    measure_label = serializers.CharField(source="get_measure_display", read_only=True)
    time_aggregation_label = serializers.CharField(
        source="get_time_aggregation_display", read_only=True
    )
    direction_label = serializers.CharField(source="get_direction_display", read_only=True)
    frequency_label = serializers.CharField(source="get_frequency_display", read_only=True)
    baseline_value = ExactDecimalField(read_only=True)
    target_value = ExactDecimalField(read_only=True)
    responsible_organisation = OrganisationSerializer(read_only=True, allow_null=True)
    breakdowns = BreakdownSerializer(many=True, read_only=True)
    period_targets = PeriodTargetSerializer(many=True, read_only=True)
    stages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "title",
            "description",
            "result",
            "action",
            "unit",
            "measure",
            "measure_label",
            "time_aggregation",
            "time_aggregation_label",
            "direction",
            "direction_label",
            "baseline_value",
            "baseline_date",
            "baseline_source",
            "target_value",
            "target_date",
            "period_targets",
            "stages",
            "means_of_verification",
            "frequency",
            "frequency_label",
            "responsible_organisation",
            "breakdowns",
            "is_illustrative",
        ]


class PeriodSerializer(serializers.ModelSerializer[ReportingPeriod]):
    """A reporting period (inclusive dates) and whether it takes reports."""

    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "label", "start", "end", "due", "state", "state_label"]


class CellSerializer(serializers.Serializer[Any]):
    """One breakdown cell: the breakdown's id, the category keys joined by ``|``, the amount."""

    breakdown = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    key = serializers.CharField(max_length=400)
    amount = ExactDecimalField(allow_null=False, required=True)


class StoredCellSerializer(CellSerializer):
    """A stored :class:`~nap1325.monitoring.models.ValueCell`."""

    breakdown = serializers.IntegerField(source="breakdown_id")


class OfficialValueSerializer(serializers.ModelSerializer[IndicatorValue]):
    """An approved value of one organisation for one indicator and period."""

    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    period = serializers.IntegerField(source="report.period_id", read_only=True)
    period_label = serializers.CharField(source="report.period.label", read_only=True)
    organisation = OrganisationSerializer(source="report.organisation", read_only=True)
    value = ExactDecimalField(read_only=True)
    numerator = ExactDecimalField(read_only=True)
    denominator = ExactDecimalField(read_only=True)
    cells = StoredCellSerializer(many=True, read_only=True, source="cells.all")
    approved_at = LocalDateTimeField(source="report.approved_at")

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "indicator_code",
            "period",
            "period_label",
            "organisation",
            "value",
            "numerator",
            "denominator",
            "yes_no",
            "stage",
            "no_data",
            "no_data_reason",
            "comment",
            "cells",
            "approved_at",
        ]


class EventSerializer(serializers.ModelSerializer[Event]):
    """A meeting, seminar, training, study visit or hearing (local dates and times).

    ``starts_at``/``ends_at`` are the local date and time with the plan's offset (``null``
    for an all-day event). ``minutes`` are shown to the plan's members only.
    """

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    organisers = OrganisationSerializer(many=True, read_only=True)
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "start_date",
            "end_date",
            "start_time",
            "end_time",
            "starts_at",
            "ends_at",
            "place",
            "organisers",
            "host_country",
            "visiting_country",
            "delegation",
            "description",
            "declared_participants",
            "minutes",
            "is_published",
            "is_illustrative",
        ]

    def _local(self, day: dt.date, time: dt.time | None) -> str | None:
        if time is None:
            return None
        zone = plan_zone(self.context.get("plan"))
        return dt.datetime.combine(day, time, tzinfo=zone).isoformat()

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_starts_at(self, event: Event) -> str | None:
        return self._local(event.start_date, event.start_time)

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_ends_at(self, event: Event) -> str | None:
        return self._local(event.end_date, event.end_time or None)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_minutes(self, event: Event) -> str | None:
        return event.minutes if self.context.get("internal") else None


# --------------------------------------------------------------------------- participation


class LinkedActionSerializer(serializers.ModelSerializer[Action]):
    """The action an input is linked to (code and title in the request's language)."""

    class Meta:
        model = Action
        fields = ["id", "code", "title"]


class InputLinkSerializer(serializers.ModelSerializer[InputLink]):
    """An input's link to an action: the disposition decided for that action and why."""

    action = LinkedActionSerializer(read_only=True)
    disposition_label = serializers.CharField(source="get_disposition_display", read_only=True)

    class Meta:
        model = InputLink
        fields = ["action", "disposition", "disposition_label", "reason"]


class InputSerializer(serializers.ModelSerializer[Input]):
    """A concern or recommendation raised at a consultation, with what became of it.

    ``disposition`` is the input's own (the highest of its links, or "not_incorporated"
    when declined with ``decline_reason``; ``""`` while undecided). ``links`` lists the
    actions that answer it — for the public only public actions.
    """

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    pillar = serializers.SerializerMethodField()
    pillar_label = serializers.SerializerMethodField()
    group_label = serializers.CharField(source="get_group_display", read_only=True)
    disposition_label = serializers.SerializerMethodField()
    links = InputLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Input
        fields = [
            "id",
            "kind",
            "kind_label",
            "text",
            "pillar",
            "pillar_label",
            "themes",
            "region",
            "group",
            "group_label",
            "disposition",
            "disposition_label",
            "decline_reason",
            "links",
            "is_illustrative",
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_pillar(self, inp: Input) -> str | None:
        return inp.pillar.key if inp.pillar_id else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_pillar_label(self, inp: Input) -> str | None:
        return inp.pillar.display_name if inp.pillar_id else None

    def get_disposition_label(self, inp: Input) -> str:
        return str(inp.get_disposition_display()) if inp.disposition else ""


class GroupCountSerializer(serializers.ModelSerializer[ConsultationGroupCount]):
    group_label = serializers.CharField(source="get_group_display", read_only=True)

    class Meta:
        model = ConsultationGroupCount
        fields = ["group", "group_label", "count"]


class ParticipantsSerializer(serializers.Serializer[Any]):
    women = serializers.IntegerField()
    men = serializers.IntegerField()
    unspecified = serializers.IntegerField(help_text="Sex not stated.")
    total = serializers.IntegerField(source="participants")


class ConsultationSerializer(serializers.ModelSerializer[Consultation]):
    """A consultation with its participants (by sex and by group) and the inputs raised.

    Group counts need not add up to the total: a person may belong to several groups.
    """

    level_label = serializers.CharField(source="get_level_display", read_only=True)
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    organiser = OrganisationSerializer(read_only=True, allow_null=True)
    participants = ParticipantsSerializer(source="*", read_only=True)
    groups = GroupCountSerializer(many=True, read_only=True, source="group_counts")
    inputs = InputSerializer(many=True, read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "title",
            "level",
            "level_label",
            "date",
            "place",
            "region",
            "organiser",
            "method",
            "method_label",
            "participants",
            "groups",
            "summary",
            "inputs",
            "is_published",
            "is_illustrative",
        ]


# --------------------------------------------------------------------------- reports


class TransitionSerializer(serializers.ModelSerializer[ReportTransition]):
    occurred_at = LocalDateTimeField()
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ReportTransition
        fields = ["from_state", "to_state", "version", "occurred_at", "actor", "reason"]

    def get_actor(self, row: ReportTransition) -> str | None:
        return str(row.actor) if row.actor_id else None


class WorkingValueSerializer(serializers.Serializer[Any]):
    """One entry of a report's working copy (the pending values)."""

    indicator = serializers.IntegerField()
    value = ExactDecimalField()
    numerator = ExactDecimalField()
    denominator = ExactDecimalField()
    yes_no = serializers.BooleanField(allow_null=True)
    stage = serializers.IntegerField(allow_null=True)
    no_data = serializers.BooleanField()
    no_data_reason = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True)
    cells = CellSerializer(many=True)


def _narrative_columns() -> dict[str, serializers.Field]:
    """``narrative_en``, ``narrative_ru``, …: each language's own text (null where none)."""
    return {
        name: serializers.CharField(
            read_only=True,
            allow_null=True,
            help_text=f"The narrative written in {name.rsplit('_', 1)[1]} (null: none).",
        )
        for name in translated("narrative")
    }


class WorkingUpdateSerializer(serializers.Serializer[Any]):
    """One action update of a report's working copy. ``narrative`` is in the request's
    language or, when it has none, the next language of the plan's chain, which
    ``narrative_lang`` names; ``narrative_en`` etc. hold each language's own text."""

    action = serializers.IntegerField()
    status = serializers.CharField()
    progress = ExactDecimalField()
    narrative = serializers.CharField(allow_blank=True)
    narrative_lang = serializers.CharField()
    expenditure = ExactDecimalField()

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **_narrative_columns()}


class ReportSerializer(serializers.ModelSerializer[AgencyReport]):
    """An agency report: state, version (send it back with every write), timestamps.

    ``narrative`` is in the request's language or, when it has none, the next language of
    the plan's chain (``narrative_lang`` says which); ``narrative_en`` etc. hold each
    language's own text (null where none)."""

    state_label = serializers.CharField(source="get_state_display", read_only=True)
    narrative = serializers.SerializerMethodField()
    narrative_lang = serializers.SerializerMethodField()
    period = PeriodSerializer(read_only=True)
    organisation = OrganisationSerializer(read_only=True)
    created_at = LocalDateTimeField()
    updated_at = LocalDateTimeField()
    submitted_at = LocalDateTimeField()
    approved_at = LocalDateTimeField()
    editable = serializers.SerializerMethodField()

    class Meta:
        model = AgencyReport
        fields = [
            "id",
            "period",
            "organisation",
            "state",
            "state_label",
            "version",
            "narrative",
            "narrative_lang",
            *translated("narrative"),
            "editable",
            "created_at",
            "updated_at",
            "submitted_at",
            "approved_at",
        ]

    def get_narrative(self, report: AgencyReport) -> str:
        return content(report, "narrative", report.plan).text

    def get_narrative_lang(self, report: AgencyReport) -> str:
        """The language ``narrative`` is written in."""
        return content(report, "narrative", report.plan).lang

    def get_editable(self, report: AgencyReport) -> bool:
        """True while values can be saved: draft, returned or reopened, in an open period."""
        return bool(report.is_editable and report.period.is_open)


class ReportDetailSerializer(ReportSerializer):
    """A report with its working copy (values and action updates) and its transitions."""

    values = WorkingValueSerializer(many=True, read_only=True, source="working_values")
    updates = WorkingUpdateSerializer(many=True, read_only=True, source="working_updates")
    transitions = TransitionSerializer(many=True, read_only=True, source="transition_rows")
    indicators = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, source="scope_indicator_ids"
    )
    actions = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, source="scope_action_ids"
    )

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "indicators",
            "actions",
            "values",
            "updates",
            "transitions",
        ]


def _update_row(pk: int, update: UpdateInput, plan: Any) -> dict[str, Any]:
    texts = update.texts()
    narrative = update.narrative_in(plan)
    return {
        "action": pk,
        "status": update.status,
        "progress": update.progress,
        "narrative": narrative.text,
        "narrative_lang": narrative.lang,
        **{f"narrative_{code}": texts.get(code) or None for code in platform_languages()},
        "expenditure": update.expenditure,
    }


def working_copy(
    values: dict[int, ValueInput], updates: dict[int, UpdateInput], plan: Any = None
) -> dict[str, Any]:
    """The working copy as plain rows for :class:`ReportDetailSerializer` (narratives by
    ``plan``'s chain)."""
    return {
        "working_values": [
            {
                "indicator": pk,
                **{
                    name: getattr(entry, name)
                    for name in (
                        "value",
                        "numerator",
                        "denominator",
                        "yes_no",
                        "stage",
                        "no_data",
                        "no_data_reason",
                        "comment",
                    )
                },
                "cells": [
                    {"breakdown": b_id, "key": key, "amount": amount}
                    for b_id, table in sorted(entry.cells.items())
                    for key, amount in sorted(table.items())
                ],
            }
            for pk, entry in sorted(values.items())
        ],
        "working_updates": [
            _update_row(pk, update, plan) for pk, update in sorted(updates.items())
        ],
    }


# --------------------------------------------------------------------------- writes


class StrictSerializer(serializers.Serializer[Any]):
    """Refuses fields it does not know, naming them: ``organisation``, ``state`` and the
    like are never taken from a request (no mass assignment), and a typo is not ignored."""

    #: Names that exist on the report but are set by the workflow, never by a request.
    WORKFLOW_FIELDS = frozenset(
        {"state", "organisation", "period", "plan", "submitted_by", "approved_by", "id"}
    )

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"detail": [_("Send a JSON object.")]}, code="invalid"
            )
        unknown = [name for name in data if name not in self.fields]
        if unknown:
            raise serializers.ValidationError(
                {
                    str(name): [
                        _("This is set by the workflow, not by a request.")
                        if name in self.WORKFLOW_FIELDS
                        else _("Unknown field.")
                    ]
                    for name in unknown
                }
            )
        return super().to_internal_value(data)


class CellInputSerializer(StrictSerializer):
    breakdown = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    key = serializers.CharField(max_length=400)
    amount = ExactDecimalField(allow_null=False, required=True)


class ValueInputSerializer(StrictSerializer):
    """One indicator's entry, as on the report form (empty entry = "not reported")."""

    indicator = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    value = ExactDecimalField()
    numerator = ExactDecimalField()
    denominator = ExactDecimalField()
    yes_no = serializers.BooleanField(allow_null=True, required=False, default=None)
    stage = serializers.IntegerField(
        allow_null=True, required=False, default=None, min_value=0, max_value=1000
    )
    no_data = serializers.BooleanField(required=False, default=False)
    no_data_reason = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=2000
    )
    comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
    cells = CellInputSerializer(many=True, required=False, default=list, max_length=2000)

    def validate_cells(self, cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Refuse a cell given twice (same breakdown and key): which one would count?"""
        seen: dict[tuple[int, str], int] = {}
        for index, cell in enumerate(cells):
            where = (cell["breakdown"], cell["key"])
            if where in seen:
                raise serializers.ValidationError(
                    _(
                        "Cell %(index)d repeats cell %(first)d "
                        "(breakdown %(breakdown)d, key “%(key)s”)."
                    )
                    % {
                        "index": index,
                        "first": seen[where],
                        "breakdown": where[0],
                        "key": where[1],
                    }
                )
            seen[where] = index
        return cells

    def to_input(self, data: dict[str, Any]) -> ValueInput:
        cells: dict[int, dict[str, Decimal]] = {}
        for cell in data.get("cells") or []:
            cells.setdefault(cell["breakdown"], {})[cell["key"]] = cell["amount"]
        return ValueInput(
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            yes_no=data.get("yes_no"),
            stage=data.get("stage"),
            no_data=data.get("no_data", False),
            no_data_reason=data.get("no_data_reason", ""),
            comment=data.get("comment", ""),
            cells=cells,
        )


def _narrative_inputs(max_length: int) -> dict[str, serializers.Field]:
    """``narrative`` (the request's language) and ``narrative_en`` etc.; a language not sent
    keeps its text, ``""`` or null clears it."""
    fields: dict[str, serializers.Field] = {
        "narrative": serializers.CharField(
            required=False,
            allow_blank=True,
            allow_null=True,
            default=None,
            max_length=max_length,
            help_text="The narrative in the request's language (?lang= or Accept-Language).",
        )
    }
    for name in translated("narrative"):
        fields[name] = serializers.CharField(
            required=False,
            allow_blank=True,
            allow_null=True,
            max_length=max_length,
            help_text=f"The narrative in {name.rsplit('_', 1)[1]}; not sent: kept as it is.",
        )
    return fields


def narratives_of(data: dict[str, Any]) -> dict[str, str]:
    """The per-language narratives a request sent (``narrative_ru`` → ``{"ru": …}``)."""
    return {
        name.rsplit("_", 1)[1]: data[name] or "" for name in translated("narrative") if name in data
    }


class UpdateInputSerializer(StrictSerializer):
    """One action's update: status, progress 0–100, narrative, expenditure.

    The narrative per language: ``narrative_ky``, ``narrative_ru``, … or ``narrative`` for
    the request's language; languages not sent keep their text.
    """

    action = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    status = serializers.ChoiceField(
        choices=Action.Status.choices, required=False, allow_blank=True, default=""
    )
    progress = ExactDecimalField()
    expenditure = ExactDecimalField()

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **_narrative_inputs(10000)}


def _unique(rows: list[dict[str, Any]], key: str) -> None:
    seen: set[int] = set()
    for row in rows:
        if row[key] in seen:
            raise serializers.ValidationError(
                _("%(key)s %(id)s appears twice.") % {"key": key, "id": row[key]}
            )
        seen.add(row[key])


class ReportSaveSerializer(StrictSerializer):
    """Save the working copy: the ``version`` you read, and what you change.

    ``values`` and ``updates`` not given are left as they are; an empty entry (only its
    ``indicator``/``action``) removes it. The report's state and organisation are not
    fields: they follow from the address and the workflow.
    """

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    values = ValueInputSerializer(many=True, required=False, default=list, max_length=2000)
    updates = UpdateInputSerializer(many=True, required=False, default=list, max_length=2000)

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **_narrative_inputs(20000)}

    def validate_values(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        _unique(rows, "indicator")
        return rows

    def validate_updates(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        _unique(rows, "action")
        return rows

    def inputs(self) -> tuple[dict[int, ValueInput], dict[int, UpdateInput]]:
        """The validated entries as service inputs, by indicator id and action id."""
        data = self.validated_data
        values = {row["indicator"]: ValueInputSerializer().to_input(row) for row in data["values"]}
        updates = {
            row["action"]: UpdateInput(
                status=row.get("status", ""),
                progress=row.get("progress"),
                narrative=row.get("narrative"),
                narratives=narratives_of(row),
                expenditure=row.get("expenditure"),
            )
            for row in data["updates"]
        }
        return values, updates


class VersionSerializer(StrictSerializer):
    """A workflow step: the ``version`` of the report you read."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class DecisionSerializer(StrictSerializer):
    """A review decision with the report's ``version``; ``reason`` for return and reopen."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    """One role the caller holds: on which plan, for which organisation."""

    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["plan", "role", "role_label", "organisation"]


class MeSerializer(serializers.Serializer[Any]):
    """Who the caller is and what roles they hold."""

    username = serializers.CharField(allow_null=True)
    display_name = serializers.CharField(allow_null=True)
    is_platform_admin = serializers.BooleanField()
    memberships = MembershipSerializer(many=True)
