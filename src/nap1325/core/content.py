"""Plan content in the reader's language, with the plan's fallback chain (DESIGN.md §1).

Translated fields (titles, descriptions, organisation names, …; see each app's
``translation.py``) are stored one column per language: ``title_en``, ``title_ru``,
``title_ky``. :func:`content` picks the text to show:

1. the requested language (the page's, by default);
2. then the plan's own chain, ``Plan.languages`` in order (e.g. ``["ky", "ru", "en"]``: the
   first is the plan's main language);
3. then ``settings.LANGUAGE_CODE``, then the other platform languages in ``LANGUAGES``
   order (the "global chain", used alone for organisations, which belong to no plan).

An empty or blank (whitespace-only) translation counts as missing. The answer is a
:class:`LocalisedText`, a ``str`` that also says which language it really is in, so a
page can mark fallback text with ``lang`` (see the ``content`` template tag).

Query-free: it reads only the row's own columns (model instance or ``values()`` mapping)
and the plan passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.utils import translation

__all__ = [
    "LocalisedText",
    "active_language",
    "content",
    "fallback_chain",
    "is_other_language",
    "organisation_label",
    "platform_languages",
    "texts_to_store",
    "translated",
    "translated_base",
]


class LocalisedText(str):
    """Text and the language it is written in.

    A ``str`` (so it sorts, compares and prints as its text) with two attributes:
    ``lang`` (a code from ``settings.LANGUAGES``) and ``is_fallback`` (True when ``lang``
    is not the language that was asked for).
    """

    lang: str
    is_fallback: bool

    def __new__(cls, text: str, lang: str, is_fallback: bool = False) -> LocalisedText:
        value = super().__new__(cls, text)
        value.lang = lang
        value.is_fallback = is_fallback
        return value

    @property
    def text(self) -> str:
        """The plain text."""
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"LocalisedText({self.text!r}, lang={self.lang!r}, is_fallback={self.is_fallback})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LocalisedText, (self.text, self.lang, self.is_fallback))


def platform_languages() -> list[str]:
    """Codes of ``settings.LANGUAGES`` in order: ``["en", "ru", "ky"]``."""
    return [code for code, _name in settings.LANGUAGES]


def translated(name: str) -> list[str]:
    """The per-language columns of a translated field: ``["title_en", "title_ru", …]``.

    Services accept and audit these (``title_ky`` changed from None to "…"); the plain
    name (``title``) is also accepted and writes the active language's column, as
    django-modeltranslation does (used by imports and the demo loader).
    """
    return [f"{name}_{code}" for code in platform_languages()]


def translated_base(name: str) -> str | None:
    """``"title"`` for ``"title_ru"``; None when ``name`` is not a language's column."""
    base, _sep, code = name.rpartition("_")
    return base if base and code in platform_languages() else None


def texts_to_store(values: Mapping[str, Any]) -> dict[str, Any]:
    """Texts without surrounding spaces; an empty translation is stored as None (missing)."""
    stripped = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    return {k: None if v == "" and translated_base(k) else v for k, v in stripped.items()}


def _base(code: str | None) -> str:
    return (code or "").split("-")[0].lower()


def fallback_chain(requested: str | None = None, plan: Any = None) -> list[str]:
    """The languages to try, in order, without repeats; only platform languages.

    ``fallback_chain("ky", plan)`` with ``plan.languages == ["ky", "ru", "en"]`` is
    ``["ky", "ru", "en"]``; with no plan it is ``["ky", "en", "ru"]`` (requested, then
    ``LANGUAGE_CODE``, then the rest of ``LANGUAGES``). Unknown codes in
    ``plan.languages`` (a plan written in French, say) are skipped.
    """
    known = platform_languages()
    wanted: list[str] = [_base(requested or translation.get_language() or settings.LANGUAGE_CODE)]
    plan_languages: Iterable[Any] = getattr(plan, "languages", None) or []
    if isinstance(plan_languages, list | tuple):
        wanted += [_base(str(code)) for code in plan_languages]
    wanted += [_base(settings.LANGUAGE_CODE), *known]
    chain: list[str] = []
    for code in wanted:
        if code in known and code not in chain:
            chain.append(code)
    return chain


def active_language() -> str:
    """The active language as a platform language (``LANGUAGE_CODE`` if it is none)."""
    return fallback_chain()[0]


def _read(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def content(
    obj: Any, field: str, plan: Any = None, *, language: str | None = None
) -> LocalisedText:
    """``obj``'s ``field`` in ``language`` (default: the active one), with fallbacks.

    ``obj`` is a model instance or a ``values()`` row holding ``<field>_<lang>`` columns;
    ``plan`` gives the plan's chain (pass None for organisations and other platform-wide
    rows). Blank translations fall back (module docstring). When no language has text the
    answer is ``""`` in the requested language. A value that is already a
    :class:`LocalisedText`, or a field that is not translated, is returned as it is (the
    latter marked as in the requested language).
    """
    chain = fallback_chain(language, plan)
    requested = chain[0]
    direct = _read(obj, field)
    if isinstance(direct, LocalisedText):
        return direct
    translated = False
    for code in chain:
        name = f"{field}_{code}"
        if isinstance(obj, Mapping):
            if name not in obj:
                continue
        elif not hasattr(obj, name):
            continue
        translated = True
        value = _read(obj, name)
        if value is not None and str(value).strip():
            return LocalisedText(str(value), code, code != requested)
    if not translated and direct is not None:
        return LocalisedText(str(direct), requested, False)
    return LocalisedText("", requested, False)


def is_other_language(text: Any) -> bool:
    """True when ``text`` is a :class:`LocalisedText` in another language than the page's
    (the active language): it should then carry ``lang="…"``."""
    lang = getattr(text, "lang", None)
    return bool(lang) and bool(str(text)) and lang != _base(translation.get_language())


def organisation_label(
    organisation: Any, plan: Any = None, *, short: bool = False
) -> LocalisedText:
    """An organisation as a choice label: its name by ``plan``'s chain (the platform's when
    None) with the acronym, as ``str(organisation)`` puts it ("Ministry of Internal Affairs
    (MIA)"; left out when the name says it). ``short=True``: the acronym alone (one string
    in every language, so in the page's language) or the name. Query-free.
    """
    acronym = str(_read(organisation, "acronym") or "")
    if short and acronym:
        return LocalisedText(acronym, fallback_chain(None, plan)[0], False)
    name = content(organisation, "name", plan)
    if short or not acronym or acronym.casefold() in name.casefold():
        return name
    return LocalisedText(f"{name.text} ({acronym})", name.lang, name.is_fallback)
