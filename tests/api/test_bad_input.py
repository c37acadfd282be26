"""Bad parameters answer a clear 4xx naming the parameter; never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(name: str, world, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs={"slug": world.plan.slug, **kwargs})


@pytest.mark.parametrize(
    ("name", "params", "status", "errors"),
    [
        ("values", {"period": "abc"}, 400, {"period": ["Enter a whole number (an id)."]}),
        ("values", {"indicator": "-3"}, 400, {"indicator": ["Enter a whole number (an id)."]}),
        (
            "values",
            {"organisation": "99999999999999999999999"},
            400,
            {"organisation": ["Enter a whole number (an id)."]},
        ),
        (
            "actions",
            {"status": "finished"},
            400,
            {"status": ["Choose one of: not_started, in_progress, completed, delayed, cancelled."]},
        ),
        ("results", {"tier": "top"}, 400, {"tier": ["Enter a tier number: 0 for the top tier."]}),
        ("results", {"top": "maybe"}, 400, {"top": ["Use true or false."]}),
        (
            "events",
            {"from": "24/07/2019"},
            400,
            {"from": ["Enter a date as YYYY-MM-DD, e.g. 2024-06-30."]},
        ),
        (
            "events",
            {"from": "2019-09-01", "to": "2019-08-01"},
            400,
            {"to": ["This day is before the “from” day."]},
        ),
        ("indicators", {"page": "two"}, 400, {"page": ["Enter a whole number, 1 or more."]}),
        ("indicators", {"page": "0"}, 400, {"page": ["Enter a whole number, 1 or more."]}),
        (
            "indicators",
            {"page": "7"},
            404,
            {"page": ["Page 7 does not exist; there is 1 page."]},
        ),
        (
            "indicators",
            {"page_size": "500"},
            400,
            {"page_size": ["Enter a whole number from 1 to 200."]},
        ),
        (
            "indicators",
            {"lang": "kg"},
            400,
            {"lang": ["Unknown language; use one of: en, ru, ky."]},
        ),
    ],
)
def test_bad_parameters(world, api, name, params, status, errors):
    response = api().get(url(name, world), params)
    assert response.status_code == status
    assert response.json() == errors


def test_plan_list_parameters(world, api):
    client = api()
    assert client.get(reverse("api:plans"), {"country": "kg"}).json()["count"] == 1
    assert client.get(reverse("api:plans"), {"country": "FR"}).json()["count"] == 0
    response = client.get(reverse("api:plans"), {"country": "Kyrgyzstan"})
    assert response.status_code == 400
    assert response.json() == {"country": ["Use a two-letter country code, e.g. KG."]}


def test_pages_of_a_list(world, api):
    client = api(world.r.coordinator)
    first = client.get(url("results", world), {"page_size": 2}).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    second = client.get(first["next"]).json()
    assert [r["code"] for r in second["results"]] == ["1.1"]
    assert second["next"] is None


@pytest.mark.parametrize("pk", ["0", "99999999", "9223372036854775808", "99999999999999999999999"])
def test_ids_no_row_can_have_are_404(world, api, pk):
    for name in ("result", "action", "indicator", "period", "event", "report"):
        response = api(world.r.coordinator).get(f"{url(name + 's', world)}{pk}/")
        assert response.status_code == 404, (name, pk)
        assert response.json() == {"detail": ["Not found."]}


def test_an_unknown_plan_is_404(api, db):
    response = api().get(reverse("api:results", kwargs={"slug": "no-such-plan"}))
    assert response.status_code == 404


def test_me_needs_a_token(world, api):
    assert api().get(reverse("api:me")).status_code == 401
    me = api(world.r.focal_point).get(reverse("api:me")).json()
    assert me["username"] == "focal-moes"
    assert [(m["plan"], m["role"], m["organisation"]["acronym"]) for m in me["memberships"]] == [
        ("test-plan", "focal_point", "MoES")
    ]


def test_a_wrong_token_is_401_with_a_message(world, api):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get(reverse("api:plans"))
    assert response.status_code == 401
    assert response.json() == {"detail": ["Invalid token."]}


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/nothing-here/",
        "/api/plans/test-plan/results/null,null/",
        "/api/plans/test-plan/reports/1.5/submit/",
    ],
)
def test_other_addresses_under_api_are_json_404s(world, api, path):
    from rest_framework.test import APIClient

    for response in (
        api().get(path),
        APIClient(enforce_csrf_checks=True).post(path, {"version": 1}, format="json"),
    ):
        assert response.status_code == 404
        assert response.json() == {
            "detail": ["Not found. The API's endpoints are listed at /api/docs/."]
        }


def test_a_slashless_address_is_redirected_to_the_endpoint(world, api):
    response = api().get("/api/plans")
    assert (response.status_code, response["Location"]) == (301, "/api/plans/")
