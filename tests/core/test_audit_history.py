"""The plan's History page: who changed what, old → new, why; paginated; access-checked."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from nap1325.core import audit
from nap1325.core.models import AuditEvent, Role
from nap1325.plans import services
from tests.conftest import ALL_ROLES
from tests.factories import UserFactory

#: session, user, plan, membership, count, one page of events with their actors — 6; margin 2.
HISTORY_QUERY_BUDGET = 8
PER_PAGE = 50


def history_url(plan, page: object = None) -> str:
    url = reverse("plans:history", args=[plan.slug])
    return f"{url}?page={page}" if page is not None else url


def rows(response) -> list[str]:
    """The visible text of each row of the history table."""
    body = re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S)
    if not body:
        return []
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


@pytest.fixture
def history_client(login, coordinator):
    return login(coordinator)


def test_history_lists_who_what_old_new_and_why(framework, plan, coordinator, history_client):
    coordinator.display_name = "Aigul Asanova"
    coordinator.save()
    action = framework["action"]
    services.action_update(
        actor=coordinator,
        action=action,
        title="Mentoring programme for women officers of the police",
        reason="Agreed at the working-group meeting of 12 March 2019",
    )
    services.budget_line_create(
        actor=coordinator,
        action=action,
        amount=Decimal("350000"),
        funding_source="state_budget",
        year=2019,
    )
    response = history_client.get(history_url(plan))
    assert response.status_code == 200
    found = rows(response)
    # newest first
    assert "Budget line added" in found[0]
    assert "Aigul Asanova" in found[0]
    assert "Amount : — → 350000" in found[0]
    assert "Funding source : — → State budget" in found[0]
    update = found[1]
    assert (
        "Aigul Asanova Action changed 1.1.1 Mentoring programme for women officers of the police"
        in update
    )
    assert (  # the English column: the page and the service ran in English
        "Title (English) : Mentoring for women officers"
        " → Mentoring programme for women officers of the police" in update
    )
    assert update.endswith("Agreed at the working-group meeting of 12 March 2019")
    # events written by the system (demo loader, CLI) say so
    assert "system Action added 1.1.1 Mentoring for women officers" in found[2]
    assert "Lead agency : — → Ministry of Internal Affairs" in found[2]


def test_history_shows_only_this_plans_events(framework, plan, history_client):
    audit.record(
        actor=None, event_type="organisation.created", changes={"name": [None, "UN Women"]}
    )
    found = rows(history_client.get(history_url(plan)))
    assert not any("organisation.created" in row for row in found)
    assert len(found) == AuditEvent.objects.filter(plan=plan).count()


def test_empty_history(plan, history_client):
    AuditEvent.objects.filter(plan=plan).delete()
    response = history_client.get(history_url(plan))
    assert response.status_code == 200
    assert "No changes recorded yet." in response.content.decode()


def make_events(plan, actor, count: int) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor if n % 2 else None,
            event_type="action.updated",
            plan=plan,
            object_repr=f"1.1.{n} Awareness session {n}",
            changes={"status": ["not_started", "in_progress"], "end": ["2019-12-31", "2020-06-30"]},
            reason=f"Half-yearly report {n}",
        )
        for n in range(count)
    )


def test_history_paginates(plan, coordinator, history_client):
    AuditEvent.objects.filter(plan=plan).delete()
    make_events(plan, coordinator, 120)
    first = history_client.get(history_url(plan))
    assert len(rows(first)) == PER_PAGE
    assert "Page 1 of 3" in first.content.decode()
    assert "Half-yearly report 119" in rows(first)[0]  # newest first
    assert 'href="?page=2"' in first.content.decode()

    last = history_client.get(history_url(plan, 3))
    assert len(rows(last)) == 20
    assert "Page 3 of 3" in last.content.decode()
    assert "Half-yearly report 0" in rows(last)[-1]


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("999", 3),
        ("abc", 1),
        ("0", 3),
        ("-1", 3),
        ("", 1),
        ("2.5", 1),
        ("99999999999999999999999", 3),
    ],
)
def test_bad_page_numbers_do_not_break_the_page(plan, coordinator, history_client, page, shown):
    AuditEvent.objects.filter(plan=plan).delete()
    make_events(plan, coordinator, 120)
    response = history_client.get(history_url(plan, page))
    assert response.status_code == 200
    assert f"Page {shown} of 3" in response.content.decode()


@pytest.mark.parametrize("count", [5, 120])
def test_history_query_budget_does_not_grow(
    plan, coordinator, history_client, django_assert_max_num_queries, count
):
    make_events(plan, coordinator, count)
    with django_assert_max_num_queries(HISTORY_QUERY_BUDGET):
        assert history_client.get(history_url(plan)).status_code == 200
    with django_assert_max_num_queries(HISTORY_QUERY_BUDGET):
        assert history_client.get(history_url(plan, 999)).status_code == 200


def test_history_query_budget_is_tight(
    plan, coordinator, history_client, django_assert_num_queries
):
    make_events(plan, coordinator, 60)
    with django_assert_num_queries(HISTORY_QUERY_BUDGET - 2):
        history_client.get(history_url(plan))


def expected_history_status(role: str) -> int:
    if role in {"coordinator", "admin", Role.WORKING_GROUP_MEMBER}:
        return 200  # PLAN_VIEW_AUDIT
    if role == "non_member":
        return 404
    if role == "anonymous":
        return 302
    return 403  # focal point, civil-society monitor, partner: may see the plan, not its trail


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_read_the_history(framework, plan, user_in_role, login, role):
    response = login(user_in_role(role)).get(history_url(plan))
    assert response.status_code == expected_history_status(role)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if response.status_code == 200:
        assert "Action added" in response.content.decode()
    else:
        assert "action.created" not in response.content.decode()


def test_focal_point_sees_the_plan_but_not_its_history(framework, plan, login, member_factory):
    client = login(member_factory(Role.FOCAL_POINT))
    assert client.get(reverse("plans:matrix", args=[plan.slug])).status_code == 200
    assert client.get(history_url(plan)).status_code == 403


def test_unknown_plan_history_is_404(login, coordinator):
    assert login(coordinator).get(reverse("plans:history", args=["kg-nap-1999"])).status_code == 404


def test_non_member_with_many_memberships_elsewhere_gets_404(framework, plan, login, lead_ministry):
    from tests.factories import grant, make_plan

    other = make_plan(slug="kg-nap-2012", title="First NAP 2013–2015", generation=1)
    user = UserFactory()
    grant(user, other, lead_ministry, Role.COORDINATOR)
    assert login(user).get(history_url(plan)).status_code == 404


def test_history_names_related_objects_in_a_bounded_number_of_queries(
    framework, plan, coordinator, history_client, django_assert_max_num_queries
):
    """Lead agencies and partners of 60 events show as names: one query per related model."""
    from django.contrib.contenttypes.models import ContentType

    from tests.factories import OrganisationFactory

    AuditEvent.objects.filter(plan=plan).delete()
    action = framework["action"]
    organisations = OrganisationFactory.create_batch(30)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=coordinator,
            event_type="action.updated",
            plan=plan,
            content_type=ContentType.objects.get_for_model(action),
            object_id=str(action.pk),
            object_repr=str(action),
            changes={
                "lead_agency": [organisations[n % 30].pk, organisations[(n + 1) % 30].pk],
                "partners": [[], [organisations[(n + 2) % 30].pk]],
                "status": ["not_started", "in_progress"],
            },
        )
        for n in range(60)
    )
    # events (2) + organisations (1) + the page's usual queries
    with django_assert_max_num_queries(HISTORY_QUERY_BUDGET + 1):
        response = history_client.get(history_url(plan))
    first = rows(response)[0]
    assert f"Lead agency : {organisations[29]} → {organisations[0]}" in first
    assert f"Partners : — → {organisations[1]}" in first
    assert "Status : Not started → In progress" in first


def test_every_event_type_written_by_the_code_has_a_readable_name():
    """A new ``event_type`` in a service must get a label in core/history.py."""
    import pathlib

    from nap1325.core.history import EVENT_LABELS

    source = pathlib.Path(__file__).resolve().parents[2] / "src" / "nap1325"
    written: set[str] = set()
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'event_type="([a-z_]+\.[a-z_]+)"', text))
        for entity in re.findall(r'entity="([a-z_]+)"', text):
            written |= {f"{entity}.created", f"{entity}.updated"}
    missing = sorted(written - set(EVENT_LABELS))
    assert not missing, f"no label in core/history.EVENT_LABELS for {missing}"
