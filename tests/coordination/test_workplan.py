"""Work-plan pages: list, filters, forms, bad input, permissions, query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from nap1325.coordination import services
from nap1325.coordination.models import WorkPlanItem
from nap1325.core.models import Role
from tests.conftest import ALL_ROLES
from tests.coordination.workplan_helpers import many_items, seminar_with_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Pages, URLs and e-mails in English whatever an earlier test left active."""
    with translation.override("en"):
        yield


def at_utc(monkeypatch, moment: dt.datetime) -> None:
    """Make ``timezone.now()`` return ``moment`` (UTC)."""
    monkeypatch.setattr(timezone, "now", lambda: moment.replace(tzinfo=dt.UTC))


def list_url(plan, **query) -> str:
    url = reverse("workplan:list", args=[plan.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_list_shows_the_task_its_owner_due_date_and_the_meeting_that_decided_it(
    plan, lead_ministry, coordinator, login
):
    event, task = seminar_with_task(plan, lead_ministry, due=dt.date(2012, 10, 31))
    page = login(coordinator).get(list_url(plan)).content.decode()
    assert f'id="item-{task.pk}"' in page
    assert "Prepare the first draft of the NAP" in page
    assert "Ministry of Internal Affairs" in page
    assert "due 31 Oct 2012" in page
    assert reverse("coordination:event", args=[plan.slug, event.pk]) in page


def test_overdue_is_relative_to_today_in_the_plans_time_zone(
    plan, lead_ministry, coordinator, login, monkeypatch
):
    item = services.work_plan_item_create(
        actor=None, plan=plan, title="Circulate the draft", due=dt.date(2026, 1, 1)
    )
    client = login(coordinator)
    # 17:00 UTC on 1 January is 23:00 in Bishkek (UTC+6): still the due day.
    at_utc(monkeypatch, dt.datetime(2026, 1, 1, 17, 0))
    page = client.get(list_url(plan)).content.decode()
    assert "overdue by" not in page
    # 19:00 UTC is 01:00 on 2 January in Bishkek: one day overdue (in UTC still the 1st).
    at_utc(monkeypatch, dt.datetime(2026, 1, 1, 19, 0))
    page = client.get(list_url(plan)).content.decode()
    assert "overdue by 1 day" in page
    assert f'id="item-{item.pk}" class="workplan-row state-todo is-overdue"' in page


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({}, {"Open late", "Open soon", "Done late", "Dropped"}),
        ({"state": "overdue"}, {"Open late"}),
        ({"state": "open"}, {"Open late", "Open soon"}),
        ({"state": "done"}, {"Done late"}),
        ({"state": "dropped"}, {"Dropped"}),
        ({"state": "nonsense"}, {"Open late", "Open soon", "Done late", "Dropped"}),
        ({"owner": "OWNER"}, {"Open soon"}),
        # A bad owner is ignored like a bad state: never a 500 (ids beyond 2^63 - 1 used to
        # reach the database as an OverflowError).
        *(
            ({"owner": owner}, {"Open late", "Open soon", "Done late", "Dropped"})
            for owner in [
                "o9223372036854775808",
                "u9223372036854775808",
                "u99999999999999999999",
                "o²",
                "o-1",
                "u0",
                "x1",
            ]
        ),
    ],
)
def test_filters_by_state_and_owner(
    plan, lead_ministry, organisations, coordinator, login, query, shown
):
    today = services.today_in(plan)
    make = services.work_plan_item_create
    make(
        actor=None,
        plan=plan,
        title="Open late",
        due=today - dt.timedelta(days=3),
        owner_organisation=lead_ministry,
    )
    soon = make(
        actor=None,
        plan=plan,
        title="Open soon",
        due=today + dt.timedelta(days=3),
        owner_organisation=organisations["MoE"],
    )
    make(actor=None, plan=plan, title="Done late", due=today - dt.timedelta(days=3), state="done")
    make(actor=None, plan=plan, title="Dropped", due=today, state="dropped", drop_reason="Merged")
    if query.get("owner") == "OWNER":
        query = {"owner": f"o{soon.owner_organisation_id}"}
    response = login(coordinator).get(list_url(plan, **query))
    assert response.status_code == 200
    page = response.content.decode()
    titles = {"Open late", "Open soon", "Done late", "Dropped"}
    assert {
        title for title in titles if f'<span class="item-title">{title}</span>' in page
    } == shown


