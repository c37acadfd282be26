"""Translated fields of core models (django-modeltranslation): organisation names.

Each registered field gets one column per language (``name_en``, ``name_ru``,
``name_ky``); pages read them through :func:`nap1325.core.content.content`.
"""

from modeltranslation.translator import TranslationOptions, register

from nap1325.core.models import Organisation


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    """The name is translated; the acronym stays one (often Latin or Russian) string."""

    fields = ("name",)
