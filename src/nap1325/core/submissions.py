"""Create forms that create once, however often they are posted.

Usage in a view::

    token = submissions.token_from(request)          # hidden field "submission"
    done = submissions.already_done(request.user, token)
    if done: return redirect(done)                    # the first POST's result
    with submissions.once(request.user, token) as record:
        obj = services.budget_line_create(...)
        record(url_of(obj))

Two identical POSTs racing each other are serialised by the unique token: the second waits
for the first transaction and then finds its result (PostgreSQL), or runs after it
(SQLite's immediate transactions).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from nap1325.core.models import FormSubmission

FIELD = "submission"


def new_token() -> str:
    """A fresh random token for a create form (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def token_from(request: HttpRequest) -> str:
    """The posted token, or "" (forms posted without one are not deduplicated)."""
    token = request.POST.get(FIELD, "")
    return token if 16 <= len(token) <= 64 else ""


def already_done(user: Any, token: str) -> str | None:
    """The URL the first submission of ``token`` by ``user`` went to, or ``None``."""
    if not token:
        return None
    found = FormSubmission.objects.filter(token=token, user=user).values_list(
        "result_url", flat=True
    )
    return next(iter(found), None)


class Duplicate(Exception):
    """The same token was submitted concurrently and the other submission won."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


@contextmanager
def once(user: Any, token: str) -> Iterator[Callable[[str], None]]:
    """Run the body once per token, in one transaction with the token's record.

    Yields ``record(url)`` to store where the created object lives. Raises
    :class:`Duplicate` when a concurrent submission with the same token already won.
    """
    if not token:
        yield lambda url: None
        return
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(token=token, user=user)
        except IntegrityError:
            raise Duplicate(already_done(user, token) or "") from None

        def record(url: str) -> None:
            submission.result_url = url
            submission.save(update_fields=["result_url"])

        yield record
