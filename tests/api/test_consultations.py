"""Consultations in the API: the public reads published consultations with links to public
actions only; members read everything the internal pages show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nap1325.core.models import Role
from nap1325.participation import services as participation
from nap1325.participation.models import Consultation
from tests.api.conftest import role_user

pytestmark = pytest.mark.django_db


def add_consultations(world, count: int = 1, *, start: int = 0) -> list[Consultation]:
    """``count`` published consultations, each with an input linked to the public action
    (incorporated) and to the hidden action (partly, a reason that must stay internal), and
    one internal consultation with an input linked to the public action."""
    r = world.r
    made = []
    for n in range(start, start + count):
        consultation = participation.consultation_create(
            actor=r.coordinator,
            plan=world.plan,
            title=f"Regional consultation {n}",
            level=Consultation.Level.REGIONAL,
            date=dt.date(2018, 3, 1) + dt.timedelta(days=n),
            place="Osh city hall",
            region="Osh",
            organiser=r.ministry,
            women=31,
            men=9,
            unspecified=2,
            group_counts={"womens_organisations": 18, "youth": 5},
        )
        inp = participation.input_create(
            actor=r.coordinator,
            consultation=consultation,
            kind="recommendation",
            text=f"Train teachers in every district ({n}).",
            group="womens_organisations",
        )
        participation.input_link_save(
            actor=r.coordinator,
            inp=inp,
            action=r.action,
            disposition="incorporated",
            reason="The measure trains teachers in all districts.",
        )
        participation.input_link_save(
            actor=r.coordinator,
            inp=inp,
            action=world.hidden_action,
            disposition="partly",
            reason="Internal reason about the hidden measure",
        )
        participation.consultation_publish(
            actor=r.coordinator, consultation=consultation, published=True
        )
        made.append(consultation)
    internal = participation.consultation_create(
        actor=r.coordinator,
        plan=world.plan,
        title=f"Closed consultation with donors {start}",
        level=Consultation.Level.NATIONAL,
        date=dt.date(2018, 2, 1),
    )
    participation.input_create(
        actor=r.coordinator, consultation=internal, text="Confidential donor concern."
    )
    return made


def _list(client, world, **params):
    return client.get(reverse("api:consultations", kwargs={"slug": world.plan.slug}), params)


def test_the_public_reads_published_consultations_with_public_links_only(world, api):
    (consultation,) = add_consultations(world)
    response = _list(api(), world)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    (row,) = data["results"]
    assert row["title"] == "Regional consultation 0"
    assert (row["level"], row["level_label"], row["date"]) == ("regional", "Regional", "2018-03-01")
    assert row["participants"] == {"women": 31, "men": 9, "unspecified": 2, "total": 42}
    assert row["groups"] == [
        {"group": "womens_organisations", "group_label": "Women's organisations", "count": 18},
        {"group": "youth", "group_label": "Youth", "count": 5},
    ]
    assert row["organiser"]["name"] == world.r.ministry.name
    (inp,) = row["inputs"]
    assert (inp["disposition"], inp["disposition_label"]) == ("incorporated", "Incorporated")
    assert inp["links"] == [
        {
            "action": {
                "id": world.r.action.pk,
                "code": world.r.action.code,
                "title": world.r.action.title,
            },
            "disposition": "incorporated",
            "disposition_label": "Incorporated",
            "reason": "The measure trains teachers in all districts.",
        }
    ]
    text = response.content.decode()
    for secret in (
        "Internal reason",
        "Closed consultation",
        "Confidential donor",
        "Internal measure",
    ):
        assert secret not in text


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.WORKING_GROUP_MEMBER, Role.CIVIL_SOCIETY_MONITOR]
)
def test_members_read_every_consultation_and_link(world, api, role):
    add_consultations(world)
    data = _list(api(role_user(world, role)), world).json()
    titles = [row["title"] for row in data["results"]]
    assert titles == ["Regional consultation 0", "Closed consultation with donors 0"]
    links = data["results"][0]["inputs"][0]["links"]
    assert [link["reason"] for link in links] == [
        "The measure trains teachers in all districts.",
        "Internal reason about the hidden measure",
    ]
    assert data["results"][1]["inputs"][0]["disposition"] == ""


def test_detail_answers_404_for_an_internal_consultation_to_the_public(world, api):
    (published,) = add_consultations(world)
    internal = Consultation.objects.get(title="Closed consultation with donors 0")
    member = api(role_user(world, Role.WORKING_GROUP_MEMBER))
    for client, pk, status in (
        (api(), published.pk, 200),
        (api(), internal.pk, 404),
        (member, internal.pk, 200),
        (api(), 2**63, 404),
    ):
        response = client.get(
            reverse("api:consultation", kwargs={"slug": world.plan.slug, "pk": pk})
        )
        assert response.status_code == status, (pk, response.content)


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"level": "regional"}, 2),
        ({"level": "national"}, 0),
        ({"region": "osh"}, 2),
        ({"region": "Bishkek"}, 0),
        ({"from": "2018-03-02"}, 1),
        ({"to": "2018-03-01"}, 1),
    ],
)
def test_filters(world, api, params, count):
    add_consultations(world, 2)
    assert _list(api(), world, **params).json()["count"] == count


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "planetary"}, "level"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2018-03-02", "to": "2018-03-01"}, "to"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(world, api, params, field):
    response = _list(api(), world, **params)
    assert response.status_code == 400
    assert field in response.json()
