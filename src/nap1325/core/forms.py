"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _


def errors_for_form(form: forms.BaseForm, error: ValidationError) -> ValidationError:
    """Re-key ``error`` so that messages for fields the form lacks become non-field errors.

    A service or ``Model.clean()`` may name a field the form does not show; Django would
    raise ``ValueError`` (a 500) for it. Here the message is kept and shown at the top.
    """
    if not hasattr(error, "error_dict"):
        return error
    keyed: dict[str, list[Any]] = {}
    for field, messages in error.error_dict.items():
        key = field if field == NON_FIELD_ERRORS or field in form.fields else NON_FIELD_ERRORS
        keyed.setdefault(key, []).extend(messages)
    return ValidationError(keyed)


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to ``form`` (unknown fields → top of the form)."""
    form.add_error(None, errors_for_form(form, error))


class SafeModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm whose model validation never crashes on fields it does not show."""

    def _update_errors(self, errors: ValidationError) -> None:
        super()._update_errors(errors_for_form(self, errors))


class ReasonMixin(forms.Form):
    """A "reason for the change" field; services require it once a plan is adopted."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required once the plan is adopted; kept in the plan's history."),
    )
