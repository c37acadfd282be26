"""Query parameters of the API: parsed strictly, a malformed one is a 400 naming it.

Pages ignore a bad filter (``nap1325.core.params``); an API client wants to know, so here
``?period=abc`` answers ``{"period": ["Enter a whole number (an id)."]}`` with status 400.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from nap1325.core.params import parse_id


def _raw(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is None or value.strip() == "":
        return None
    return value


def id_param(request: Request, name: str) -> int | None:
    """``?name=<id>`` as an int (1 … 2^63 − 1); absent → ``None``; anything else → 400."""
    raw = _raw(request, name)
    if raw is None:
        return None
    value = parse_id(raw)
    if value is None:
        raise ValidationError({name: [_("Enter a whole number (an id).")]})
    return value


def choice_param(request: Request, name: str, choices: Iterable[str]) -> str | None:
    """``?name=<one of choices>``; absent → ``None``; anything else → 400 listing them."""
    raw = _raw(request, name)
    if raw is None:
        return None
    allowed = list(choices)
    if raw not in allowed:
        raise ValidationError(
            {name: [_("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)}]}
        )
    return raw


def bool_param(request: Request, name: str) -> bool | None:
    """``?name=true|false`` (also 1/0, yes/no); absent → ``None``; anything else → 400."""
    raw = _raw(request, name)
    if raw is None:
        return None
    text = raw.strip().lower()
    if text in {"true", "1", "yes"}:
        return True
    if text in {"false", "0", "no"}:
        return False
    raise ValidationError({name: [_("Use true or false.")]})


def date_param(request: Request, name: str) -> dt.date | None:
    """``?name=YYYY-MM-DD``; absent → ``None``; anything else → 400."""
    raw = _raw(request, name)
    if raw is None:
        return None
    text = raw.strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD, e.g. 2024-06-30.")]}) from None
