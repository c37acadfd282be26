"""Writes for users, organisations and memberships. Each one is audited."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nap1325.core import audit
from nap1325.core.models import Membership, Organisation, Role, User

ORGANISATION_FIELDS = [
    *(f"name_{code}" for code, _label in settings.LANGUAGES),
    "acronym",
    "kind",
    "country",
    "parent",
    "is_illustrative",
]


def _require_admin(actor: User | None) -> None:
    """Only platform admins (or the system, ``actor=None``, e.g. the CLI) manage these."""
    if actor is not None and not actor.is_platform_admin:
        raise PermissionDenied


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    acronym: str = "",
    country: str = "",
    parent: Organisation | None = None,
    is_illustrative: bool = False,
    translated_names: Mapping[str, str] | None = None,
) -> Organisation:
    """Create an organisation. Raises ``ValidationError`` naming the field.

    ``name`` is written in the active language; ``translated_names`` adds the name in
    other platform languages (``{"ru": "Министерство внутренних дел"}``).
    """
    _require_admin(actor)
    known = {code for code, _label in settings.LANGUAGES}
    unknown = set(translated_names or {}) - known
    if unknown:
        raise ValidationError({"name": _("Unknown language: %s") % ", ".join(sorted(unknown))})
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        acronym=acronym.strip(),
        country=country.strip().upper(),
        parent=parent,
        is_illustrative=is_illustrative,
    )
    for code, text in (translated_names or {}).items():
        setattr(organisation, f"name_{code}", text.strip() or None)
    organisation.full_clean()
    organisation.save()
    audit.record(
        actor=actor,
        event_type="organisation.created",
        obj=organisation,
        changes=audit.diff({}, audit.snapshot(organisation, ORGANISATION_FIELDS)),
    )
    return organisation


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str = "",
    password_hash: str = "",
    display_name: str = "",
    email: str = "",
    sex: str = "",
    is_platform_admin: bool = False,
) -> User:
    """Create a user (platform admins only). The password is hashed, never stored.

    ``password_hash`` (from ``make_password``) lets a loader that creates many users with
    one password hash it once: hashing is deliberately slow (about 0.5 s).
    """
    _require_admin(actor)
    user = User(
        username=username.strip(),
        display_name=display_name,
        email=email,
        sex=sex,
        is_superuser=is_platform_admin,
        is_staff=is_platform_admin,
    )
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(
        actor=actor,
        event_type="user.created",
        obj=user,
        changes={"username": [None, user.username], "is_superuser": [None, user.is_superuser]},
    )
    return user


@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, plan: object, organisation: Organisation, role: str
) -> Membership:
    """Give ``user`` a role on ``plan`` for ``organisation`` (idempotent; audited once)."""
    from nap1325.core.permissions import PLAN_EDIT, plan_access

    if actor is not None and not plan_access(actor, plan).can(PLAN_EDIT):  # type: ignore[arg-type]
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    membership, created = Membership.objects.get_or_create(
        user=user, plan=plan, organisation=organisation, role=role
    )
    if not created and membership.is_active:
        return membership
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        event_type="membership.granted",
        obj=membership,
        plan=plan,  # type: ignore[arg-type]
        changes={"role": [None, role], "organisation": [None, organisation.pk]},
    )
    return membership
