"""Dispositions of one's own inputs go into the reminder digest (issue 5, point 7): listed
once, since the last digest, only for plans one still belongs to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from nap1325.coordination import reminders
from nap1325.core.models import Membership
from nap1325.participation import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailing_monitor(monitor):
    monitor.email = "monitor@example.org"
    monitor.reminders = "daily"
    monitor.preferred_language = "en"
    monitor.save()
    return monitor


def _raise(consultation, monitor, text):
    return services.input_create(
        actor=monitor, consultation=consultation, kind="recommendation", text=text
    )


def test_digest_lists_own_inputs_decided_since_the_last_digest(
    consultation, kg_matrix, mailing_monitor
):
    mine = _raise(consultation, mailing_monitor, "Mentor young women into the police.")
    services.input_create(actor=None, consultation=consultation, kind="concern", text="Not mine.")
    undecided = _raise(consultation, mailing_monitor, "Still waiting.")
    services.input_link_save(
        actor=None,
        inp=mine,
        action=kg_matrix["1.1.2"],
        disposition="partly",
        reason="Mentoring for officers, not recruits.",
    )
    digest = reminders.digests([mailing_monitor])[mailing_monitor.pk]
    assert digest.input_dispositions == [mine]
    assert (digest.due_soon, digest.overdue, digest.count) == ([], [], 1)

    report = reminders.send_digests(dt.date(2026, 3, 2))
    assert report.sent == ["wpn-monitor"]
    [message] = mail.outbox
    assert "1 of your inputs got a disposition" in message.subject
    assert "Your inputs that got a disposition since the last digest" in message.body
    assert "- Mentor young women into the police. — Partly incorporated" in message.body
    assert f"/en/plans/test-plan/inputs/{mine.pk}/" in message.body
    assert "Still waiting" not in message.body and "Not mine" not in message.body

    # Next day: nothing new, nothing sent. Then a new disposition: only that one.
    assert reminders.send_digests(dt.date(2026, 3, 3)).sent == []
    services.input_decline(actor=None, inp=undecided, reason="Outside the plan's scope.")
    reminders.send_digests(dt.date(2026, 3, 4))
    assert len(mail.outbox) == 2
    assert "Still waiting. — Not incorporated" in mail.outbox[1].body
    assert "Mentor young women" not in mail.outbox[1].body


def test_no_dispositions_of_plans_one_left(consultation, kg_matrix, mailing_monitor):
    mine = _raise(consultation, mailing_monitor, "Mentor young women into the police.")
    services.input_decline(actor=None, inp=mine, reason="Out of scope.")
    Membership.objects.filter(user=mailing_monitor).update(is_active=False)
    assert reminders.digests([mailing_monitor]) == {}


def test_digest_queries_do_not_grow(
    consultation, kg_matrix, mailing_monitor, django_assert_max_num_queries
):
    for i in range(10):
        inp = _raise(consultation, mailing_monitor, f"Input {i}")
        services.input_decline(actor=None, inp=inp, reason="r")
    with django_assert_max_num_queries(8):  # reminders.digests: 8 whatever the data
        digest = reminders.digests([mailing_monitor])[mailing_monitor.pk]
    assert len(digest.input_dispositions) == 10
