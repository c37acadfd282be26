"""The plan's iCalendar feed: parses with icalendar, all-day vs local times, stable UIDs,
secret per-member address that can be reset, members only, query budget."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import translation

from nap1325.coordination import calendar, services
from nap1325.coordination.models import Event
from nap1325.core.models import Membership, Role
from tests.coordination.workplan_helpers import many_items, seminar_with_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Pages, URLs and e-mails in English whatever an earlier test left active."""
    with translation.override("en"):
        yield


def feed_url(user, plan) -> str:
    return reverse("workplan:feed", args=[plan.slug, calendar.feed_token(user, plan)])


def fetch(client, url) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def test_feed_holds_the_seminar_all_day_a_timed_meeting_and_the_task(
    plan, lead_ministry, coordinator, login
):
    seminar, task = seminar_with_task(plan, lead_ministry, due=dt.date(2012, 10, 31))
    meeting = services.event_create(
        actor=None,
        plan=plan,
        title="Meeting of the working group",
        start_date=dt.date(2012, 9, 12),
        end_date=dt.date(2012, 9, 12),
        start_time=dt.time(10, 0),
        end_time=dt.time(12, 30),
        place="Ministry of Internal Affairs",
    )
    cal = fetch(login(None), feed_url(coordinator, plan))
    found = vevents(cal)
    slug = plan.slug
    assert set(found) == {
        f"event-{seminar.pk}@{slug}.nap1325",
        f"event-{meeting.pk}@{slug}.nap1325",
        f"work-plan-item-{task.pk}@{slug}.nap1325",
    }
    all_day = found[f"event-{seminar.pk}@{slug}.nap1325"]
    assert all_day.decoded("DTSTART") == dt.date(2012, 7, 24)
    assert all_day.decoded("DTEND") == dt.date(2012, 7, 26)  # exclusive end: the day after
    timed = found[f"event-{meeting.pk}@{slug}.nap1325"]
    assert timed.decoded("DTSTART") == dt.datetime(
        2012, 9, 12, 10, 0, tzinfo=ZoneInfo("Asia/Bishkek")
    )
    assert timed["DTSTART"].params["TZID"] == "Asia/Bishkek"
    assert timed.decoded("DTEND").utcoffset() == dt.timedelta(hours=6)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Bishkek"]
    due = found[f"work-plan-item-{task.pk}@{slug}.nap1325"]
    assert str(due["SUMMARY"]) == "Due: Prepare the first draft of the NAP"
    assert due.decoded("DTSTART") == dt.date(2012, 10, 31)
    assert f"#item-{task.pk}" in str(due["URL"])
    assert "Owner: Ministry of Internal Affairs" in str(due["DESCRIPTION"])
    assert reverse("coordination:event", args=[slug, seminar.pk]) in str(all_day["URL"])


def test_uids_are_stable_and_dropped_items_cancelled(plan, lead_ministry, coordinator, login):
    _seminar, task = seminar_with_task(plan, lead_ministry, due=dt.date(2012, 10, 31))
    client, url = login(None), feed_url(coordinator, plan)
    before = set(vevents(fetch(client, url)))
    services.work_plan_item_update(actor=None, item=task, state="dropped", drop_reason="Merged")
    after = vevents(fetch(client, url))
    assert set(after) == before
    assert str(after[f"work-plan-item-{task.pk}@{plan.slug}.nap1325"]["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize(
    ("token_of", "status"),
    [("self", 200), ("forged", 404), ("other plan", 404), ("garbage", 404)],
)
def test_only_a_valid_token_opens_the_feed(plan, coordinator, login, token_of, status):
    from tests.factories import make_plan

    token = calendar.feed_token(coordinator, plan)
    if token_of == "forged":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif token_of == "other plan":
        other = make_plan(slug="other-plan")
        Membership.objects.create(
            user=coordinator,
            plan=other,
            organisation=Membership.objects.get(user=coordinator).organisation,
            role=Role.COORDINATOR,
        )
        token = calendar.feed_token(coordinator, other)
    elif token_of == "garbage":
        token = "1.2.3"
    url = reverse("workplan:feed", args=[plan.slug, token])
    assert login(None).get(url).status_code == status


def test_reset_gives_a_new_address_and_the_old_one_stops(plan, coordinator, login):
    old = feed_url(coordinator, plan)
    client = login(coordinator)
    response = client.post(reverse("workplan:calendar_reset", args=[plan.slug]))
    assert response.status_code == 302
    new = feed_url(coordinator, plan)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert new in client.get(reverse("workplan:calendar", args=[plan.slug])).content.decode()


def test_a_former_member_loses_the_feed(plan, coordinator, login):
    url = feed_url(coordinator, plan)
    Membership.objects.filter(user=coordinator).update(is_active=False)
    assert login(None).get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.PARTNER, 200), (Role.WORKING_GROUP_MEMBER, 200), ("non_member", 404)],
)
def test_feed_page_for_members_only(plan, user_in_role, login, role, status):
    user = user_in_role(role)
    assert login(user).get(reverse("workplan:calendar", args=[plan.slug])).status_code == status


def test_feed_shows_only_plans_the_member_sees(plan, lead_ministry, coordinator, login):
    """A feed is per plan: another plan's items never appear in it."""
    from tests.factories import make_plan

    other = make_plan(slug="drc-plan", time_zone="Africa/Kinshasa")
    services.work_plan_item_create(
        actor=None, plan=other, title="Elsewhere", due=dt.date(2020, 1, 1)
    )
    mine = services.work_plan_item_create(
        actor=None, plan=plan, title="Here", due=dt.date(2020, 1, 1)
    )
    found = vevents(fetch(login(None), feed_url(coordinator, plan)))
    assert list(found) == [f"work-plan-item-{mine.pk}@{plan.slug}.nap1325"]


@pytest.mark.parametrize("count", [5, 200])
def test_feed_query_budget(
    plan, lead_ministry, coordinator, login, django_assert_max_num_queries, count
):
    seminar_with_task(plan, lead_ministry, due=dt.date(2012, 10, 31))
    many_items(plan, lead_ministry, count, first_due=dt.date(2012, 8, 1))
    url = feed_url(coordinator, plan)
    client = login(None)
    with django_assert_max_num_queries(8):
        cal = fetch(client, url)
    assert len(cal.walk("VEVENT")) == count + 2
    assert Event.objects.count() == 1
