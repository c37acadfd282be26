"""Reminder digests: what each person has due in the next 7 days and what is overdue.

Rules (issue 4, point 5):

* A person's items are the open work-plan items (to do, doing) they own as ``owner_user``
  and those owned by an organisation for which they hold an *active* membership on that
  item's plan. Items of a plan the person can no longer see are left out (an owner whose
  membership ended gets nothing about that plan).
* "Due soon" is due today or within the next 7 days; "overdue" is due before today.
  Today is the date in *the item's plan's* time zone.
* Preference (``User.reminders``): none — never; daily — every run; weekly — only when the
  run day is a Monday.
* At most one digest per person per day: :class:`DigestLog` (unique ``user``, ``sent_on``)
  is written in the same transaction as the e-mail is handed to the backend, so running
  the job twice on a day sends nothing the second time, and a failed send leaves no log.
  Nothing is sent (and nothing logged) when a person has nothing due or overdue.
* The run day (``sent_on``, and the Monday test) is the date in ``settings.TIME_ZONE``
  unless the caller gives one.
* The e-mail is in the person's preferred language (plain text); people without an e-mail
  address or inactive accounts are skipped. Links start with ``NAP1325_BASE_URL`` (an
  environment variable, default ``http://127.0.0.1:8000``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nap1325.coordination.models import DigestLog, WorkPlanItem
from nap1325.coordination.services import today_in
from nap1325.core import audit
from nap1325.core.models import Membership, User
from nap1325.plans.models import Plan

HORIZON_DAYS = 7


@dataclass
class Digest:
    """One person's digest: items due soon and overdue (each in due-date order)."""

    user: User
    due_soon: list[WorkPlanItem] = field(default_factory=list)
    overdue: list[WorkPlanItem] = field(default_factory=list)
    #: comment rounds opened since the last digest on plans the person may comment on
    new_rounds: list[Any] = field(default_factory=list)
    #: the person's own comments resolved since the last digest
    resolved_comments: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.due_soon)
            + len(self.overdue)
            + len(self.new_rounds)
            + len(self.resolved_comments)
        )


@dataclass
class RunReport:
    """What one run did: how many digests were sent, and why others were not."""

    day: dt.date
    sent: list[str] = field(default_factory=list)
    already_sent: int = 0
    nothing_due: int = 0
    not_today: int = 0

    def summary(self) -> str:
        return (
            f"{self.day}: {len(self.sent)} digest(s) sent, {self.already_sent} already sent "
            f"today, {self.nothing_due} with nothing due, {self.not_today} not due today "
            "(weekly or none)."
        )


def run_day() -> dt.date:
    """Today in ``settings.TIME_ZONE`` (the day a digest is logged under)."""
    return timezone.localdate()


def wants_digest(user: User, day: dt.date) -> bool:
    """True if ``user``'s preference asks for a digest on ``day`` (weekly: Mondays)."""
    if user.reminders == User.Reminders.DAILY:
        return True
    return user.reminders == User.Reminders.WEEKLY and day.weekday() == 0


def digests(users: list[User]) -> dict[int, Digest]:
    """The digests of ``users`` keyed by user id (people with nothing are left out).

    Queries: 3 (memberships, plans, open items due within the horizon), whatever the
    number of people or items.
    """
    if not users:
        return {}
    user_ids = [user.pk for user in users]
    by_id = {user.pk: user for user in users}
    # (user, plan) → organisations they act for; plans each user may see.
    organisations: dict[tuple[int, int], set[int]] = defaultdict(set)
    sees: dict[int, set[int]] = defaultdict(set)
    for user_id, plan_id, organisation_id in Membership.objects.filter(
        user_id__in=user_ids, is_active=True
    ).values_list("user_id", "plan_id", "organisation_id"):
        organisations[(user_id, plan_id)].add(organisation_id)
        sees[user_id].add(plan_id)
    todays = {plan.pk: today_in(plan) for plan in Plan.objects.only("id", "time_zone")}
    if not todays:
        return {}
    horizon = max(todays.values()) + dt.timedelta(days=HORIZON_DAYS)
    found: dict[int, Digest] = {}
    items = (
        WorkPlanItem.objects.filter(
            state__in=[WorkPlanItem.State.TODO, WorkPlanItem.State.DOING], due__lte=horizon
        )
        .select_related("plan", "owner_organisation", "owner_user")
        .order_by("due", "id")
    )
    for item in items:
        today = todays[item.plan_id]
        if item.due > today + dt.timedelta(days=HORIZON_DAYS):
            continue
        owners = set()
        if item.owner_user_id in by_id:
            owners.add(item.owner_user_id)
        if item.owner_organisation_id is not None:
            owners |= {
                user_id
                for user_id in user_ids
                if item.owner_organisation_id in organisations.get((user_id, item.plan_id), ())
            }
        for user_id in owners:
            user = by_id[user_id]
            if item.plan_id not in sees[user_id] and not user.is_superuser:
                continue
            digest = found.setdefault(user_id, Digest(user=user))
            (digest.overdue if item.due < today else digest.due_soon).append(item)
    _add_comment_rounds(found, by_id)
    return found


