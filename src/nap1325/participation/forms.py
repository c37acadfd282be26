"""Forms of the participation pages. They parse input; rules live in the models and services
(a service's ``ValidationError`` is attached to the same field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nap1325.core.forms import OrganisationChoiceField, SafeModelForm, organisation_fields_for
from nap1325.core.models import Organisation
from nap1325.library.models import Pillar
from nap1325.monitoring.models import ReportingPeriod
from nap1325.participation.models import (
    Consultation,
    Disposition,
    Input,
    ShadowRating,
    StakeholderGroup,
)
from nap1325.plans.models import Action

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COUNT_INPUT = forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"})


def group_field_name(group: str) -> str:
    return f"group_{group}"


class ConsultationForm(SafeModelForm):
    """A consultation with one "participants from this group" field per group."""

    class Meta:
        model = Consultation
        fields = [
            "title",
            "level",
            "date",
            "place",
            "region",
            "organiser",
            "method",
            "women",
            "men",
            "unspecified",
            "summary",
            "is_illustrative",
        ]
        widgets = {
            "title": forms.TextInput(),
            "date": DATE_INPUT,
            "women": COUNT_INPUT,
            "men": COUNT_INPUT,
            "unspecified": COUNT_INPUT,
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "date": _("The day it took place (a future date is refused)."),
            "unspecified": _("Participants whose sex was not recorded."),
        }
        field_classes = {"organiser": OrganisationChoiceField}

    def __init__(self, *args: Any, group_counts: dict[str, int] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Organisation.objects.all()
        organisation_fields_for(self, self.instance.plan)
        for name in ("women", "men", "unspecified"):
            self.fields[name].min_value = 0
            self.fields[name].error_messages["invalid"] = _("Enter a whole number (0 or more).")
        for key, label in StakeholderGroup.choices:
            self.fields[group_field_name(key)] = forms.IntegerField(
                label=_("Participants from: %(group)s") % {"group": label},
                min_value=0,
                required=False,
                initial=(group_counts or {}).get(key),
                widget=COUNT_INPUT,
                error_messages={"invalid": _("Enter a whole number (0 or more).")},
            )

    def service_values(self) -> tuple[dict[str, Any], dict[str, int]]:
        """(consultation fields, group counts) from the cleaned data."""
        data = dict(self.cleaned_data)
        counts = {
            key: data.pop(group_field_name(key))
            for key in StakeholderGroup.values
            if group_field_name(key) in data
        }
        return data, {k: v for k, v in counts.items() if v}


class InputForm(SafeModelForm):
    themes_text = forms.CharField(
        label=_("Themes"),
        required=False,
        max_length=800,
        help_text=_("Separate themes with commas, e.g. access to services, security."),
    )

    class Meta:
        model = Input
        fields = ["kind", "text", "pillar", "group", "region", "is_illustrative"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, show_illustrative: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = Pillar.objects.order_by("order")
        if self.instance.pk:
            self.fields["themes_text"].initial = ", ".join(self.instance.themes)
        if not show_illustrative:
            del self.fields["is_illustrative"]
        self.order_fields(["kind", "text", "pillar", "themes_text", "group", "region"])

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["themes"] = data.pop("themes_text", "")
        return data


class LinkForm(forms.Form):
    """Link an input to an action with a disposition and its reason."""

    action = forms.ModelChoiceField(label=_("Action"), queryset=Action.objects.none())
    disposition = forms.ChoiceField(
        label=_("Disposition"), choices=[("", "---------"), *Disposition.choices]
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Public with the input once its consultation is published."),
    )

    def __init__(self, *args: Any, actions: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions
        self.fields["action"].label_from_instance = lambda a: f"{a.code} {a.title}"[:140]


class DeclineForm(forms.Form):
    """ "Not incorporated" without any action, with the reason."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why no action of the plan takes this up. Public with the input."),
    )


class ShadowAssessmentForm(forms.Form):
    """A civil-society organisation's rating of an action or indicator in a period."""

    period = forms.ModelChoiceField(
        label=_("Reporting period"), queryset=ReportingPeriod.objects.none()
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    rating = forms.ChoiceField(
        label=_("Rating"), choices=[("", "---------"), *ShadowRating.choices]
    )
    narrative = forms.CharField(
        label=_("Narrative"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you found, where and how."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence (link)"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Evidence (file)"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV, PNG or JPEG."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        periods: Any,
        organisations: list[Organisation],
        plan: Any = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        organisation_fields_for(self, plan)
        #: the one organisation a monitor writes for (then the field is not shown)
        self.single = organisations[0] if len(organisations) == 1 else None
        if self.single is not None:
            del self.fields["organisation"]

    def chosen_organisation(self) -> Organisation:
        return self.cleaned_data.get("organisation") or self.single
