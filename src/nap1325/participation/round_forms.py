"""Forms of comment rounds: opening a round, commenting, moderating, resolving.

Times are entered as wall-clock times *in the plan's time zone* and turned into aware
datetimes here (:class:`PlanTimeField`); services store them as UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from nap1325.participation.models import Comment

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class PlanTimeField(forms.DateTimeField):
    """A date and time typed in the plan's time zone, cleaned to an aware datetime."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)

    def __init__(self, *args: Any, zone: str = "UTC", **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"])
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(zone)

    #: years a round can open or close in (outside, converting to UTC could overflow)
    YEARS = (1900, 2999)

    def to_python(self, value: Any) -> dt.datetime | None:
        parsed = self._parse(value)
        if parsed is not None and not self.YEARS[0] <= parsed.year <= self.YEARS[1]:
            raise forms.ValidationError(
                _("Enter a date between %(first)d and %(last)d.")
                % {"first": self.YEARS[0], "last": self.YEARS[1]}
            )
        return parsed

    def _parse(self, value: Any) -> dt.datetime | None:
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=self.zone)
        value = (value or "").strip() if isinstance(value, str) else value
        if not value:
            return None
        for fmt in self.input_formats:
            try:
                parsed = dt.datetime.strptime(value, fmt)
            except (TypeError, ValueError):
                continue
            return parsed.replace(tzinfo=self.zone)
        raise forms.ValidationError(_("Enter a date and time, e.g. 2018-03-01 09:00."))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and value.tzinfo:
            return value.astimezone(self.zone).strftime(DATETIME_FORMAT)
        return value


class CommentRoundForm(forms.Form):
    """Open a round on a saved version."""

    version = forms.TypedChoiceField(label=_("Version"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Invitation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you ask commenters to look at."),
    )
    opens_at = PlanTimeField(label=_("Opens"))
    closes_at = PlanTimeField(label=_("Closes"))
    is_public = forms.BooleanField(
        label=_("Open to the public (comments are shown after moderation)"), required=False
    )

    def __init__(self, *args: Any, versions: list[Any], zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [(v.pk, str(v)) for v in versions]
        for name in ("opens_at", "closes_at"):
            field = PlanTimeField(label=self.fields[name].label, zone=zone)
            field.help_text = _("Local time in %(zone)s.") % {"zone": zone}
            self.fields[name] = field


class CommentForm(forms.Form):
    """A comment on one element; ``website`` is a honeypot that people never fill in."""

    anchor = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def anchor_parts(self) -> tuple[str, int]:
        """``("action", 12)`` from the hidden ``anchor`` (``("", 0)`` if malformed)."""
        kind, _sep, pk = str(self.cleaned_data.get("anchor", "")).partition("-")
        return (kind, int(pk)) if pk.isdigit() else ("", 0)


class PublicCommentForm(CommentForm):
    """A comment from a member of the public: name and e-mail are required."""

    author_name = forms.CharField(label=_("Your name"), max_length=200)
    author_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Not shown; used only if the secretariat needs to contact you."),
    )


class ResolutionForm(forms.Form):
    """Accepted / partly accepted / rejected, with a reason (required)."""

    resolution = forms.ChoiceField(
        label=_("Resolution"), choices=Comment.Resolution.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ModerationForm(forms.Form):
    """Show (approve) or hide a comment; hiding needs a reason."""

    show = forms.TypedChoiceField(
        label=_("Visibility"),
        choices=[("1", _("Show")), ("0", _("Hide"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for hiding"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