@pytest.mark.parametrize(
    ("role", "list_status", "create_status"),
    [
        (Role.COORDINATOR, 200, 200),
        (Role.WORKING_GROUP_MEMBER, 200, 403),
        (Role.FOCAL_POINT, 200, 403),
        (Role.PARTNER, 200, 403),
        (Role.CIVIL_SOCIETY_MONITOR, 200, 403),
        ("admin", 200, 200),
        ("non_member", 404, 404),
    ],
)
def test_who_reads_and_who_edits(plan, user_in_role, login, role, list_status, create_status):
    assert role in ALL_ROLES
    item = services.work_plan_item_create(actor=None, plan=plan, title="T", due=dt.date(2030, 1, 1))
    client = login(user_in_role(role))
    assert client.get(list_url(plan)).status_code == list_status
    assert client.get(reverse("workplan:timeline", args=[plan.slug])).status_code == list_status
    assert client.get(reverse("workplan:create", args=[plan.slug])).status_code == create_status
    state_url = reverse("workplan:state", args=[plan.slug, item.pk])
    assert client.post(state_url, {"state": "done"}).status_code in (
        {302} if create_status == 200 else {create_status}
    )


def test_anonymous_is_sent_to_sign_in(plan, login):
    assert login(None).get(list_url(plan)).status_code == 302


def form_data(**overrides) -> dict:
    data = {
        "kind": "task",
        "title": "Translate the draft into Kyrgyz",
        "due": "2012-10-15",
        "state": "todo",
    }
    data.update(overrides)
    return data


