"""Read endpoints obey the portal's rule for the public and the pages' roles for members."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nap1325.core.models import Role
from nap1325.plans.models import Plan
from tests.api.conftest import role_user

pytestmark = pytest.mark.django_db


def url(name: str, world, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs={"slug": world.plan.slug, **kwargs})


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row.get("code") or row.get("title") for row in response.json()["results"]}


def test_the_public_sees_published_items_and_nothing_below_a_hidden_objective(world, api):
    client = api()
    assert codes(client.get(url("results", world))) == {"1", "1.1"}
    assert codes(client.get(url("actions", world))) == {"1.1.1", "1.1.2"}
    assert codes(client.get(url("indicators", world))) == {"I1", "I2", "I3", "I4"}
    for name, obj in (
        ("result", world.hidden_result),
        ("action", world.hidden_action),
        ("indicator", world.hidden_indicator),
        ("event", world.internal_event),
    ):
        assert client.get(url(name, world, pk=obj.pk)).status_code == 404, name


@pytest.mark.parametrize(
    ("role", "sees_hidden"),
    [
        (None, False),
        (Role.COORDINATOR, True),
        (Role.FOCAL_POINT, True),
        (Role.WORKING_GROUP_MEMBER, True),
        (Role.CIVIL_SOCIETY_MONITOR, True),
        (Role.PARTNER, True),
    ],
)
def test_members_see_the_internal_framework(world, api, role, sees_hidden):
    client = api(role_user(world, role) if role else None)
    found = codes(client.get(url("results", world)))
    assert ("9" in found) is sees_hidden
    response = client.get(url("indicator", world, pk=world.hidden_indicator.pk))
    assert response.status_code == (200 if sees_hidden else 404)
    events = {row["title"] for row in client.get(url("events", world)).json()["results"]}
    assert ("Internal meeting" in events) is sees_hidden


def test_an_unpublished_plan_is_404_for_the_public_and_outsiders(world, api):
    Plan.objects.filter(pk=world.plan.pk).update(is_published=False)
    outsider = role_user(world, Role.PARTNER)
    outsider.memberships.all().delete()
    for client in (api(), api(outsider)):
        assert client.get(reverse("api:plans")).json()["count"] == 0
        for name in ("plan", "results", "actions", "indicators", "periods", "values", "events"):
            response = client.get(url(name, world))
            assert response.status_code == 404, name
            assert response.json() == {"detail": ["Not found."]}
    member = api(role_user(world, Role.WORKING_GROUP_MEMBER))
    assert [p["slug"] for p in member.get(reverse("api:plans")).json()["results"]] == ["test-plan"]
    assert member.get(url("plan", world)).json()["your_roles"] == ["wg_member"]


def test_values_are_the_approved_ones_only_with_exact_decimals(world, api):
    rows = api().get(url("values", world)).json()["results"]
    by_code = {row["indicator_code"]: row for row in rows}
    assert set(by_code) == {"I1", "I2"}  # the pending Q2 value (999) is not there
    trained = by_code["I1"]
    assert trained["value"] == "120"
    assert trained["period_label"] == "2019 Q1"
    assert trained["organisation"]["acronym"] == "MoES"
    assert {c["key"]: c["amount"] for c in trained["cells"]} == {"women": "70", "men": "50"}
    assert (by_code["I2"]["numerator"], by_code["I2"]["denominator"]) == ("40", "220")
    # approved in Asia/Bishkek: an ISO 8601 instant with the plan's offset
    assert trained["approved_at"].endswith("+06:00")


def test_a_reopened_report_keeps_its_approved_values_public(world, api):
    from nap1325.monitoring import services

    report = world.q1_report
    services.agency_report_reopen(
        actor=world.r.coordinator, report=report, version=report.version, reason="Typo in I1"
    )
    rows = api().get(url("values", world), {"indicator": world.r.trained.pk}).json()["results"]
    assert [row["value"] for row in rows] == ["120"]


def test_a_civil_society_monitor_gets_403_for_values_of_an_unpublished_plan(world, api):
    Plan.objects.filter(pk=world.plan.pk).update(is_published=False)
    monitor = api(role_user(world, Role.CIVIL_SOCIETY_MONITOR))
    response = monitor.get(url("values", world))
    assert response.status_code == 403
    assert response.json() == {"detail": ["You do not have permission to do this."]}
    partner = api(role_user(world, Role.PARTNER))
    assert partner.get(url("values", world)).json()["count"] == 2


@pytest.mark.parametrize(
    ("who", "status", "organisations"),
    [
        ("coordinator", 200, {"MoES"}),
        ("focal_point", 200, {"MoES"}),
        ("other_focal_point", 200, set()),
        ("partner", 403, None),
        ("anonymous", 404, None),
    ],
)
def test_reports_are_for_those_who_fill_them_in_or_review_them(
    world, api, who, status, organisations
):
    users = {
        "coordinator": world.r.coordinator,
        "focal_point": world.r.focal_point,
        "other_focal_point": world.r.other_focal_point,
        "partner": role_user(world, Role.PARTNER),
        "anonymous": None,
    }
    client = api(users[who])
    response = client.get(url("reports", world))
    assert response.status_code == status
    if organisations is not None:
        found = {row["organisation"]["acronym"] for row in response.json()["results"]}
        assert found == organisations
    detail = client.get(url("report", world, pk=world.q2_report.pk))
    assert detail.status_code == (200 if organisations else status if status != 200 else 404)


def test_a_report_shows_its_pending_values_to_its_focal_point(world, api):
    data = api(world.r.focal_point).get(url("report", world, pk=world.q2_report.pk)).json()
    assert data["state"] == "submitted"
    assert data["editable"] is False
    assert [(v["indicator"], v["value"]) for v in data["values"]] == [(world.r.trained.pk, "999")]
    assert [t["to_state"] for t in data["transitions"]] == ["submitted"]
    assert data["submitted_at"].endswith("+06:00")


def test_events_show_local_times_with_the_plan_offset_and_minutes_to_members(world, api):
    public = api().get(url("event", world, pk=world.public_event.pk)).json()
    assert public["starts_at"] == "2019-07-24T09:30:00+06:00"
    assert public["ends_at"] == "2019-07-25T17:00:00+06:00"
    assert public["minutes"] is None
    member = api(world.r.coordinator).get(url("event", world, pk=world.public_event.pk)).json()
    assert member["minutes"] == "Internal minutes."


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tier": "0"}, {"1", "9"}),
        ({"top": "true"}, {"1", "9"}),
        ({"tier": "1"}, {"1.1"}),
    ],
)
def test_result_filters(world, api, params, expected):
    assert codes(api(world.r.coordinator).get(url("results", world), params)) == expected


def test_indicator_and_value_filters(world, api):
    client = api()
    assert codes(client.get(url("indicators", world), {"measure": "yes_no"})) == {"I3"}
    assert codes(client.get(url("indicators", world), {"action": world.r.action.pk})) == {
        "I1",
        "I2",
        "I3",
        "I4",
    }
    rows = client.get(
        url("values", world), {"period": world.r.q1.pk, "indicator": world.r.share.pk}
    ).json()["results"]
    assert [row["indicator_code"] for row in rows] == ["I2"]
    assert client.get(url("values", world), {"period": world.r.q2.pk}).json()["count"] == 0


def test_language_labels_follow_lang_and_accept_language(world, api):
    client = api()
    russian = client.get(url("actions", world), {"lang": "ru"})
    assert russian["Content-Language"] == "ru"
    assert russian.json()["results"][0]["status_label"] == "Не начато"
    by_header = client.get(url("actions", world), HTTP_ACCEPT_LANGUAGE="ky")
    assert by_header["Content-Language"] == "ky"
    english = client.get(url("actions", world))
    assert english.json()["results"][0]["status_label"] == "Not started"
    # HTTP negotiation: a language the platform does not have falls back to English
    german = client.get(url("actions", world), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert (german.status_code, german["Content-Language"]) == (200, "en")
    # ?lang= is explicit and wins over the header
    both = client.get(url("actions", world), {"lang": "ky"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert both["Content-Language"] == "ky"
