"""Forms of the working-group, event and media pages. They parse input; rules live in the
models and services (a service's ``ValidationError`` is attached to the same field)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from nap1325.coordination.models import (
    AgendaItem,
    Event,
    GroupMember,
    MediaItem,
    Outcome,
    Sex,
    WorkingGroup,
)
from nap1325.core.forms import (
    OrganisationCheckboxes,
    OrganisationChoiceField,
    OrganisationMultipleChoiceField,
    SafeModelForm,
    TranslatedFieldsMixin,
    organisation_fields_for,
    per_language,
    per_language_widgets,
)
from nap1325.core.models import Organisation, User

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
TEXTAREA_SMALL = forms.Textarea(attrs={"rows": 2})


def _organisations() -> Any:
    """Choices of organisations (labelled and sorted by ``OrganisationChoiceField``)."""
    return Organisation.objects.all()


def _user_label(user: User) -> str:
    return str(user)


class WorkingGroupForm(TranslatedFieldsMixin, SafeModelForm):
    """The group; its name and mandate once per language of the plan."""

    translated = ("name", "mandate")

    class Meta:
        model = WorkingGroup
        fields = [
            *per_language("name", "mandate"),
            "legal_act_title",
            "legal_act_number",
            "legal_act_date",
            "convening_authority",
            "lead_organisation",
            "secretariat",
            "is_published",
        ]
        widgets = {
            **per_language_widgets(
                {"name": TEXTAREA_SMALL, "mandate": forms.Textarea(attrs={"rows": 4})}
            ),
            "legal_act_date": DATE_INPUT,
        }
        field_classes = {
            "lead_organisation": OrganisationChoiceField,
            "secretariat": OrganisationChoiceField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_languages()
        self.fields["lead_organisation"].queryset = _organisations()
        self.fields["secretariat"].queryset = _organisations()
        organisation_fields_for(self, self.instance.plan)


class GroupMemberForm(SafeModelForm):
    """A person (name, sex) or an organisation's seat (organisation only)."""

    class Meta:
        model = GroupMember
        fields = [
            "person_name",
            "organisation",
            "role",
            "sex",
            "joined_on",
            "left_on",
            "user",
            "is_illustrative",
        ]
        widgets = {"joined_on": DATE_INPUT, "left_on": DATE_INPUT}
        help_texts = {
            "left_on": _("Leave empty while the member serves; the history keeps both dates."),
            "user": _("Optional: the member's account on this platform."),
        }
        field_classes = {"organisation": OrganisationChoiceField}

    def __init__(self, *args: Any, users: Any, plan: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations()
        organisation_fields_for(self, plan)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = _user_label


class DepartureForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DATE_INPUT)


