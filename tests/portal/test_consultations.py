"""The portal's consultations: what the public reads of consultations, inputs and their
dispositions, and the "Where this came from" section of a public action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from nap1325.participation import round_services
from nap1325.participation import services as participation
from nap1325.plans import services as plans
from tests.portal.test_visibility import body

pytestmark = pytest.mark.django_db


def _page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return body(response)


@pytest.mark.parametrize("name", ["portal:consultations", "portal:consultation"])
def test_a_published_consultation_shows_facts_inputs_and_public_dispositions(portal, client, name):
    args = [portal.plan.slug] + ([portal.consultation.pk] if name == "portal:consultation" else [])
    html = _page(client, name, *args)
    for text in (
        "Regional consultation in Osh",
        "Regional",
        "14 March 2018",
        "Osh city hall",
        "Ministry of Education",
        "42: 31 women, 9 men",
        "2 not stated",
        "Women&#x27;s organisations (18)",
        "Local government (7)",
        "Train school teachers in every district on resolution 1325.",
        "Incorporated",
        "Measure 1.1.1 trains teachers in all districts from 2019.",
        "Train teachers on resolution 1325",
        # the input linked only to an unpublished measure keeps its disposition
        "Mentors for young women officers.",
        "Taken up by an action that is not published.",
    ):
        assert text in html, text
    public_action = reverse("portal:action", args=[portal.plan.slug, portal.action.pk])
    hidden_action = reverse("portal:action", args=[portal.plan.slug, portal.hidden["action"].pk])
    assert f'href="{public_action}"' in html
    assert hidden_action not in html
    assert f"/actions/{portal.hidden['action'].pk}/" not in html  # nor the internal page


def test_the_action_page_says_where_the_action_came_from(portal, client):
    html = _page(client, "portal:action", portal.plan.slug, portal.action.pk)
    assert "Where this came from" in html
    assert "Train school teachers in every district on resolution 1325." in html
    assert "Measure 1.1.1 trains teachers in all districts from 2019." in html
    consultation = reverse("portal:consultation", args=[portal.plan.slug, portal.consultation.pk])
    assert f'href="{consultation}#input-{portal.input.pk}"' in html


def test_making_a_consultation_internal_hides_it_at_once(portal, client):
    url = reverse("portal:consultation", args=[portal.plan.slug, portal.consultation.pk])
    assert client.get(url).status_code == 200
    participation.consultation_publish(
        actor=portal.coordinator, consultation=portal.consultation, published=False
    )
    assert client.get(url).status_code == 404
    listing = _page(client, "portal:consultations", portal.plan.slug)
    assert "Regional consultation in Osh" not in listing
    assert "No consultation is published yet." in listing
    action = _page(client, "portal:action", portal.plan.slug, portal.action.pk)
    assert "Train school teachers" not in action
    assert "No input of a published consultation is linked to this action." in action
    assert url not in client.get("/sitemap.xml").content.decode()


def test_holding_back_a_linked_action_removes_its_link_and_reason(portal, client):
    plans.action_update(actor=portal.coordinator, action=portal.action, is_published=False)
    html = _page(client, "portal:consultations", portal.plan.slug)
    assert "Train school teachers in every district on resolution 1325." in html
    assert "Measure 1.1.1 trains teachers in all districts from 2019." not in html
    assert "Train teachers on resolution 1325" not in html


@pytest.mark.parametrize(
    ("is_public", "opens", "closes", "shown"),
    [
        (True, -1, 5, True),  # open to the public now
        (False, -1, 5, False),  # members only
        (True, 1, 5, False),  # upcoming
    ],
)
def test_an_open_public_comment_round_is_linked(portal, client, is_public, opens, closes, shown):
    version = plans.plan_version_create(actor=portal.coordinator, plan=portal.plan, label="Draft 2")
    now = timezone.now()
    round_ = round_services.comment_round_create(
        actor=portal.coordinator,
        version=version,
        title="Comments on draft 2",
        opens_at=now + dt.timedelta(days=opens),
        closes_at=now + dt.timedelta(days=closes),
        is_public=is_public,
    )
    html = _page(client, "portal:consultations", portal.plan.slug)
    link = reverse("rounds:public", args=[portal.plan.slug, round_.pk])
    assert (link in html) is shown
    assert ("Comments on draft 2" in html) is shown
    if shown:
        assert client.get(link).status_code == 200
