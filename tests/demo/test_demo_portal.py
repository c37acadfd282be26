"""The demo's "done when" of issue 5 on the public portal: a visitor follows a community
concern from the consultation where it was raised to the action and indicator answering it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from nap1325.demo.loader import load_demo
from nap1325.participation.models import Consultation, InputLink

pytestmark = pytest.mark.django_db


def test_a_visitor_follows_a_community_concern_to_its_action_and_indicator(client):
    load_demo()
    link = (
        InputLink.objects.filter(
            input__consultation__plan__slug="kg-nap-2018",
            input__consultation__level=Consultation.Level.COMMUNITY,
            action__is_published=True,
            action__indicators__is_published=True,
        )
        .select_related("input__consultation", "action")
        .first()
    )
    assert link is not None, "the demo links a community input to a public action"
    consultation, action = link.input.consultation, link.action
    listing = client.get(reverse("portal:consultations", args=["kg-nap-2018"]))
    assert listing.status_code == 200
    page = client.get(reverse("portal:consultation", args=["kg-nap-2018", consultation.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and consultation.title in text.replace("&#x27;", "'")
    action_url = reverse("portal:action", args=["kg-nap-2018", action.pk])
    assert action_url in text, "the input links to the action that answers it"
    action_page = client.get(action_url).content.decode()
    assert link.reason.split()[0] in action_page  # "where this came from", with the reason
    indicator_urls = re.findall(r'href="(/en/public/kg-nap-2018/indicators/\d+/)"', action_page)
    assert indicator_urls, "the action page leads on to its indicators"
    assert client.get(indicator_urls[0]).status_code == 200
