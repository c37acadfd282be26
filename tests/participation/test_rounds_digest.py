"""Comment rounds in the reminder digest: new rounds and resolutions of one's comments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from nap1325.coordination import reminders
from nap1325.core.models import Role, User
from nap1325.participation import round_services as services
from nap1325.plans import services as plan_services

pytestmark = pytest.mark.django_db


def test_new_rounds_reach_those_who_may_comment_and_resolutions_their_authors(
    plan, kg_matrix, member_factory, coordinator, django_assert_max_num_queries
):
    monitor = member_factory(Role.CIVIL_SOCIETY_MONITOR)
    partner = member_factory(Role.PARTNER)
    for user in (monitor, partner):
        User.objects.filter(pk=user.pk).update(
            email=f"{user.username}@example.org", reminders="daily"
        )
    version = plan_services.plan_version_create(actor=None, plan=plan, label="Draft")
    now = timezone.now()
    round_ = services.comment_round_create(
        actor=coordinator,
        version=version,
        title="Consultation on the draft",
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now + dt.timedelta(days=10),
    )
    comment = services.comment_create(
        actor=monitor,
        round_=round_,
        anchor_kind="action",
        anchor_pk=kg_matrix["1.1.1"].pk,
        text="Add a budget line.",
    )
    services.comment_resolve(
        actor=coordinator, comment=comment, resolution="accepted", reason="Line added."
    )
    users = list(User.objects.filter(pk__in=[monitor.pk, partner.pk]))
    with django_assert_max_num_queries(8):
        found = reminders.digests(users)
    assert set(found) == {monitor.pk}  # partners may not comment; nothing else is due
    digest = found[monitor.pk]
    assert [r.title for r in digest.new_rounds] == ["Consultation on the draft"]
    assert [c.resolution for c in digest.resolved_comments] == ["accepted"]
    report = reminders.send_digests()
    assert report.sent == [monitor.username]
    body = mail.outbox[0].body
    assert "Consultation on the draft" in body
    assert "1.1.1: Accepted — Line added." in body
    assert "1 comment rounds opened, 1 comments resolved" in mail.outbox[0].subject
    # the next digest does not repeat what was sent
    assert reminders.digests(users) == {}
