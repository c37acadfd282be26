"""Forms of the implementation matrix. They parse input; rules live in models and services."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nap1325.core.forms import (
    OrganisationCheckboxes,
    OrganisationChoiceField,
    OrganisationMultipleChoiceField,
    ReasonMixin,
    SafeModelForm,
    TranslatedFieldsMixin,
    organisation_fields_for,
    per_language,
    per_language_widgets,
)
from nap1325.core.models import Organisation
from nap1325.library.models import FrameworkIndicator, Pillar
from nap1325.plans.models import Action, BudgetLine, Dimension, Indicator, Result

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA_SMALL = forms.Textarea(attrs={"rows": 2})


class ResultForm(TranslatedFieldsMixin, ReasonMixin, SafeModelForm):
    class Meta:
        model = Result
        fields = [
            "code",
            *per_language("title", "description"),
            "pillar",
            "weight",
            "is_published",
        ]
        widgets = per_language_widgets(
            {"title": TEXTAREA_SMALL, "description": forms.Textarea(attrs={"rows": 3})}
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_languages()
        self.fields["pillar"].queryset = Pillar.objects.all()
        if self.instance.parent_id is not None:
            del self.fields["pillar"]


class ActionForm(TranslatedFieldsMixin, ReasonMixin, SafeModelForm):
    class Meta:
        model = Action
        fields = [
            "code",
            *per_language("title", "description"),
            "lead_agency",
            "partners",
            "start",
            "end",
            "geographic_level",
            "status",
            "weight",
            "is_published",
        ]
        widgets = {
            **per_language_widgets(
                {"title": TEXTAREA_SMALL, "description": forms.Textarea(attrs={"rows": 3})}
            ),
            "start": DATE_INPUT,
            "end": DATE_INPUT,
            "partners": OrganisationCheckboxes(attrs={"class": "checklist"}),
        }
        field_classes = {
            "lead_agency": OrganisationChoiceField,
            "partners": OrganisationMultipleChoiceField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_languages()
        organisations = Organisation.objects.all()
        self.fields["lead_agency"].queryset = organisations
        self.fields["partners"].queryset = organisations
        organisation_fields_for(self, self.instance.plan)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lead = data.get("lead_agency")
        partners = data.get("partners")
        if lead is not None and partners is not None and lead in partners:
            self.add_error("partners", _("The lead agency cannot also be a partner."))
        return data


def _parse_decimal(text: str) -> Decimal:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not value.is_finite():
        raise ValueError(text)
    return value


def _parse_date(text: str) -> dt.date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


class IndicatorForm(TranslatedFieldsMixin, ReasonMixin, SafeModelForm):
    """Indicator with stages, breakdowns and period targets typed as short lines of text."""

    stages = forms.CharField(
        label=_("Stages"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stage indicators only: one stage per line, in order; the last is the target."),
    )
    breakdowns = forms.CharField(
        label=_("Breakdowns"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One breakdown per line; a cross-tab joins dimensions with ×, e.g. “rank × sex”."
        ),
    )
    period_targets = forms.CharField(
        label=_("Period targets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional; one per line as date = value, e.g. “2019-12-31 = 40”."),
    )

    translated = ("title", "description", "unit", "means_of_verification")

    class Meta:
        model = Indicator
        fields = [
            "code",
            *per_language("title", "description", "unit"),
            "measure",
            "time_aggregation",
            "direction",
            "baseline_value",
            "baseline_date",
            "baseline_source",
            "target_value",
            "target_date",
            "stages",
            *per_language("means_of_verification"),
            "frequency",
            "responsible_organisation",
            "framework_indicators",
            "is_published",
        ]
        widgets = {
            **per_language_widgets(
                {
                    "title": TEXTAREA_SMALL,
                    "description": forms.Textarea(attrs={"rows": 2}),
                    "unit": forms.TextInput(),
                    "means_of_verification": TEXTAREA_SMALL,
                }
            ),
            "baseline_date": DATE_INPUT,
            "target_date": DATE_INPUT,
            "framework_indicators": forms.CheckboxSelectMultiple(attrs={"class": "checklist"}),
        }
        field_classes = {"responsible_organisation": OrganisationChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_languages()
        plan = self.instance.plan
        self.dimensions = list(Dimension.objects.filter(plan=plan).order_by("order", "id"))
        self.fields["responsible_organisation"].queryset = Organisation.objects.all()
        organisation_fields_for(self, plan)
        self.fields["framework_indicators"].queryset = FrameworkIndicator.objects.all()
        self.fields["breakdowns"].help_text = "{} {}".format(
            self.fields["breakdowns"].help_text,
            gettext("Dimensions of this plan: %(names)s.")
            % {"names": ", ".join(d.label for d in self.dimensions) or "—"},
        )
        if self.instance.pk:
            self.initial["stages"] = "\n".join(str(s) for s in self.instance.stages or [])
            self.initial["breakdowns"] = "\n".join(
                " × ".join(d.label for d in b.sorted_dimensions())
                for b in self.instance.breakdowns.all()
            )
            self.initial["period_targets"] = "\n".join(
                f"{t.due.isoformat()} = {format(t.value.normalize(), 'f')}"
                for t in self.instance.period_targets.all()
            )

    def clean_stages(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["stages"].splitlines()]
        stages = [line for line in lines if line]
        if len(set(stages)) != len(stages):
            raise ValidationError(_("Each stage must appear once."))
        return stages

    def clean_breakdowns(self) -> list[list[Dimension]]:
        by_name = {}
        for dimension in self.dimensions:
            by_name[dimension.key.lower()] = dimension
            by_name[dimension.name.lower()] = dimension
        breakdowns: list[list[Dimension]] = []
        for number, line in enumerate(self.cleaned_data["breakdowns"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip().lower() for p in re.split(r"[×*]|\sx\s", line) if p.strip()]
            dims = []
            for part in parts:
                if part not in by_name:
                    raise ValidationError(
                        _("Line %(line)d: unknown dimension “%(name)s”.")
                        % {"line": number, "name": part}
                    )
                dims.append(by_name[part])
            if len({d.pk for d in dims}) != len(dims):
                raise ValidationError(
                    _("Line %(line)d names a dimension twice.") % {"line": number}
                )
            breakdowns.append(dims)
        return breakdowns

    def clean_period_targets(self) -> list[tuple[dt.date, Decimal]]:
        targets: list[tuple[dt.date, Decimal]] = []
        for number, line in enumerate(self.cleaned_data["period_targets"].splitlines(), start=1):
            if not line.strip():
                continue
            date_text, sep, value_text = line.partition("=")
            if not sep:
                raise ValidationError(
                    _("Line %(line)d: write date = value, e.g. 2019-12-31 = 40.") % {"line": number}
                )
            try:
                due = _parse_date(date_text)
            except ValueError:
                raise ValidationError(
                    _("Line %(line)d: “%(text)s” is not a date (use 2019-12-31 or 31.12.2019).")
                    % {"line": number, "text": date_text.strip()}
                ) from None
            try:
                value = _parse_decimal(value_text)
            except ValueError:
                raise ValidationError(
                    _("Line %(line)d: “%(text)s” is not a number.")
                    % {"line": number, "text": value_text.strip()}
                ) from None
            targets.append((due, value))
        return targets


class BudgetLineForm(ReasonMixin, SafeModelForm):
    class Meta:
        model = BudgetLine
        fields = [
            "description",
            "amount",
            "currency",
            "funding_source",
            "funder",
            "year",
            "secured",
        ]
        field_classes = {"funder": OrganisationChoiceField}

    def __init__(self, *args: Any, plan: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = Organisation.objects.all()
        organisation_fields_for(self, plan)
        self.fields["amount"].localize = False


class ReasonForm(ReasonMixin):
    """Confirmation of an archive or a move, with the reason the adopted plan requires."""
