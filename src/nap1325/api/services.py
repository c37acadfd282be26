"""Writes of the API app: a user's API token (DESIGN.md §7: one transaction, audit event).

A user has at most one token (``rest_framework.authtoken``); it acts with that user's
roles, exactly as if they were signed in. Creating a token replaces the old one, so a
leaked token is stopped by issuing a new one or revoking it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from rest_framework.authtoken.models import Token

from nap1325.core import audit
from nap1325.core.models import User


def _require_self_or_admin(actor: User | None, user: User) -> None:
    if actor is not None and actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied


@transaction.atomic
def api_token_create(*, actor: User | None, user: User) -> Token:
    """A new token for ``user``, replacing any previous one (which stops working).

    ``actor`` is the user themself or a platform admin (``None``: the command line).
    """
    _require_self_or_admin(actor, user)
    replaced = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    audit.record(
        actor=actor,
        event_type="api_token.created",
        obj=user,
        changes={"token": ["replaced" if replaced else None, "issued"]},
    )
    return token


@transaction.atomic
def api_token_revoke(*, actor: User | None, user: User) -> bool:
    """Revoke ``user``'s token; ``False`` if they had none (nothing is recorded then)."""
    _require_self_or_admin(actor, user)
    deleted = Token.objects.filter(user=user).delete()[0] > 0
    if deleted:
        audit.record(
            actor=actor,
            event_type="api_token.revoked",
            obj=user,
            changes={"token": ["issued", None]},
        )
    return deleted
