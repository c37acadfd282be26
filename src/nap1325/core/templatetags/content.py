"""Template tags for plan content in the reader's language (:mod:`nap1325.core.content`).

``{% content obj "title" %}`` prints the escaped text; text in another language than the
page's (a fallback) is wrapped in ``<span lang="ru">…</span>`` so screen readers and
hyphenation use the right language. ``{% content_text obj "title" %}`` prints the bare
text (for ``<title>``, attributes and e-mails). Both use the context's ``plan`` for the
fallback chain, except for organisations, which follow the platform's chain; pass
``plan=…`` to choose.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaks_filter as linebreaks
from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from nap1325.core.content import LocalisedText, is_other_language, organisation_label
from nap1325.core.content import content as localised

register = template.Library()

_NO_PLAN = object()


def _plan_for(context: template.Context, obj: Any, plan: Any) -> Any:
    if plan is not _NO_PLAN:
        return plan
    from nap1325.plans.models import Plan

    if isinstance(obj, Plan):
        return obj
    if hasattr(obj, "plan_id") or hasattr(obj, "keys"):
        return context.get("plan")
    return None


def localised_in_context(
    context: template.Context, obj: Any, field: str, plan: Any = _NO_PLAN
) -> LocalisedText:
    """The :class:`LocalisedText` the tags below show."""
    if obj is None or obj == "":
        return LocalisedText("", translation.get_language() or "en")
    return localised(obj, field, _plan_for(context, obj, plan))


def render_localised(text: LocalisedText, lines: str = "", words: int = 0) -> SafeString:
    """Escaped text, in ``<span lang>`` when not in the page's language.

    ``lines="br"`` keeps line breaks (``<br>``); ``lines="p"`` makes paragraphs, in a
    ``<div lang>`` when marked. ``words=8`` shortens the text to its first eight words
    and "…" (Django's ``truncatewords``).
    """
    page = (translation.get_language() or "").split("-")[0]
    plain = text.text if isinstance(text, LocalisedText) else str(text)
    if words:
        plain = Truncator(plain).words(words, truncate="…")
    body: SafeString
    if lines == "p":
        body = linebreaks(plain, autoescape=True)
    elif lines == "br":
        body = linebreaksbr(plain, autoescape=True)
    else:
        body = format_html("{}", plain)
    lang = getattr(text, "lang", page)
    if plain and lang != page:
        tag = "div" if lines == "p" else "span"
        return format_html('<{} lang="{}">{}</{}>', tag, lang, body, tag)
    return body


@register.simple_tag(takes_context=True)
def content(
    context: template.Context,
    obj: Any,
    field: str,
    plan: Any = _NO_PLAN,
    lines: str = "",
    words: int = 0,
) -> SafeString:
    """``obj.<field>`` in the page's language or its fallback, marked with ``lang``.

    ``{% content result "description" lines="p" %}`` for multi-line text,
    ``{% content result "title" words=8 %}`` for a shortened title.
    """
    return render_localised(localised_in_context(context, obj, field, plan), lines, words)


@register.simple_tag(takes_context=True)
def content_short(context: template.Context, organisation: Any) -> SafeString:
    """An organisation's acronym, or its name in the reader's language when it has none.

    The localised counterpart of ``Organisation.short_name``: acronyms are one string in
    every language (docs/decisions.md, "Languages"); names follow the chain of the page's
    ``plan`` (as ``{% content %}``), else the platform's.
    """
    if organisation is None or organisation == "":
        return format_html("{}", "")
    acronym = getattr(organisation, "acronym", "")
    if acronym:
        return format_html("{}", acronym)
    return render_localised(localised_in_context(context, organisation, "name"))


@register.simple_tag(takes_context=True)
def content_organisation(context: template.Context, organisation: Any) -> SafeString:
    """An organisation as ``str()`` puts it ("Ministry of Internal Affairs (MIA)") with the
    name by the page ``plan``'s chain, in ``<span lang>`` when a fallback
    (:func:`~nap1325.core.content.organisation_label`)."""
    if organisation is None or organisation == "":
        return format_html("{}", "")
    return render_localised(organisation_label(organisation, context.get("plan")))


@register.simple_tag(takes_context=True)
def content_text(context: template.Context, obj: Any, field: str, plan: Any = _NO_PLAN) -> str:
    """``obj.<field>`` as bare text (auto-escaped by the template), no markup."""
    return localised_in_context(context, obj, field, plan).text


@register.filter
def content_marked(value: Any) -> SafeString:
    """A text already read with :func:`~nap1325.core.content.content` (a
    :class:`LocalisedText`, e.g. in a report's data), escaped and in ``<span lang>`` when
    it is a fallback: ``{{ pillar.title|content_marked }}``. Plain strings are only escaped.
    """
    if value is None:
        return format_html("{}", "")
    if isinstance(value, LocalisedText):
        return render_localised(value)
    return format_html("{}", value)


@register.filter
def lang_attr(value: Any) -> SafeString:
    """`` lang="ru"`` for a :class:`LocalisedText` in another language than the page, for
    elements that cannot hold a ``<span>``: ``<option value="3"{{ label|lang_attr }}>``."""
    if is_other_language(value):
        return format_html(' lang="{}"', value.lang)
    return format_html("{}", "")


@register.simple_tag(takes_context=True)
def organisation_option(
    context: template.Context, organisation: Any, short: bool = False
) -> LocalisedText:
    """An organisation's label for a hand-written ``<option>``, by the context plan's chain:
    ``{% organisation_option agency short=True as label %}<option{{ label|lang_attr }}>``
    (see :func:`~nap1325.core.content.organisation_label`)."""
    return organisation_label(organisation, context.get("plan"), short=short)