class EventForm(TranslatedFieldsMixin, SafeModelForm):
    """An event; its title and description once per language of the plan."""

    class Meta:
        model = Event
        fields = [
            "kind",
            *per_language("title"),
            "start_date",
            "end_date",
            "start_time",
            "end_time",
            "place",
            "organisers",
            "host_country",
            "visiting_country",
            "delegation",
            *per_language("description"),
            "minutes_recorder",
            "declared_participants",
            "is_illustrative",
        ]
        widgets = {
            **per_language_widgets(
                {"title": TEXTAREA_SMALL, "description": forms.Textarea(attrs={"rows": 4})}
            ),
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "start_time": TIME_INPUT,
            "end_time": TIME_INPUT,
            "organisers": OrganisationCheckboxes(attrs={"class": "checklist"}),
            "delegation": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "host_country": _("Study visits: two-letter code of the country visited, e.g. KG."),
            "visiting_country": _(
                "Study visits: two-letter code of the visitors' country, e.g. GE."
            ),
            "declared_participants": _(
                "As counted by the organisers; compared with the attendance list."
            ),
        }
        field_classes = {"organisers": OrganisationMultipleChoiceField}

    def __init__(self, *args: Any, users: Any, time_zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_languages()
        self.fields["organisers"].queryset = _organisations()
        organisation_fields_for(self, self.instance.plan)
        self.fields["minutes_recorder"].queryset = users
        self.fields["minutes_recorder"].label_from_instance = _user_label
        if time_zone:
            note = _("Local time (%(zone)s); leave empty for an all-day event.") % {
                "zone": time_zone
            }
            self.fields["start_time"].help_text = note
            self.fields["end_time"].help_text = note


class AgendaItemForm(SafeModelForm):
    class Meta:
        model = AgendaItem
        fields = ["order", "title", "description"]
        widgets = {"title": TEXTAREA_SMALL, "description": forms.Textarea(attrs={"rows": 3})}


class OutcomeForm(forms.Form):
    """Information, a decision (adopted by …) or a task that enters the work plan."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=Outcome.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    adopted_by = forms.CharField(
        label=_("Adopted by"),
        max_length=200,
        required=False,
        help_text=_("Decisions: who adopted it, e.g. “the working group, unanimously”."),
    )
    task_title = forms.CharField(
        label=_("Task title"),
        max_length=300,
        required=False,
        help_text=_("Tasks: the work-plan item's title (default: the text)."),
    )
    task_owner_organisation = OrganisationChoiceField(
        label=_("Task owner (organisation)"), queryset=Organisation.objects.none(), required=False
    )
    task_owner_user = forms.ModelChoiceField(
        label=_("Task owner (person)"), queryset=User.objects.none(), required=False
    )
    task_due = forms.DateField(label=_("Task due"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, users: Any, plan: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task_owner_organisation"].queryset = _organisations()
        organisation_fields_for(self, plan)
        self.fields["task_owner_user"].queryset = users
        self.fields["task_owner_user"].label_from_instance = _user_label

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == Outcome.Kind.TASK:
            if not data.get("task_due") and "task_due" not in self.errors:
                self.add_error("task_due", _("Give the task's due date."))
            if not data.get("task_owner_organisation") and not data.get("task_owner_user"):
                self.add_error("task_owner_organisation", _("Name who owns the task."))
        return data

    def service_values(self) -> dict[str, Any]:
        """Keyword arguments of ``outcome_record`` (without actor and agenda item)."""
        data = self.cleaned_data
        values: dict[str, Any] = {"kind": data["kind"], "text": data["text"]}
        if data["kind"] == Outcome.Kind.DECISION:
            values["adopted_by"] = data["adopted_by"].strip()
        if data["kind"] == Outcome.Kind.TASK:
            task: dict[str, Any] = {"due": data["task_due"]}
            if data["task_title"].strip():
                task["title"] = data["task_title"].strip()
            if data["task_owner_organisation"]:
                task["owner_organisation"] = data["task_owner_organisation"]
            if data["task_owner_user"]:
                task["owner_user"] = data["task_owner_user"]
            values["task"] = task
        return values

    #: Service error keys → the field that shows them.
    ERROR_FIELDS = {"task_owner": "task_owner_organisation", "task_owner_user": "task_owner_user"}


class AttendancePersonForm(forms.Form):
    """One person with their sex (counts once)."""

    person_name = forms.CharField(label=_("Person"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    is_illustrative = forms.BooleanField(label=_("Illustrative"), required=False)

    def __init__(self, *args: Any, plan: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations()
        organisation_fields_for(self, plan)

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "person_name": data["person_name"],
            "organisation": data["organisation"],
            "women": int(data["sex"] == Sex.WOMAN),
            "men": int(data["sex"] == Sex.MAN),
            "unspecified": int(data["sex"] == Sex.UNSPECIFIED),
            "is_illustrative": data["is_illustrative"],
        }


class AttendanceOrganisationForm(forms.Form):
    """An organisation's delegation, counted by sex."""

    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    women = forms.IntegerField(label=_("Women"), min_value=0, max_value=100000, initial=0)
    men = forms.IntegerField(label=_("Men"), min_value=0, max_value=100000, initial=0)
    unspecified = forms.IntegerField(
        label=_("Sex not stated"), min_value=0, max_value=100000, initial=0
    )
    is_illustrative = forms.BooleanField(label=_("Illustrative"), required=False)

    def __init__(self, *args: Any, plan: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations()
        organisation_fields_for(self, plan)

    def service_values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Default: the file name."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV, PNG or JPEG."),
    )


class MinutesForm(forms.Form):
    """The minutes, with the event's version when the page was opened (stale saves refused)."""

    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=100000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Markdown: # heading, **bold**, *italic*, - list, [text](https://…). "
            "HTML is removed when shown."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,4})?$")


class MediaItemForm(SafeModelForm):
    """Press coverage; the address must be a full http(s) URL."""

    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        required=False,
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message=_("Enter a full address starting with http:// or https://."),
            )
        ],
        help_text=_("e.g. https://kabar.kg/… — shown as a plain link."),
    )

    class Meta:
        model = MediaItem
        fields = ["event", "url", "outlet", "title", "language", "published_on", "is_published"]
        widgets = {"published_on": DATE_INPUT, "title": TEXTAREA_SMALL}
        help_texts = {"language": _("Language code, e.g. ru, ky or en.")}

    def __init__(self, *args: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events

    def clean_url(self) -> str:
        return self.cleaned_data["url"].strip()

    def clean_language(self) -> str:
        language = self.cleaned_data["language"].strip().lower()
        if language and not LANGUAGE_CODE.match(language):
            raise forms.ValidationError(_("Use a language code such as ru, ky or en."))
        return language
