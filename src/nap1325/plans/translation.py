"""Translated fields of the plan and its results framework (django-modeltranslation).

Plan content is written in the plan's languages (``Plan.languages``, e.g. ky, ru, en);
each field below has one column per platform language (``title_en``, ``title_ru``,
``title_ky``). Pages read them with the plan's fallback chain through
:func:`nap1325.core.content.content`.
"""

from modeltranslation.translator import TranslationOptions, register

from nap1325.plans.models import Action, Indicator, Plan, Result


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Result)
class ResultTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Action)
class ActionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("title", "description", "unit", "means_of_verification")
