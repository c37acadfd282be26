"""Reminder digests: who gets what, once a day, none when nothing, preferences, language,
the command and the django-tasks task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from nap1325.coordination import reminders, services
from nap1325.coordination.models import DigestLog
from nap1325.core.models import Membership, Role
from tests.factories import UserFactory, grant

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.coordination.workplan_urls")]


@pytest.fixture(autouse=True)
def _english():
    """Pages, URLs and e-mails in English whatever an earlier test left active."""
    with translation.override("en"):
        yield


MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def monday_noon_in_bishkek(monkeypatch):
    """06:00 UTC on Monday 2 March 2026 = 12:00 in Bishkek."""
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC))


@pytest.fixture
def people(plan, lead_ministry, organisations):
    """An owner (by person), a ministry colleague, someone of another ministry, a former
    member of the ministry, and a colleague who wants no reminders."""

    def person(name, organisation, *, active=True, reminders="daily", language="en"):
        user = UserFactory(
            username=name,
            display_name=name,
            email=f"{name}@example.org",
            reminders=reminders,
            preferred_language=language,
        )
        membership = grant(user, plan, organisation, Role.FOCAL_POINT)
        if not active:
            Membership.objects.filter(pk=membership.pk).update(is_active=False)
        return user

    return {
        "owner": person("owner", organisations["MoE"]),
        "colleague": person("colleague", lead_ministry),
        "other": person("other", organisations["MoE"]),
        "former": person("former", lead_ministry, active=False),
        "quiet": person("quiet", lead_ministry, reminders="none"),
    }


def item(plan, title, days, **fields):
    return services.work_plan_item_create(
        actor=None, plan=plan, title=title, due=MONDAY + dt.timedelta(days=days), **fields
    )


def mails_by_person() -> dict[str, str]:
    return {message.to[0].split("@")[0]: message.body for message in mail.outbox}


def test_each_person_gets_what_they_or_their_organisation_own(plan, lead_ministry, people):
    item(plan, "Ministry task due in 3 days", 3, owner_organisation=lead_ministry)
    item(plan, "Personal task overdue", -2, owner_user=people["owner"])
    item(plan, "Ministry task due in 8 days", 8, owner_organisation=lead_ministry)
    item(plan, "Ministry task done", 1, owner_organisation=lead_ministry, state="done")
    item(plan, "Ministry task due in 7 days", 7, owner_organisation=lead_ministry)
    report = reminders.send_digests(MONDAY)
    bodies = mails_by_person()
    assert sorted(bodies) == ["colleague", "owner"]
    assert sorted(report.sent) == ["colleague", "owner"]
    colleague = bodies["colleague"]
    assert "Ministry task due in 3 days — due 5 March 2026" in colleague
    assert "Ministry task due in 7 days" in colleague
    assert "due in 8 days" not in colleague and "done" not in colleague
    assert "Personal task overdue — was due 28 February 2026" in bodies["owner"]
    assert "Overdue" in bodies["owner"] and "Due within" not in bodies["owner"]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["colleague@example.org"] == "Work plan: 2 due soon, 0 overdue"
    assert f"/en/plans/{plan.slug}/work-plan/#item-" in colleague
    assert "/en/accounts/reminders/" in colleague


def test_twice_on_the_same_day_sends_once_and_nothing_means_no_mail(plan, lead_ministry, people):
    reminders.send_digests(MONDAY)
    assert mail.outbox == [] and not DigestLog.objects.exists()
    item(plan, "Ministry task", 2, owner_organisation=lead_ministry)
    reminders.send_digests(MONDAY)
    second = reminders.send_digests(MONDAY)
    assert len(mail.outbox) == 1
    assert second.sent == [] and second.already_sent == 1
    assert list(DigestLog.objects.values_list("user__username", "sent_on", "items")) == [
        ("colleague", MONDAY, 1)
    ]
    reminders.send_digests(MONDAY + dt.timedelta(days=1))
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("preference", "day", "sent"),
    [
        ("daily", MONDAY, True),
        ("daily", MONDAY + dt.timedelta(days=1), True),
        ("weekly", MONDAY, True),
        ("weekly", MONDAY + dt.timedelta(days=1), False),
        ("none", MONDAY, False),
    ],
)
def test_preference(plan, lead_ministry, people, preference, day, sent):
    people["colleague"].reminders = preference
    people["colleague"].save()
    item(plan, "Ministry task", 2, owner_organisation=lead_ministry)
    reminders.send_digests(day)
    assert ("colleague" in mails_by_person()) is sent


def test_in_the_persons_language(plan, lead_ministry, people):
    people["colleague"].preferred_language = "ru"
    people["colleague"].save()
    item(plan, "Ministry task", 2, owner_organisation=lead_ministry)
    reminders.send_digests(MONDAY)
    body = mails_by_person()["colleague"]
    assert "4 марта 2026" in body
    assert f"/ru/plans/{plan.slug}/work-plan/#item-" in body


def test_command_now_runs_the_job_and_is_idempotent(plan, lead_ministry, people, capsys):
    item(plan, "Ministry task", 2, owner_organisation=lead_ministry)
    call_command("send_reminders", "--now", "--date", "2026-03-02")
    call_command("send_reminders", "--now", "--date", "2026-03-02")
    out = capsys.readouterr().out
    assert "2026-03-02: 1 digest(s) sent" in out
    assert "2026-03-02: 0 digest(s) sent, 1 already sent today" in out
    assert len(mail.outbox) == 1


def test_command_enqueues_for_the_worker(plan, lead_ministry, people, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    item(plan, "Ministry task", 2, owner_organisation=lead_ministry)
    call_command("send_reminders")
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(task_path__endswith="send_reminder_digests").count() == 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("send_reminders", "--date", "2026-03-02")
    assert len(mail.outbox) == 1


def test_bad_date_is_refused(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--now", "--date", "2 March")


def test_settings_page_saves_the_choice(people, login, django_assert_max_num_queries):
    client = login(people["colleague"])
    url = reverse("reminders:settings")
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200
    response = client.post(url, {"reminders": "weekly"})
    assert response.status_code == 302
    people["colleague"].refresh_from_db()
    assert people["colleague"].reminders == "weekly"
    response = client.post(url, {"reminders": "hourly"})
    assert response.status_code == 400
    assert response.context["form"].errors["reminders"]
    assert login(None).get(url).status_code == 302
