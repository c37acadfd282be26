"""The form that asks for a national progress report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nap1325.reports.models import GeneratedReport

PERIOD_PREFIX = "period:"
YEAR_PREFIX = "year:"


class ReportRequestForm(forms.Form):
    """Scope (a period or a year), format and language of the report.

    ``cleaned_data`` gains ``period_label`` (``""`` for a year) and ``year`` (or ``None``).
    """

    scope = forms.ChoiceField(label=_("Period or year"))
    format = forms.ChoiceField(label=_("Format"), choices=GeneratedReport.Format.choices)
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, labels: list[str], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [
            (_("Reporting periods"), [(PERIOD_PREFIX + label, label) for label in labels]),
            (
                _("Whole years"),
                [(f"{YEAR_PREFIX}{year}", _("Year %(year)s") % {"year": year}) for year in years],
            ),
        ]
        self.fields["language"].initial = get_language()
        self.fields["format"].initial = GeneratedReport.Format.PDF

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope", "")
        data["period_label"] = ""
        data["year"] = None
        if scope.startswith(PERIOD_PREFIX):
            data["period_label"] = scope.removeprefix(PERIOD_PREFIX)
        elif scope.startswith(YEAR_PREFIX):
            data["year"] = int(scope.removeprefix(YEAR_PREFIX))
        return data
