"""Version pages: list, save, detail, compare, edit, adoption; budgets and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nap1325.core.models import Role
from nap1325.plans import services
from nap1325.plans.models import Plan, PlanVersion
from tests.factories import make_action

pytestmark = pytest.mark.django_db


def test_version_pages_answer_within_their_query_budgets(
    plan, kg_matrix, organisations, coordinator, login, django_assert_max_num_queries
):
    services.plan_version_create(actor=coordinator, plan=plan, label="First draft")
    for n in range(10):
        make_action(kg_matrix["1.2"], f"1.2.{n + 5}", organisations["MIA"])
    services.plan_version_create(actor=coordinator, plan=plan, label="Second draft")
    client = login(coordinator)
    slug = plan.slug
    pages = [
        reverse("versions:list", args=[slug]),
        reverse("versions:create", args=[slug]),
        reverse("versions:detail", args=[slug, 2]),
        reverse("versions:compare", args=[slug]) + "?a=1&b=2",
        reverse("versions:compare", args=[slug]) + "?a=1&b=current",
        reverse("versions:edit", args=[slug, 1]),
        reverse("versions:adopt", args=[slug]),
    ]
    for url in pages:
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == 200, url
    compared = client.get(pages[3]).content.decode()
    assert "1.2.5" in compared and "added" in compared


@pytest.mark.parametrize(
    "name", ["versions:list", "versions:compare", "rounds:list", "rounds:create"]
)
def test_pages_of_a_plan_without_versions(plan, framework, coordinator, login, name):
    response = login(coordinator).get(reverse(name, args=[plan.slug]))
    assert response.status_code == 200
    assert (
        "No version saved yet" in response.content.decode()
        or "Save a version" in response.content.decode()
        or "No comment round yet" in response.content.decode()
    )


def test_compare_shows_old_and_new_values(plan, framework, coordinator, login):
    services.plan_version_create(actor=None, plan=plan, label="First draft")
    services.action_update(actor=None, action=framework["action"], title="Mentoring and coaching")
    response = login(coordinator).get(reverse("versions:compare", args=[plan.slug]) + "?a=1")
    html = response.content.decode()
    assert "<del>Mentoring for women officers</del> → <ins>Mentoring and coaching</ins>" in html


@pytest.mark.parametrize("query", ["?a=9", "?a=1&b=x", "?a=abc", "?a=99999999999999999999&b=1"])
def test_compare_with_unknown_versions_is_404(plan, framework, coordinator, login, query):
    services.plan_version_create(actor=None, plan=plan, label="First draft")
    assert (
        login(coordinator).get(reverse("versions:compare", args=[plan.slug]) + query).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.CIVIL_SOCIETY_MONITOR, 200), (Role.PARTNER, 200), ("non_member", 404)],
)
def test_who_sees_versions(plan, framework, user_in_role, login, role, status):
    services.plan_version_create(actor=None, plan=plan, label="First draft")
    client = login(user_in_role(role))
    assert client.get(reverse("versions:detail", args=[plan.slug, 1])).status_code == status
    save = client.get(reverse("versions:create", args=[plan.slug])).status_code
    assert save == (403 if status == 200 else 404)


def test_save_form_creates_one_version_on_double_submit(plan, framework, coordinator, login):
    url = reverse("versions:create", args=[plan.slug])
    data = {
        "label": "Draft for consultation",
        "changelog": "Indicators added",
        "submission": "a" * 24,
    }
    client = login(coordinator)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert PlanVersion.objects.count() == 1
    assert client.post(url, {"label": "", "submission": "b" * 24}).status_code == 400


def test_adoption_form_and_the_adopted_version_refuses_edits(plan, framework, coordinator, login):
    client = login(coordinator)
    url = reverse("versions:adopt", args=[plan.slug])
    bad = client.post(url, {"version": "current", "label": "Adopted", "legal_act_number": "485"})
    assert bad.status_code == 400
    assert 'id="id_legal_act_date_error"' in bad.content.decode()
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    bad = client.post(
        url,
        {
            "version": "current",
            "label": "Adopted",
            "legal_act_number": "485",
            "legal_act_date": future,
            "legal_act_issuer": "Government",
        },
    )
    assert "The date is in the future." in bad.content.decode()
    ok = client.post(
        url,
        {
            "version": "current",
            "label": "Adopted",
            "legal_act_number": "485",
            "legal_act_date": "2018-03-01",
            "legal_act_issuer": "Government of the Kyrgyz Republic",
        },
    )
    assert ok.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IMPLEMENTING
    edit = client.post(reverse("versions:edit", args=[plan.slug, 1]), {"label": "Renamed"})
    assert edit.status_code == 400
    assert "The adopted version cannot be changed." in edit.content.decode()
    assert PlanVersion.objects.get().label == "Adopted"
    for url in (reverse("versions:edit", args=[plan.slug, 1]), url):
        page = client.get(url)
        assert page.status_code == 200
        assert (
            "cannot be changed" in page.content.decode()
            or "already adopted" in page.content.decode()
        )
    again = client.post(
        url,
        {
            "version": "current",
            "label": "Again",
            "legal_act_number": "1",
            "legal_act_date": "2018-03-01",
            "legal_act_issuer": "Government",
        },
    )
    assert again.status_code == 400 and PlanVersion.objects.count() == 1
    # an edit after adoption without a reason is refused on the reason field
    action = framework["action"]
    response = client.post(
        reverse("plans:action_edit", args=[plan.slug, action.pk]),
        {
            "code": action.code,
            "title": "Changed",
            "lead_agency": action.lead_agency_id,
            "geographic_level": "national",
            "status": "not_started",
        },
    )
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()


def test_admin_is_read_only_for_adopted_versions_and_frozen_plans(
    plan, framework, admin_user, login
):
    version = services.plan_adopt(
        actor=None,
        plan=plan,
        legal_act_number="485",
        legal_act_date=dt.date(2018, 3, 1),
        legal_act_issuer="Government",
        label="Adopted",
    )
    client = login(admin_user)
    change = client.post(
        reverse("admin:plans_planversion_change", args=[version.pk]), {"label": "Renamed"}
    )
    assert change.status_code in (302, 403)
    assert (
        client.post(
            reverse("admin:plans_planversion_delete", args=[version.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert PlanVersion.objects.get().label == "Adopted"
    action = framework["action"]
    response = client.post(
        reverse("admin:plans_action_change", args=[action.pk]),
        {"code": "9", "title": "Changed in the admin"},
    )
    assert response.status_code in (302, 403)
    action.refresh_from_db()
    assert action.title == "Mentoring for women officers"
    assert (
        client.post(
            reverse("admin:plans_action_delete", args=[action.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
