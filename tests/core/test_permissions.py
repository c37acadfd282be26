"""Who may see and change a plan (DESIGN.md §2): pages, edit URLs, services, object rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from nap1325.core.models import AuditEvent, Membership, Role
from nap1325.core.permissions import (
    ACTION_UPDATE_STATUS,
    PLAN_EDIT,
    PLAN_VIEW,
    can_update_action_status,
    plan_access,
)
from nap1325.plans import services
from nap1325.plans.models import Action, BudgetLine, Indicator, Result
from tests.conftest import ALL_ROLES
from tests.factories import UserFactory, budget, grant, make_indicator

EDITORS = {"coordinator", "admin"}
OTHER_MEMBERS = {
    Role.FOCAL_POINT,
    Role.WORKING_GROUP_MEMBER,
    Role.CIVIL_SOCIETY_MONITOR,
    Role.PARTNER,
}


def expected_page_status(role: str) -> int:
    """What a page every member may see answers: members 200, outsiders 404, anonymous 302."""
    return {"non_member": 404, "anonymous": 302}.get(role, 200)


def expected_edit_status(role: str, method: str) -> int:
    if role in EDITORS:
        return 200 if method == "get" else 302
    return {"non_member": 404, "anonymous": 302}.get(role, 403)


# --------------------------------------------------------------------------- matrix page


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_can_view_the_matrix(framework, plan, user_in_role, login, role):
    response = login(user_in_role(role)).get(reverse("plans:matrix", args=[plan.slug]))
    assert response.status_code == expected_page_status(role)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if response.status_code == 200:
        assert "1.1.1" in response.content.decode()
        assert "Mentoring for women officers" in response.content.decode()


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r not in {"non_member", "anonymous"}])
def test_only_editors_see_edit_controls(framework, plan, user_in_role, login, role):
    content = login(user_in_role(role)).get(reverse("plans:matrix", args=[plan.slug])).content
    page = content.decode()
    edit_url = reverse("plans:action_edit", args=[plan.slug, framework["action"].pk])
    if role in EDITORS:
        assert "+ Add: Objective" in page
        assert "Edit ▾" in page
        assert edit_url in page
        assert "read only" not in page
    else:
        assert "Add: Objective" not in page
        assert "Edit ▾" not in page
        assert edit_url not in page
        assert "read only" in page


def test_membership_of_another_plan_gives_nothing(framework, plan, login, lead_ministry):
    from tests.factories import make_plan

    other = make_plan(slug="kg-nap-2012", title="First NAP", generation=1)
    user = UserFactory()
    grant(user, other, lead_ministry, Role.COORDINATOR)
    assert login(user).get(reverse("plans:matrix", args=[plan.slug])).status_code == 404


def test_inactive_membership_gives_nothing(framework, plan, login, coordinator):
    Membership.objects.filter(user=coordinator).update(is_active=False)
    assert login(coordinator).get(reverse("plans:matrix", args=[plan.slug])).status_code == 404


def test_unknown_plan_is_404(login, coordinator):
    assert login(coordinator).get(reverse("plans:matrix", args=["no-such-plan"])).status_code == 404


# --------------------------------------------------------------------------- edit URLs


@pytest.fixture
def targets(framework, lead_ministry):
    """The objects every edit URL points at."""
    indicator = make_indicator(
        framework["action"],
        "1.1.1a",
        title="Women officers who completed mentoring",
        unit="officers",
        baseline_value=Decimal("0"),
        target_value=Decimal("200"),
    )
    line = budget(framework["action"], "350000", "state_budget", year=2019, secured=True)
    return {**framework, "indicator": indicator, "line": line, "lead": lead_ministry}


INDICATOR_POST = {
    "title_en": "Women officers who completed mentoring",
    "unit_en": "officers",
    "measure": "number",
    "time_aggregation": "sum",
    "direction": "increase",
    "baseline_value": "0",
    "target_value": "250",
    "frequency": "half_yearly",
}
ACTION_POST = {
    "title_en": "Mentoring programme for women officers of the police",
    "start": "2018-09-01",
    "end": "2020-12-31",
    "geographic_level": "national",
    "status": "in_progress",
}

EDIT_URLS = [
    # (name, url args, query, valid POST data)
    (
        "result_create",
        lambda t, slug: [slug],
        "",
        lambda t: {"code": "2", "title_en": "Protection of women and girls"},
    ),
    (
        "result_edit",
        lambda t, slug: [slug, t["objective"].pk],
        "",
        lambda t: {"code": "1", "title_en": "Women's participation in decision-making"},
    ),
    (
        "action_create",
        lambda t, slug: [slug, t["task"].pk],
        "",
        lambda t: {**ACTION_POST, "code": "1.1.2", "lead_agency": t["lead"].pk},
    ),
    (
        "action_edit",
        lambda t, slug: [slug, t["action"].pk],
        "",
        lambda t: {**ACTION_POST, "code": "1.1.1", "lead_agency": t["lead"].pk},
    ),
    (
        "indicator_create",
        lambda t, slug: [slug],
        "?action={action}",
        lambda t: {**INDICATOR_POST, "code": "1.1.1b", "action": t["action"].pk},
    ),
    (
        "indicator_edit",
        lambda t, slug: [slug, t["indicator"].pk],
        "",
        lambda t: {**INDICATOR_POST, "code": "1.1.1a"},
    ),
    (
        "budget_line_create",
        lambda t, slug: [slug, t["action"].pk],
        "",
        lambda t: {
            "amount": "120000",
            "currency": "KGS",
            "funding_source": "state_budget",
            "year": "2020",
        },
    ),
    (
        "budget_line_edit",
        lambda t, slug: [slug, t["line"].pk],
        "",
        lambda t: {
            "amount": "400000",
            "currency": "KGS",
            "funding_source": "state_budget",
            "year": "2019",
            "secured": "on",
        },
    ),
    (
        "archive",
        lambda t, slug: [slug, "action", t["action"].pk],
        "",
        lambda t: {"reason": ""},
    ),
    (
        "move",
        lambda t, slug: [slug, "result", t["objective"].pk],
        "?step=1",
        lambda t: {"step": "1"},
    ),
]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    ("name", "args", "query", "data"), EDIT_URLS, ids=[u[0] for u in EDIT_URLS]
)
def test_who_can_use_edit_urls(
    targets, plan, user_in_role, login, role, method, name, args, query, data
):
    url = reverse(f"plans:{name}", args=args(targets, plan.slug))
    url += query.format(action=targets["action"].pk)
    counts = (Result.objects.count(), Action.objects.count(), AuditEvent.objects.count())
    client = login(user_in_role(role))
    response = client.get(url) if method == "get" else client.post(url, data(targets))
    assert response.status_code == expected_edit_status(role, method), (
        response.content.decode()[:3000] if response.status_code == 400 else response
    )
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if method == "post" and role in EDITORS:
        assert response["Location"].startswith(reverse("plans:matrix", args=[plan.slug]))
        assert AuditEvent.objects.count() >= counts[2]
    if role not in EDITORS:  # refused: nothing written
        assert (
            Result.objects.count(),
            Action.objects.count(),
            AuditEvent.objects.count(),
        ) == counts
        assert not Action.objects.filter(is_archived=True).exists()


def test_history_page_follows_the_same_rules_as_plan_pages_for_outsiders(plan, login):
    response = login(UserFactory()).get(reverse("plans:history", args=[plan.slug]))
    assert response.status_code == 404


# --------------------------------------------------------------------------- services

SERVICE_CALLS = [
    (
        "result_create",
        lambda t, a: services.result_create(
            actor=a, plan=t["objective"].plan, code="2", title="Protection"
        ),
    ),
    (
        "result_update",
        lambda t, a: services.result_update(actor=a, result=t["objective"], title="Changed"),
    ),
    ("result_archive", lambda t, a: services.result_archive(actor=a, result=t["objective"])),
    ("result_move", lambda t, a: services.result_move(actor=a, result=t["objective"], step=1)),
    (
        "action_create",
        lambda t, a: services.action_create(
            actor=a, result=t["task"], code="1.1.2", title="Study visit", lead_agency=t["lead"]
        ),
    ),
    (
        "action_update",
        lambda t, a: services.action_update(actor=a, action=t["action"], status="completed"),
    ),
    ("action_archive", lambda t, a: services.action_archive(actor=a, action=t["action"])),
    ("action_move", lambda t, a: services.action_move(actor=a, action=t["action"], step=1)),
    (
        "indicator_create",
        lambda t, a: services.indicator_create(
            actor=a,
            plan=t["objective"].plan,
            result=t["objective"],
            code="1a",
            title="Share of women",
        ),
    ),
    (
        "indicator_update",
        lambda t, a: services.indicator_update(
            actor=a, indicator=t["indicator"], target_value=Decimal("300")
        ),
    ),
    (
        "indicator_archive",
        lambda t, a: services.indicator_archive(actor=a, indicator=t["indicator"]),
    ),
    (
        "budget_line_create",
        lambda t, a: services.budget_line_create(
            actor=a, action=t["action"], amount=Decimal("1"), funding_source="own_funds"
        ),
    ),
    (
        "budget_line_update",
        lambda t, a: services.budget_line_update(actor=a, line=t["line"], amount=Decimal("2")),
    ),
    ("budget_line_archive", lambda t, a: services.budget_line_archive(actor=a, line=t["line"])),
    (
        "plan_update",
        lambda t, a: services.plan_update(actor=a, plan=t["objective"].plan, title="Renamed"),
    ),
    (
        "dimension_create",
        lambda t, a: services.dimension_create(
            actor=a, plan=t["objective"].plan, key="rank", name="Rank"
        ),
    ),
]


@pytest.mark.parametrize("role", [*sorted(OTHER_MEMBERS), "non_member"])
@pytest.mark.parametrize(("name", "call"), SERVICE_CALLS, ids=[c[0] for c in SERVICE_CALLS])
def test_services_refuse_non_coordinators(targets, user_in_role, role, name, call):
    actor = user_in_role(role)
    counts = (
        Result.objects.filter(is_archived=False).count(),
        Action.objects.filter(is_archived=False).count(),
        Indicator.objects.filter(is_archived=False).count(),
        BudgetLine.objects.filter(is_archived=False).count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(PermissionDenied):
        call(targets, actor)
    assert (
        Result.objects.filter(is_archived=False).count(),
        Action.objects.filter(is_archived=False).count(),
        Indicator.objects.filter(is_archived=False).count(),
        BudgetLine.objects.filter(is_archived=False).count(),
        AuditEvent.objects.count(),
    ) == counts


@pytest.mark.parametrize("role", ["coordinator", "admin"])
@pytest.mark.parametrize(("name", "call"), SERVICE_CALLS, ids=[c[0] for c in SERVICE_CALLS])
def test_services_accept_coordinators_and_admins(targets, user_in_role, role, name, call):
    actor = user_in_role(role)
    call(targets, actor)
    if not name.endswith("_move"):  # a move past the end is a no-op
        assert AuditEvent.objects.order_by("-id").first().actor == actor


@pytest.mark.parametrize("role", ["coordinator", "focal_point", "non_member"])
def test_only_platform_admins_create_plans(user_in_role, role):
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=user_in_role(role),
            slug="kg-nap-2021",
            country="KG",
            title="Third NAP",
            period_start=dt.date(2021, 1, 1),
            period_end=dt.date(2023, 12, 31),
            tier_labels=["Objective", "Task", "Measure"],
            languages=["ky", "ru"],
        )


# --------------------------------------------------------------------------- object rule


@pytest.mark.parametrize(
    ("memberships", "expected"),
    [
        ([(Role.FOCAL_POINT, "MIA")], True),  # leads 1.1.1
        ([(Role.FOCAL_POINT, "UN Women")], True),  # partners on 1.1.1
        ([(Role.FOCAL_POINT, "MoE")], False),  # neither
        ([(Role.FOCAL_POINT, "OSCE")], False),  # partners on 1.1.2, not on 1.1.1
        ([(Role.WORKING_GROUP_MEMBER, "MIA")], False),
        ([(Role.CIVIL_SOCIETY_MONITOR, "MIA")], False),
        ([(Role.PARTNER, "UN Women")], False),
        ([(Role.COORDINATOR, "MoE")], True),  # coordinators act on every action
        ([(Role.FOCAL_POINT, "MoE"), (Role.WORKING_GROUP_MEMBER, "MIA")], False),
        ([(Role.FOCAL_POINT, "MoE"), (Role.FOCAL_POINT, "UN Women")], True),
        ([], False),
    ],
)
def test_focal_points_update_status_of_their_organisations_actions(
    kg_matrix, plan, organisations, memberships, expected
):
    user = UserFactory()
    for role, acronym in memberships:
        grant(user, plan, organisations[acronym], role)
    access = plan_access(user, plan)
    action = kg_matrix["1.1.1"]
    assert access.can(ACTION_UPDATE_STATUS, action) is expected
    assert can_update_action_status(access, action) is expected
    if not expected and memberships:
        assert access.can(PLAN_VIEW)  # they still see the plan


def test_platform_admin_may_update_any_action(kg_matrix, plan, admin_user):
    assert plan_access(admin_user, plan).can(ACTION_UPDATE_STATUS, kg_matrix["2.1.1"])


def test_inactive_focal_point_may_not_update(kg_matrix, plan, organisations):
    user = UserFactory()
    Membership.objects.create(
        user=user,
        plan=plan,
        organisation=organisations["MIA"],
        role=Role.FOCAL_POINT,
        is_active=False,
    )
    assert not plan_access(user, plan).can(ACTION_UPDATE_STATUS, kg_matrix["1.1.1"])


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("coordinator", None),
        ("admin", None),
        (Role.FOCAL_POINT, PermissionDenied),
        (Role.PARTNER, PermissionDenied),
        ("non_member", Http404),
        ("anonymous", Http404),
    ],
)
def test_require_answers_404_to_outsiders_and_403_to_readers(plan, user_in_role, role, outcome):
    access = plan_access(user_in_role(role), plan)
    if outcome is None:
        access.require(PLAN_EDIT)
    else:
        with pytest.raises(outcome):
            access.require(PLAN_EDIT)