def _add_comment_rounds(found: dict[int, Digest], by_id: dict[int, User]) -> None:
    """New comment rounds and resolutions of one's own comments since the last digest.

    "Since" is the person's last logged digest (or 7 days back). Queries: 4.
    """
    from django.db.models import Max

    from nap1325.participation.round_selectors import new_rounds_for, resolutions_for

    now = timezone.now()
    since = {
        user_id: last
        for user_id, last in DigestLog.objects.filter(user_id__in=list(by_id))
        .values_list("user_id")
        .annotate(last=Max("created_at"))
        .values_list("user_id", "last")
    }
    for user_id, rounds in new_rounds_for(list(by_id), since, now).items():
        found.setdefault(user_id, Digest(user=by_id[user_id])).new_rounds.extend(rounds)
    for user_id, comments in resolutions_for(list(by_id), since, now).items():
        found.setdefault(user_id, Digest(user=by_id[user_id])).resolved_comments.extend(comments)


def _item_url(item: WorkPlanItem) -> str:
    path = reverse("workplan:list", args=[item.plan.slug]) + f"#item-{item.pk}"
    return os.environ.get("NAP1325_BASE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def _round_url(round_: Any) -> str:
    path = reverse("rounds:detail", args=[round_.plan.slug, round_.pk])
    return os.environ.get("NAP1325_BASE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def _settings_url() -> str:
    """The reminder settings page, "" while the URLconf does not mount it."""
    try:
        path = reverse("reminders:settings")
    except NoReverseMatch:
        return ""
    return os.environ.get("NAP1325_BASE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def render_digest(digest: Digest, day: dt.date) -> tuple[str, str]:
    """(subject, plain-text body) of ``digest`` in the person's preferred language."""
    with translation.override(digest.user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Work plan: %(due)s due soon, %(overdue)s overdue") % {
            "due": len(digest.due_soon),
            "overdue": len(digest.overdue),
        }
        if digest.new_rounds or digest.resolved_comments:
            subject += _("; %(rounds)s comment rounds opened, %(resolved)s comments resolved") % {
                "rounds": len(digest.new_rounds),
                "resolved": len(digest.resolved_comments),
            }
        body = render_to_string(
            "coordination/workplan_digest_email.txt",
            {
                "new_rounds": [(r, _round_url(r)) for r in digest.new_rounds],
                "resolved_comments": [(c, _round_url(c.round)) for c in digest.resolved_comments],
                "user": digest.user,
                "day": day,
                "due_soon": [(item, _item_url(item)) for item in digest.due_soon],
                "overdue": [(item, _item_url(item)) for item in digest.overdue],
                "horizon": HORIZON_DAYS,
                "settings_url": _settings_url(),
            },
        )
    return subject, body


def send_digests(day: dt.date | None = None) -> RunReport:
    """Send today's digests (see the module's rules). Safe to run more than once a day."""
    day = day or run_day()
    report = RunReport(day=day)
    candidates = list(
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(reminders=User.Reminders.NONE)
        .order_by("pk")
    )
    wanted = []
    for user in candidates:
        if wants_digest(user, day):
            wanted.append(user)
        else:
            report.not_today += 1
    already = set(
        DigestLog.objects.filter(sent_on=day, user__in=wanted).values_list("user_id", flat=True)
    )
    found = digests([user for user in wanted if user.pk not in already])
    report.already_sent = len(already)
    report.nothing_due = len(wanted) - len(already) - len(found)
    for digest in found.values():
        subject, body = render_digest(digest, day)
        try:
            with transaction.atomic():
                DigestLog.objects.create(user=digest.user, sent_on=day, items=digest.count)
                send_mail(subject, body, None, [digest.user.email])
        except IntegrityError:  # another run logged it meanwhile
            report.already_sent += 1
            continue
        report.sent.append(digest.user.username)
    return report


@transaction.atomic
def reminder_preference_set(*, actor: User, reminders: str) -> User:
    """Set ``actor``'s own reminder preference (none / daily / weekly); audited.

    Errors: ``ValidationError`` on ``reminders`` for an unknown choice.
    """
    if reminders not in User.Reminders.values:
        raise ValidationError({"reminders": _("Choose none, daily or weekly.")})
    old = actor.reminders
    actor.reminders = reminders
    actor.save(update_fields=["reminders"])
    audit.record(
        actor=actor,
        event_type="user.reminders_set",
        obj=actor,
        changes={"reminders": [old, reminders]},
    )
    return actor
