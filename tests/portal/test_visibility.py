"""Issue 6 point 2: nothing unpublished or unapproved on any public page, list, count or in
the sitemap; their addresses answer 404; publishing and withdrawing take effect at once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from nap1325.core.history import EVENT_LABELS
from nap1325.core.models import AuditEvent
from nap1325.plans import services as plans

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def public_urls(portal) -> dict[str, str]:
    """Every public page of the portal fixture, by page type."""
    slug = portal.plan.slug
    return {
        "index": reverse("portal:index"),
        "plan": reverse("portal:plan", args=[slug]),
        "framework": reverse("portal:framework", args=[slug]),
        "action": reverse("portal:action", args=[slug, portal.action.pk]),
        "indicator": reverse("portal:indicator", args=[slug, portal.indicator.pk]),
        "group": reverse("portal:group", args=[slug]),
        "event": reverse("portal:event", args=[slug, portal.event.pk]),
        "changes": reverse("portal:changes", args=[slug]),
        "consultations": reverse("portal:consultations", args=[slug]),
        "consultation": reverse("portal:consultation", args=[slug, portal.consultation.pk]),
        "sitemap": "/sitemap.xml",
    }


def hidden_urls(portal) -> dict[str, str]:
    """The addresses the hidden things would have."""
    slug = portal.plan.slug
    hidden = portal.hidden
    return {
        "unpublished indicator": reverse("portal:indicator", args=[slug, hidden["indicator"].pk]),
        "unpublished action": reverse("portal:action", args=[slug, hidden["action"].pk]),
        "indicator of an unpublished action": reverse(
            "portal:indicator", args=[slug, hidden["action_indicator"].pk]
        ),
        "action under an unpublished objective": reverse(
            "portal:action", args=[slug, hidden["deep_action"].pk]
        ),
        "indicator under an unpublished objective": reverse(
            "portal:indicator", args=[slug, hidden["deep_indicator"].pk]
        ),
        "internal event": reverse("portal:event", args=[slug, hidden["event"].pk]),
        "unpublished consultation": reverse(
            "portal:consultation", args=[slug, hidden["consultation"].pk]
        ),
        "unknown action": reverse("portal:action", args=[slug, 999999]),
        "unknown plan": reverse("portal:plan", args=["no-such-plan"]),
    }


def body(response) -> str:
    return CSRF.sub("", response.content.decode())


@pytest.mark.parametrize(
    "page",
    [
        "index",
        "plan",
        "framework",
        "action",
        "indicator",
        "group",
        "event",
        "changes",
        "consultations",
        "consultation",
    ],
)
def test_every_public_page_opens_without_login_and_shows_nothing_hidden(portal, client, page):
    response = client.get(public_urls(portal)[page])
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]  # publishing shows at the next request
    html = body(response)
    leaked = [secret for secret in portal.secrets if secret in html]
    assert leaked == []


def test_the_sitemap_lists_every_public_page_and_nothing_hidden(portal, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    listed = set(re.findall(r"<loc>http://testserver([^<]+)</loc>", response.content.decode()))
    expected = {url for name, url in public_urls(portal).items() if name != "sitemap"}
    for language in ("ru", "ky"):
        expected |= {url.replace("/en/", f"/{language}/", 1) for url in set(expected)}
    assert listed == expected
    for url in hidden_urls(portal).values():
        assert url not in listed


@pytest.mark.parametrize(
    "what",
    [
        "unpublished indicator",
        "unpublished action",
        "indicator of an unpublished action",
        "action under an unpublished objective",
        "indicator under an unpublished objective",
        "internal event",
        "unpublished consultation",
        "unknown action",
        "unknown plan",
    ],
)
def test_hidden_things_answer_404(portal, client, what):
    assert client.get(hidden_urls(portal)[what]).status_code == 404


def test_only_approved_values_and_public_counts_are_shown(portal, client):
    slug = portal.plan.slug
    indicator_page = body(client.get(reverse("portal:indicator", args=[slug, portal.indicator.pk])))
    assert "120" in indicator_page  # the approved 2019 Q1 value
    assert "2019 Q2" in indicator_page and "not reported" in indicator_page  # 777 is submitted
    cards = body(client.get(reverse("portal:index")))
    assert "1 action ·" in cards and "1 indicator" in cards  # not 4 actions, 5 indicators
    framework = body(client.get(reverse("portal:framework", args=[slug])))
    assert "1 action · 1 indicator" in framework
    overview = body(client.get(reverse("portal:plan", args=[slug])))
    assert "Approved values for 2019 Q1 from Ministry of Education: 1 indicator" in overview
    group = body(client.get(reverse("portal:group", args=[slug])))
    assert "Open seminar on resolution 1325" in group
    assert "Seminar held in Bishkek" in group
    assert "20 (12 women)" in group


def test_an_unpublished_plan_is_absent_everywhere_and_its_pages_answer_404(portal, client):
    plans.plan_unpublish(actor=portal.coordinator, plan=portal.plan)
    urls = public_urls(portal)
    for name, url in urls.items():
        response = client.get(url)
        if name in {"index", "sitemap"}:
            assert response.status_code == 200
            assert portal.plan.title not in body(response)
            assert portal.plan.slug not in body(response)
        else:
            assert response.status_code == 404, name
    plans.plan_publish(actor=portal.coordinator, plan=portal.plan)
    assert client.get(urls["indicator"]).status_code == 200


def test_holding_back_an_item_takes_effect_at_once(portal, client):
    url = reverse("portal:indicator", args=[portal.plan.slug, portal.indicator.pk])
    framework = reverse("portal:framework", args=[portal.plan.slug])
    assert client.get(url).status_code == 200
    plans.indicator_update(actor=portal.coordinator, indicator=portal.indicator, is_published=False)
    assert client.get(url).status_code == 404
    assert "Teachers trained on resolution 1325" not in body(client.get(framework))
    plans.result_update(actor=portal.coordinator, result=portal.task, is_published=False)
    assert (
        client.get(reverse("portal:action", args=[portal.plan.slug, portal.action.pk])).status_code
        == 404
    )


def test_publishing_is_audited_and_labelled(portal, coordinator):
    plans.plan_unpublish(actor=portal.coordinator, plan=portal.plan)
    assert plans.plan_unpublish(actor=portal.coordinator, plan=portal.plan) is False
    types = list(
        AuditEvent.objects.filter(
            plan=portal.plan, event_type__in=["plan.published", "plan.unpublished"]
        )
        .order_by("id")
        .values_list("event_type", "changes")
    )
    assert types == [
        ("plan.published", {"is_published": [False, True]}),
        ("plan.unpublished", {"is_published": [True, False]}),
    ]
    assert {"plan.published", "plan.unpublished"} <= set(EVENT_LABELS)
