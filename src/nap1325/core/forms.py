"""Form helpers shared by every app."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from nap1325.core.content import (
    is_other_language,
    organisation_label,
    platform_languages,
    translated_base,
)


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


# --------------------------------------------------------------------------- translated fields


def per_language(*names: str) -> list[str]:
    """Form fields of translated model fields: ``["title_en", "title_ru", "title_ky"]``."""
    return [f"{name}_{code}" for name in names for code in platform_languages()]


def per_language_widgets(widgets: dict[str, forms.Widget]) -> dict[str, forms.Widget]:
    """The same widget for each language's column of a field, marked with its ``lang``."""
    result: dict[str, forms.Widget] = {}
    for name, widget in widgets.items():
        for code in platform_languages():
            clone = copy.deepcopy(widget)
            clone.attrs = {**widget.attrs, "lang": code}
            result[f"{name}_{code}"] = clone
    return result


def content_languages(plan: Any, instance: Any, names: tuple[str, ...]) -> list[str]:
    """Languages to edit plan content in: the plan's (``Plan.languages``, main first), then
    any other language the item already has text in; ``LANGUAGE_CODE`` if the plan names
    none of the platform's languages."""
    known = platform_languages()
    chosen = [code for code in (getattr(plan, "languages", None) or []) if code in known]
    for code in known:
        if code not in chosen and any(
            str(getattr(instance, f"{name}_{code}", None) or "").strip() for name in names
        ):
            chosen.append(code)
    return chosen or [settings.LANGUAGE_CODE]


class TranslatedFieldsMixin(forms.BaseForm):
    """Edit translated fields one language at a time: "Title (Kyrgyz)", "Title (Russian)".

    Shows the columns of :attr:`translated` in the plan's languages (in its order) where
    the form declares the field, drops the other languages' columns (left unchanged on
    save) and asks for the first field (the title, the name) in at least one language.
    Needs ``self.instance.plan``; used by the plan's items (results, actions, indicators)
    and by coordination (working group, events). Call :meth:`setup_languages` in
    ``__init__``.
    """

    translated: tuple[str, ...] = ("title", "description")

    def setup_languages(self) -> None:
        instance = self.instance  # type: ignore[attr-defined]
        self.content_languages = content_languages(instance.plan, instance, self.translated)
        names = dict(settings.LANGUAGES)
        model = instance._meta.model
        for name in self.translated:
            label = capfirst(model._meta.get_field(name).verbose_name)
            for code in platform_languages():
                key = f"{name}_{code}"
                if key not in self.fields:
                    continue
                if code not in self.content_languages:
                    del self.fields[key]
                    continue
                self.fields[key].label = _("%(field)s (%(language)s)") % {
                    "field": label,
                    "language": names[code],
                }
                self.fields[key].required = False
        # Each field's languages where the form declares the field, in the plan's order.
        order: list[str] = []
        for key in self.fields:
            base = translated_base(key)
            if base in self.translated:
                group = [f"{base}_{code}" for code in self.content_languages]
                order += [item for item in group if item not in order and item in self.fields]
            else:
                order.append(key)
        self.order_fields(order)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        main = self.translated[0]
        keys = [f"{main}_{code}" for code in self.content_languages]
        if not any(str(data.get(key) or "").strip() for key in keys) and not any(
            str(getattr(self.instance, f"{main}_{code}", None) or "").strip()  # type: ignore[attr-defined]
            for code in platform_languages()
            if code not in self.content_languages
        ):
            self.add_error(keys[0], _("Give this in at least one language."))
        return data


# --------------------------------------------------------------------------- organisations


class OrganisationSelect(forms.Select):
    """A ``<select>`` whose options in another language than the page carry ``lang``."""

    def create_option(self, name: str, value: Any, label: Any, *args: Any, **kwargs: Any) -> Any:
        option = super().create_option(name, value, label, *args, **kwargs)
        if is_other_language(label):
            option["attrs"]["lang"] = label.lang
        return option


class OrganisationCheckboxes(forms.CheckboxSelectMultiple):
    """Check boxes whose labels in another language than the page are in ``<span lang>``."""

    def create_option(self, name: str, value: Any, label: Any, *args: Any, **kwargs: Any) -> Any:
        option = super().create_option(name, value, label, *args, **kwargs)
        if is_other_language(label):
            option["label"] = format_html('<span lang="{}">{}</span>', label.lang, label.text)
        return option


class _OrganisationChoices(forms.models.ModelChoiceIterator):
    """Options in the order of their labels (the reader's language), from one query."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: str(choice[1]).casefold())


class _OrganisationLabels:
    """Label options with :func:`~nap1325.core.content.organisation_label` in the chain of
    :attr:`plan` (set by the form, e.g. with :func:`organisation_fields_for`)."""

    iterator = _OrganisationChoices
    plan: Any = None

    def label_from_instance(self, obj: Any) -> str:
        return organisation_label(obj, self.plan)


class OrganisationChoiceField(_OrganisationLabels, forms.ModelChoiceField):  # type: ignore[type-arg]
    """Choose one organisation; options named in the reader's language, ``lang`` on
    fallbacks (``<option value="3" lang="ru">``). ModelForms use it through
    ``Meta.field_classes``."""

    widget = OrganisationSelect


class OrganisationMultipleChoiceField(_OrganisationLabels, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Choose several organisations (check boxes), labelled as :class:`OrganisationChoiceField`."""

    widget = OrganisationCheckboxes


def organisation_fields_for(form: forms.BaseForm, plan: Any) -> None:
    """Label the organisation options of ``form`` by ``plan``'s fallback chain."""
    for field in form.fields.values():
        if isinstance(field, _OrganisationLabels):
            field.plan = plan
