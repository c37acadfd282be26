"""Forms of the work plan and the reminder settings. They parse input; the rules (due
before start, dropping needs a reason, no dependency cycles) live in the model and the
services and come back as messages on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nap1325.coordination import workplan_selectors as selectors
from nap1325.coordination.models import WorkPlanItem
from nap1325.core.forms import OrganisationChoiceField, SafeModelForm, organisation_fields_for
from nap1325.core.models import Organisation, User

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkPlanItemForm(SafeModelForm):
    """Create or edit a milestone or task (state and reason included)."""

    class Meta:
        model = WorkPlanItem
        fields = [
            "kind",
            "title",
            "description",
            "owner_organisation",
            "owner_user",
            "start",
            "due",
            "state",
            "drop_reason",
            "depends_on",
            "is_illustrative",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "drop_reason": forms.Textarea(attrs={"rows": 2}),
            "start": DATE_INPUT,
            "due": DATE_INPUT,
            "depends_on": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "drop_reason": _("Required when the state is “Dropped”."),
            "depends_on": _("Items that must be finished first."),
        }
        field_classes = {"owner_organisation": OrganisationChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.instance.plan
        self.fields["owner_organisation"].queryset = Organisation.objects.all()
        organisation_fields_for(self, plan)
        self.fields["owner_user"].queryset = selectors.plan_members(plan)
        self.fields["depends_on"].queryset = selectors.plan_items(plan, exclude=self.instance.pk)


class StateForm(forms.Form):
    """Change an item's state; dropping needs a reason."""

    state = forms.ChoiceField(label=_("State"), choices=WorkPlanItem.State.choices)
    drop_reason = forms.CharField(
        label=_("Reason for dropping"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the state is “Dropped”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("state") == WorkPlanItem.State.DROPPED
            and not data.get("drop_reason", "").strip()
        ):
            self.add_error("drop_reason", _("Say why the item is dropped."))
        return data


class ReminderForm(forms.Form):
    """A person's choice of reminder digests."""

    reminders = forms.ChoiceField(
        label=_("Reminders"),
        choices=User.Reminders.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A digest of the work-plan items you own, or that your organisation owns, which "
            "are due within 7 days or overdue. Nothing is sent when nothing is due."
        ),
    )
