"""Forms of the agency-report pages: periods, the report form, review decisions, evidence.

Forms only read what was typed: numbers are parsed with
:func:`nap1325.measurement.parse_decimal` (decimal comma or point, surrounding spaces), and
turned into the service inputs (:class:`~nap1325.monitoring.services.ValueInput`,
:class:`~nap1325.monitoring.services.UpdateInput`). The rules (denominator > 0, numerator
≤ denominator, progress 0–100, …) are the services'; their errors come back keyed by
:func:`~nap1325.monitoring.services.field_name`, which is also the name of each field here,
so every message lands on the field the user typed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from nap1325.core.content import active_language as page_language
from nap1325.core.content import platform_languages
from nap1325.measurement import MeasurementError, parse_localised_decimal
from nap1325.monitoring.models import ReportingPeriod
from nap1325.monitoring.services import UpdateInput, ValueInput, breakdown_keys, field_name
from nap1325.plans.models import Action, Indicator

NUMBER_MESSAGES = {
    "thousands_separator": _(
        "Enter the number without thousands separators, for example 1234.5 or 1234,5."
    ),
    "invalid_number": _("Enter a number, for example 12 or 12,5."),
}


class NumberInput(forms.TextInput):
    """A text box for numbers: the text is kept exactly as typed when the page comes back."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class DecimalTextField(forms.CharField):
    """A number typed as text ("12", "12,5", " 40 "); ``None`` when left empty.

    Text that is not a number is a field error (DESIGN.md §5, cases A6), never a crash.
    """

    widget = NumberInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "40")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_localised_decimal(
                text,
                thousands=str(get_format("THOUSAND_SEPARATOR")),
                decimal=str(get_format("DECIMAL_SEPARATOR")),
            )
        except MeasurementError as error:
            message = NUMBER_MESSAGES.get(error.code, NUMBER_MESSAGES["invalid_number"])
            raise ValidationError(message, code=error.code) from None


def plain_text(value: Decimal | None) -> str:
    """A stored Decimal as the user would type it back: ``120.000000`` → ``"120"``."""
    if value is None:
        return ""
    normalized = value.normalize()
    if normalized.as_tuple().exponent > 0:  # type: ignore[operator]
        normalized = normalized.quantize(Decimal(1))
    return format(normalized, "f")


# --------------------------------------------------------------------------- periods


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """Label, inclusive start and end, due date of a reporting period (service validates)."""

    label = forms.CharField(label=_("Label"), max_length=60, help_text=_("For example 2019 H1."))
    start = forms.DateField(label=_("First day"), widget=DateInput())
    end = forms.DateField(label=_("Last day"), widget=DateInput())
    due = forms.DateField(
        label=_("Due date"), widget=DateInput(), help_text=_("When agencies' reports are due.")
    )


class PeriodStateForm(forms.Form):
    """Open or close a period; the reason is optional and kept in the history."""

    state = forms.ChoiceField(choices=ReportingPeriod.State.choices)
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --------------------------------------------------------------------------- review


