"""Translated fields of coordination (django-modeltranslation): the working group's name
and mandate, and event titles and descriptions, which the public sees in several languages.

Minutes, agenda items and outcomes are records written once, in the language of the
meeting, and are not translated per field (docs/decisions.md, "Languages").
"""

from modeltranslation.translator import TranslationOptions, register

from nap1325.coordination.models import Event, WorkingGroup


@register(WorkingGroup)
class WorkingGroupTranslation(TranslationOptions):
    fields = ("name", "mandate")


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description")