def test_create_an_item_and_come_back_to_its_row(plan, lead_ministry, coordinator, login):
    response = login(coordinator).post(
        reverse("workplan:create", args=[plan.slug]),
        form_data(owner_organisation=lead_ministry.pk, start="2012-09-01"),
    )
    item = WorkPlanItem.objects.get(plan=plan)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    assert (item.owner_organisation, item.start, item.due) == (
        lead_ministry,
        dt.date(2012, 9, 1),
        dt.date(2012, 10, 15),
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start": "2012-11-01"}, "due", "The due date is before the start."),
        ({"state": "dropped"}, "drop_reason", "Say why the item is dropped."),
        ({"due": "31/31/2012"}, "due", "Enter a valid date."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_bad_input_is_a_message_on_the_field_and_nothing_is_saved(
    plan, coordinator, login, overrides, field, message
):
    response = login(coordinator).post(
        reverse("workplan:create", args=[plan.slug]), form_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert not WorkPlanItem.objects.exists()


def test_a_dependency_cycle_is_a_message_on_the_field(plan, coordinator, login):
    first = services.work_plan_item_create(
        actor=None, plan=plan, title="A", due=dt.date(2012, 9, 1)
    )
    second = services.work_plan_item_create(
        actor=None, plan=plan, title="B", due=dt.date(2012, 9, 2), depends_on=[first]
    )
    response = login(coordinator).post(
        reverse("workplan:edit", args=[plan.slug, first.pk]),
        form_data(title="A", due="2012-09-01", depends_on=[second.pk]),
    )
    assert response.status_code == 400
    assert "These dependencies would make a cycle." in response.context["form"].errors["depends_on"]
    assert list(first.depends_on.all()) == []


def test_dropping_from_the_list_needs_a_reason(plan, coordinator, login):
    item = services.work_plan_item_create(actor=None, plan=plan, title="A", due=dt.date(2012, 9, 1))
    client = login(coordinator)
    url = reverse("workplan:state", args=[plan.slug, item.pk])
    response = client.post(url, {"state": "dropped", "drop_reason": "  "})
    assert response.status_code == 400
    assert "Say why the item is dropped." in response.context["form"].errors["drop_reason"]
    item.refresh_from_db()
    assert item.state == "todo"
    response = client.post(url, {"state": "dropped", "drop_reason": "Merged into the draft"})
    item.refresh_from_db()
    assert (response.status_code, item.state, item.drop_reason) == (
        302,
        "dropped",
        "Merged into the draft",
    )
    client.post(url, {"state": "doing", "drop_reason": "stale text"})
    item.refresh_from_db()
    assert (item.state, item.drop_reason) == ("doing", "")


def test_planning_warnings_are_shown_but_do_not_block(plan, lead_ministry, coordinator, login):
    services.working_group_save(
        actor=None, plan=plan, name="Working group", legal_act_date=dt.date(2012, 6, 27)
    )
    response = login(coordinator).post(
        reverse("workplan:create", args=[plan.slug]), form_data(due="2012-05-01"), follow=True
    )
    page = response.content.decode()
    assert WorkPlanItem.objects.filter(plan=plan, due=dt.date(2012, 5, 1)).exists()
    assert "Due before the drafting began (2012-06-27)." in page


@pytest.mark.parametrize("count", [5, 200])
@pytest.mark.parametrize("name", ["workplan:list", "workplan:timeline"])
def test_query_budget_does_not_grow_with_items(
    plan, lead_ministry, coordinator, login, django_assert_max_num_queries, count, name
):
    seminar_with_task(plan, lead_ministry, due=dt.date(2012, 10, 31))
    many_items(plan, lead_ministry, count, first_due=dt.date(2012, 8, 1))
    client = login(coordinator)
    url = reverse(name, args=[plan.slug])
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('id="item-') == count + 1


@pytest.mark.parametrize("count", [5, 200])
@pytest.mark.parametrize(
    ("name", "budget"),
    [
        ("workplan:create", 9),
        ("workplan:edit", 12),
        ("workplan:state", 7),
        ("workplan:calendar", 7),
    ],
)
def test_query_budget_of_forms_and_the_calendar_page(
    plan, lead_ministry, coordinator, login, django_assert_max_num_queries, count, name, budget
):
    items = many_items(plan, lead_ministry, count, first_due=dt.date(2012, 8, 1))
    args = [plan.slug, items[-1].pk] if name in {"workplan:edit", "workplan:state"} else [plan.slug]
    client = login(coordinator)
    with django_assert_max_num_queries(budget):
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("owner", "status"),
    [
        ("person", 302),  # the task's person
        ("organisation", 302),  # a focal point of the owning ministry
        ("other", 403),  # a focal point of another ministry
    ],
)
def test_the_owner_of_a_task_updates_its_state(
    plan, lead_ministry, member_factory, login, owner, status
):
    """Whoever owns a task moves it along (to do → doing → done) without the secretariat."""
    from tests.factories import OrganisationFactory

    focal = member_factory(Role.FOCAL_POINT)  # of lead_ministry
    stranger = member_factory(Role.FOCAL_POINT, OrganisationFactory(name="Ministry of Defence"))
    item = services.work_plan_item_create(
        actor=None,
        plan=plan,
        title="Translate the draft into Kyrgyz",
        due=dt.date(2012, 9, 1),
        owner_organisation=lead_ministry if owner == "organisation" else None,
        owner_user=stranger if owner == "person" else None,
    )
    user = {"person": stranger, "organisation": focal, "other": stranger}[owner]
    if owner == "other":
        item.owner_organisation = lead_ministry
        item.save()
    client = login(user)
    listing = client.get(list_url(plan)).content.decode()
    assert (f'action="{reverse("workplan:state", args=[plan.slug, item.pk])}"' in listing) == (
        status == 302
    )
    response = client.post(reverse("workplan:state", args=[plan.slug, item.pk]), {"state": "done"})
    assert response.status_code == status
    item.refresh_from_db()
    assert item.state == ("done" if status == 302 else "todo")