class DecisionForm(forms.Form):
    """Approve, return or reopen a report; the version the reviewer saw goes along."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --------------------------------------------------------------------------- evidence


class EvidenceForm(forms.Form):
    """An evidence file, optionally tied to one of the report's indicators."""

    file = forms.FileField(label=_("File"))
    indicator = forms.ChoiceField(label=_("Indicator (optional)"), required=False)
    description = forms.CharField(label=_("Description (optional)"), required=False, max_length=300)

    def __init__(self, *args: Any, indicators: Iterable[Indicator] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = {str(i.pk): i for i in indicators}
        self.fields["indicator"].choices = [("", _("The whole report"))] + [
            (key, f"{i.code} — {i.title[:80]}") for key, i in self.indicators.items()
        ]

    def chosen_indicator(self) -> Indicator | None:
        return self.indicators.get(self.cleaned_data.get("indicator") or "")


class WorkbookUploadForm(forms.Form):
    """A filled-in report workbook (read by :mod:`nap1325.monitoring.workbook`)."""

    file = forms.FileField(
        label=_("Filled workbook (.xlsx)"),
        help_text=_("The workbook downloaded from this page, filled in."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


# --------------------------------------------------------------------------- report


YES_NO_CHOICES = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


def narrative_languages(
    plan: Any, texts: Iterable[Mapping[str, str | None]], data: Mapping[str, Any] | None = None
) -> list[str]:
    """The languages of the report form's "Translations" blocks: the plan's languages other
    than the page's (in the plan's order), then any other platform language that already
    has a narrative in ``texts`` (per-language mappings) or was posted in ``data``."""
    known = platform_languages()
    page = page_language()
    chosen = [c for c in (getattr(plan, "languages", None) or []) if c in known and c != page]
    found = {code for text in texts for code, value in text.items() if (value or "").strip()}
    if data is not None:
        found |= {code for key in data for code in known if key.endswith(f"narrative_{code}")}
    chosen += [code for code in known if code in found and code not in chosen and code != page]
    return chosen


def _narrative_field(label: Any, max_length: int, rows: int, lang: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "lang": lang}),
    )


def _in_language(label: Any, code: str) -> str:
    return _("%(field)s (%(language)s)") % {
        "field": label,
        "language": dict(settings.LANGUAGES)[code],
    }


class ReportForm(forms.Form):
    """The whole working copy of one report in one form: every indicator and action.

    Field names are the service's :func:`field_name` keys: ``i12-value``,
    ``i12-numerator``, ``i12-cell-3-generals|women``, ``a7-progress``; plus ``narrative``
    and the hidden ``version``. :meth:`entries` gives the service inputs.

    Narratives are translatable: ``narrative`` and ``a7-narrative`` are in the page's
    language; ``languages`` (:func:`narrative_languages`) adds ``narrative_ru``,
    ``a7-narrative_ru``, … for the "Translations" blocks. Languages not shown are kept.
    """

    NARRATIVE_LABEL = _("Narrative for the whole report")
    UPDATE_NARRATIVE_LABEL = _("What was done")

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self,
        *args: Any,
        indicators: Iterable[Indicator],
        actions: Iterable[Action],
        languages: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.page_language = page_language()
        self.translation_languages = [
            code
            for code in languages
            if code in platform_languages() and code != self.page_language
        ]
        self.fields["narrative"] = _narrative_field(
            self.NARRATIVE_LABEL, 20000, 5, self.page_language
        )
        for code in self.translation_languages:
            self.fields[f"narrative_{code}"] = _narrative_field(
                _in_language(self.NARRATIVE_LABEL, code), 20000, 5, code
            )
        self.indicators = list(indicators)
        self.actions = list(actions)
        for indicator in self.indicators:
            self._add_indicator_fields(indicator)
        for action in self.actions:
            self._add_action_fields(action)

    def narrative_translations(self) -> list[forms.BoundField]:
        """The report narrative's fields in the other languages."""
        return [self[f"narrative_{code}"] for code in self.translation_languages]

    def action_translations(self, action_id: int) -> list[forms.BoundField]:
        """One action's "what was done" fields in the other languages."""
        return [
            self[field_name("a", action_id, f"narrative_{code}")]
            for code in self.translation_languages
        ]

    # fields ---------------------------------------------------------------

    def _add(self, kind: str, pk: int, name: str, field: forms.Field) -> None:
        self.fields[field_name(kind, pk, name)] = field

    def _add_indicator_fields(self, indicator: Indicator) -> None:
        pk, measure = indicator.pk, indicator.measure
        if measure == Indicator.Measure.NUMBER:
            label = _("Value") if not indicator.unit else f"{_('Value')} ({indicator.unit})"
            self._add("i", pk, "value", DecimalTextField(label=label))
            for breakdown in indicator.breakdowns.all():
                for key in breakdown_keys(breakdown):
                    self._add("i", pk, f"cell-{breakdown.pk}-{key}", DecimalTextField(label=key))
        elif measure == Indicator.Measure.PERCENTAGE:
            self._add("i", pk, "numerator", DecimalTextField(label=_("Numerator")))
            self._add("i", pk, "denominator", DecimalTextField(label=_("Denominator")))
        elif measure == Indicator.Measure.YES_NO:
            self._add(
                "i",
                pk,
                "yes_no",
                forms.ChoiceField(label=_("Yes or no"), required=False, choices=YES_NO_CHOICES),
            )
        elif measure == Indicator.Measure.STAGE:
            stages = [str(s) for s in indicator.stages if str(s).strip()]
            choices = [("", "—")] + [(str(index), name) for index, name in enumerate(stages)]
            self._add(
                "i",
                pk,
                "stage",
                forms.ChoiceField(label=_("Stage reached"), required=False, choices=choices),
            )
        self._add("i", pk, "no_data", forms.BooleanField(label=_("No data"), required=False))
        self._add(
            "i",
            pk,
            "no_data_reason",
            forms.CharField(label=_("Why there is no data"), required=False, max_length=2000),
        )
        self._add(
            "i",
            pk,
            "comment",
            forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            ),
        )

    def _add_action_fields(self, action: Action) -> None:
        pk = action.pk
        self._add(
            "a",
            pk,
            "status",
            forms.ChoiceField(
                label=_("Status"), required=False, choices=[("", "—"), *Action.Status.choices]
            ),
        )
        self._add("a", pk, "progress", DecimalTextField(label=_("Progress (%)")))
        self._add("a", pk, "expenditure", DecimalTextField(label=_("Expenditure")))
        self._add(
            "a",
            pk,
            "narrative",
            _narrative_field(self.UPDATE_NARRATIVE_LABEL, 10000, 3, self.page_language),
        )
        for code in self.translation_languages:
            self._add(
                "a",
                pk,
                f"narrative_{code}",
                _narrative_field(_in_language(self.UPDATE_NARRATIVE_LABEL, code), 10000, 3, code),
            )

    # data in and out --------------------------------------------------------

    @staticmethod
    def initial_for(
        version: int,
        narratives: Mapping[str, str | None],
        values: Mapping[int, ValueInput],
        updates: Mapping[int, UpdateInput],
    ) -> dict[str, Any]:
        """Initial data from a stored copy (see :func:`services.read_entries`); the report's
        ``narratives`` by language. Each language's own text, never a fallback (a fallback
        would be saved as the page language's narrative)."""
        page = page_language()
        initial: dict[str, Any] = {"version": version, "narrative": narratives.get(page) or ""}
        for code in platform_languages():
            initial[f"narrative_{code}"] = narratives.get(code) or ""
        for pk, entry in values.items():
            initial[field_name("i", pk, "value")] = plain_text(entry.value)
            initial[field_name("i", pk, "numerator")] = plain_text(entry.numerator)
            initial[field_name("i", pk, "denominator")] = plain_text(entry.denominator)
            if entry.yes_no is not None:
                initial[field_name("i", pk, "yes_no")] = "yes" if entry.yes_no else "no"
            if entry.stage is not None:
                initial[field_name("i", pk, "stage")] = str(entry.stage)
            initial[field_name("i", pk, "no_data")] = entry.no_data
            initial[field_name("i", pk, "no_data_reason")] = entry.no_data_reason
            initial[field_name("i", pk, "comment")] = entry.comment
            for breakdown_id, cells in entry.cells.items():
                for key, amount in cells.items():
                    initial[field_name("i", pk, f"cell-{breakdown_id}-{key}")] = plain_text(amount)
        for pk, update in updates.items():
            initial[field_name("a", pk, "status")] = update.status
            initial[field_name("a", pk, "progress")] = plain_text(update.progress)
            initial[field_name("a", pk, "expenditure")] = plain_text(update.expenditure)
            texts = update.texts()
            initial[field_name("a", pk, "narrative")] = texts.get(page, "")
            for code in platform_languages():
                initial[field_name("a", pk, f"narrative_{code}")] = texts.get(code, "")
        return initial

    def entries(
        self,
    ) -> tuple[dict[str, str], dict[int, ValueInput], dict[int, UpdateInput]]:
        """``(report narratives by language, values by indicator id, updates by action
        id)`` from valid data; narratives in the languages shown (the others are kept)."""
        data = self.cleaned_data

        def texts(prefix: str) -> dict[str, str]:
            found = {self.page_language: data.get(f"{prefix}narrative") or ""}
            for code in self.translation_languages:
                found[code] = data.get(f"{prefix}narrative_{code}") or ""
            return found

        def get(kind: str, pk: int, name: str) -> Any:
            return data.get(field_name(kind, pk, name))

        values: dict[int, ValueInput] = {}
        for indicator in self.indicators:
            pk = indicator.pk
            cells: dict[int, dict[str, Decimal]] = {}
            if indicator.measure == Indicator.Measure.NUMBER:
                for breakdown in indicator.breakdowns.all():
                    table = {
                        key: amount
                        for key in breakdown_keys(breakdown)
                        if (amount := get("i", pk, f"cell-{breakdown.pk}-{key}")) is not None
                    }
                    if table:
                        cells[breakdown.pk] = table
            yes_no = get("i", pk, "yes_no")
            stage = get("i", pk, "stage")
            values[pk] = ValueInput(
                value=get("i", pk, "value"),
                numerator=get("i", pk, "numerator"),
                denominator=get("i", pk, "denominator"),
                yes_no=None if not yes_no else yes_no == "yes",
                stage=None if stage in (None, "") else int(stage),
                no_data=bool(get("i", pk, "no_data")),
                no_data_reason=get("i", pk, "no_data_reason") or "",
                comment=get("i", pk, "comment") or "",
                cells=cells,
            )
        updates = {
            action.pk: UpdateInput(
                status=get("a", action.pk, "status") or "",
                progress=get("a", action.pk, "progress"),
                narratives=texts(f"a{action.pk}-"),
                expenditure=get("a", action.pk, "expenditure"),
            )
            for action in self.actions
        }
        return texts(""), values, updates

    def typed(self) -> list[tuple[str, str]]:
        """What the user typed, as ``(label, text)`` pairs (for the conflict page)."""
        owners = {f"i{i.pk}": i.code for i in self.indicators} | {
            f"a{a.pk}": a.code for a in self.actions
        }
        rows = []
        for name, field in self.fields.items():
            raw = self.data.get(self.add_prefix(name), "")
            if name == "version" or not raw:
                continue
            owner = owners.get(name.split("-", 1)[0], "")
            rows.append((f"{owner} {field.label}".strip(), str(raw)))
        return rows
