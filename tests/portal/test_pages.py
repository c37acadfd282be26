"""Portal pages: query budgets at small and larger data, the coordinator's publishing UI."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nap1325.core.models import Role
from nap1325.plans.models import Action, Indicator, Result
from tests.portal.conftest import grow
from tests.portal.test_visibility import public_urls

pytestmark = pytest.mark.django_db

#: Queries per page for an anonymous reader, the same at 1 and 30 public measures and
#: events (measured). index: plans + 3 (public_scopes); plan: plan + 3 + the dashboard's
#: reads + working group + latest changes (3); framework: plan + 3 + results, actions,
#: indicators, stored assessments; action: plan + 3 + action, ancestors, indicators,
#: assessments, partners, latest approved update, budget lines; indicator: plan + 3 +
#: indicator, ancestors, the indicator page's reads; group: plan + 3 + group, members,
#: events, media; event: plan + 3 + event, agenda, outcomes, attendance, organisers,
#: media; changes: plan + 3 + values, events, status changes (+ content type);
#: sitemap: plans + 3 + groups + events + consultations; consultations: plan + 3 +
#: consultations, group counts, inputs, their links, open public rounds; consultation:
#: plan + 3 + the consultation, group counts, inputs, links. The action page's "Where this
#: came from" is one query.
BUDGETS = {
    "index": 4,
    "plan": 18,
    "framework": 8,
    "action": 12,
    "indicator": 13,
    "group": 8,
    "event": 9,
    "changes": 7,
    "sitemap": 7,
    "consultations": 9,
    "consultation": 8,
}


@pytest.mark.parametrize("size", [0, 30])
@pytest.mark.parametrize("page", list(BUDGETS))
def test_query_budget(portal, client, django_assert_max_num_queries, page, size):
    if size:
        grow(portal, size)
    url = public_urls(portal)[page]
    client.get(url)  # stored assessments of today are written on the first read
    with django_assert_max_num_queries(BUDGETS[page]):
        response = client.get(url)
    assert response.status_code == 200


def test_coordinator_publishes_and_withdraws_from_the_matrix(plan, coordinator, login, client):
    matrix = reverse("plans:matrix", args=[plan.slug])
    public = reverse("portal:plan", args=[plan.slug])
    coordinator_client = login(coordinator)
    page = coordinator_client.get(matrix).content.decode()
    assert "Publish on the public portal" in page
    assert client.get(public).status_code == 404
    response = coordinator_client.post(
        reverse("plans:publish", args=[plan.slug]), {"published": "1"}
    )
    assert response.status_code == 302
    assert client.get(public).status_code == 200
    page = coordinator_client.get(matrix).content.decode()
    assert "Withdraw from the public portal" in page
    coordinator_client.post(reverse("plans:publish", args=[plan.slug]), {"published": "0"})
    assert client.get(public).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.WORKING_GROUP_MEMBER, 403), (Role.FOCAL_POINT, 403), (Role.PARTNER, 403)],
)
def test_only_editors_may_publish(plan, member_factory, login, role, status):
    user = member_factory(role)
    response = login(user).post(reverse("plans:publish", args=[plan.slug]), {"published": "1"})
    assert response.status_code == status
    plan.refresh_from_db()
    assert not plan.is_published


def test_a_bad_choice_is_refused_with_a_message(plan, coordinator, login):
    response = login(coordinator).post(
        reverse("plans:publish", args=[plan.slug]), {"published": "yes"}, follow=True
    )
    assert "Choose whether to publish the plan or withdraw it." in response.content.decode()
    plan.refresh_from_db()
    assert not plan.is_published


@pytest.mark.parametrize("kind", ["result", "action", "indicator"])
def test_the_published_checkbox_holds_an_item_back(portal, login, client, kind):
    coordinator_client = login(portal.coordinator)
    slug = portal.plan.slug
    obj, edit, public, data = {
        "result": (
            portal.task,
            reverse("plans:result_edit", args=[slug, portal.task.pk]),
            reverse("portal:action", args=[slug, portal.action.pk]),
            {"code": "1.1", "title_en": "Women in the security sector"},
        ),
        "action": (
            portal.action,
            reverse("plans:action_edit", args=[slug, portal.action.pk]),
            reverse("portal:action", args=[slug, portal.action.pk]),
            {
                "code": "1.1.1",
                "title_en": "Train teachers on resolution 1325",
                "lead_agency": portal.ministry.pk,
                "geographic_level": "national",
                "status": "not_started",
            },
        ),
        "indicator": (
            portal.indicator,
            reverse("plans:indicator_edit", args=[slug, portal.indicator.pk]),
            reverse("portal:indicator", args=[slug, portal.indicator.pk]),
            {
                "code": "I1",
                "title_en": "Teachers trained on resolution 1325",
                "measure": "number",
                "time_aggregation": "sum",
                "direction": "increase",
                "baseline_value": "0",
                "target_value": "400",
                "frequency": "annual",
            },
        ),
    }[kind]
    form = coordinator_client.get(edit).content.decode()
    assert 'name="is_published"' in form and "checked" in form
    assert client.get(public).status_code == 200
    response = coordinator_client.post(edit, data)  # the box unticked
    assert response.status_code == 302, response.content.decode()[:2000]
    model = {"result": Result, "action": Action, "indicator": Indicator}[kind]
    assert not model.objects.get(pk=obj.pk).is_published
    assert client.get(public).status_code == 404
    page = coordinator_client.get(reverse("plans:matrix", args=[slug])).content.decode()
    assert "not public" in page
