"""Translated fields of monitoring (django-modeltranslation): the narratives of agency
reports and of their action updates.

A focal point writes them in the page's language and may add the plan's other languages;
pages, the national progress report and the API read them with the plan's fallback chain
(:func:`nap1325.core.content.content`). Values, comments and reasons stay one string
(docs/decisions.md, "Languages").
"""

from modeltranslation.translator import TranslationOptions, register

from nap1325.monitoring.models import ActionUpdate, AgencyReport


@register(AgencyReport)
class AgencyReportTranslation(TranslationOptions):
    fields = ("narrative",)


@register(ActionUpdate)
class ActionUpdateTranslation(TranslationOptions):
    fields = ("narrative",)
