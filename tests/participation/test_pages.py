"""Participation pages through the web: who sees what (404 for outsiders), coverage counts
that match the lists they open, the action page's "Where this came from", shadow
assessments flagged where they disagree with the approved status, query budgets at small
and larger data, bad input answered on the field (never a 500)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from nap1325.core.models import Role
from nap1325.participation import selectors, services
from nap1325.participation.models import Input, InputLink
from tests.conftest import ALL_ROLES
from tests.participation.conftest import approve

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def inputs(consultation, kg_matrix):
    """Four inputs: incorporated (participation, WPN), partly (two links), declined, undecided."""
    make = lambda **v: services.input_create(actor=None, consultation=consultation, **v)  # noqa: E731
    from nap1325.library.models import Pillar

    participation = Pillar.objects.get(key="participation")
    prevention = Pillar.objects.get(key="prevention")
    a = make(
        kind="recommendation",
        text="Train women deputies of local councils.",
        pillar=participation,
        group="local_government",
        region="Osh",
    )
    services.input_link_save(
        actor=None,
        inp=a,
        action=kg_matrix["1.2.1"],
        disposition="incorporated",
        reason="Training of women leaders of local self-government.",
    )
    b = make(
        kind="concern",
        text="Schools do not talk about violence against girls.",
        pillar=prevention,
        group="youth",
        region="Osh",
    )
    services.input_link_save(
        actor=None, inp=b, action=kg_matrix["2.1.1"], disposition="partly", reason="Schools only."
    )
    services.input_link_save(
        actor=None,
        inp=b,
        action=kg_matrix["1.2.1"],
        disposition="not_incorporated",
        reason="Not a training matter.",
    )
    c = make(kind="recommendation", text="A 30 % quota in councils.", pillar=participation)
    services.input_decline(actor=None, inp=c, reason="Needs a change of the electoral law.")
    d = make(kind="concern", text="Shelters lack space for women.", group="womens_organisations")
    return [a, b, c, d]


PAGES = [
    ("participation:consultations", lambda f: []),
    ("participation:consultation", lambda f: [f["consultation"].pk]),
    ("participation:inputs", lambda f: []),
    ("participation:coverage", lambda f: []),
    ("participation:input", lambda f: [f["inputs"][0].pk]),
    ("participation:shadow", lambda f: []),
    ("plans:action", lambda f: [f["kg_matrix"]["1.2.1"].pk]),
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_members_read_outsiders_get_404(
    plan, consultation, inputs, kg_matrix, user_in_role, login, role, name, args
):
    client = login(user_in_role(role))
    url = reverse(
        name,
        args=[
            plan.slug,
            *args({"consultation": consultation, "inputs": inputs, "kg_matrix": kg_matrix}),
        ],
    )
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
    elif role == "non_member":
        assert response.status_code == 404
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COORDINATOR, 200),
        (Role.CIVIL_SOCIETY_MONITOR, 403),
        (Role.PARTNER, 403),
        ("non_member", 404),
    ],
)
def test_only_the_secretariat_opens_the_consultation_form(
    plan, kg_matrix, user_in_role, login, role, status
):
    response = login(user_in_role(role)).get(
        reverse("participation:consultation_create", args=[plan.slug])
    )
    assert response.status_code == status


def test_unknown_and_other_plans_items_are_404(
    plan, consultation, inputs, coordinator, login, lead_ministry
):
    from tests.factories import make_plan

    other = make_plan(slug="other-plan")
    foreign = services.consultation_create(
        actor=None, plan=other, title="Elsewhere", level="online", date=dt.date(2017, 1, 1)
    )
    client = login(coordinator)
    for url in [
        reverse("participation:consultation", args=[plan.slug, foreign.pk]),
        reverse("participation:consultation", args=[plan.slug, 999999]),
        reverse("participation:input", args=[plan.slug, 999999]),
        reverse("plans:action", args=[plan.slug, 999999]),
    ]:
        assert client.get(url).status_code == 404


def test_coverage_counts_match_the_lists_they_open(plan, inputs, coordinator, login):
    client = login(coordinator)
    data = selectors.coverage(plan)
    assert data.total == 4
    assert [(r.key, r.count) for r in data.by_disposition] == [
        ("incorporated", 1),
        ("partly", 1),
        ("not_incorporated", 1),
        ("none", 1),
    ]
    assert [(r.key, r.count) for r in data.by_pillar] == [
        ("prevention", 1),
        ("participation", 2),
        ("none", 1),
    ]
    assert [(r.key, r.count) for r in data.by_region] == [("Osh", 2), ("none", 2)]
    page = text(client.get(reverse("participation:coverage", args=[plan.slug])))
    assert "4 inputs · 3 with a disposition · 1 without a disposition" in page
    list_url = reverse("participation:inputs", args=[plan.slug])
    for rows in (data.by_disposition, data.by_pillar, data.by_group, data.by_region):
        assert sum(r.count for r in rows) == data.total
        for row in rows:
            response = client.get(f"{list_url}?{row.query}")
            shown = response.content.decode().count('class="input-item"')
            assert shown == row.count, (row.key, row.label)
    undecided = client.get(f"{list_url}?undecided=1").content.decode()
    assert undecided.count('class="input-item"') == 1
    assert "Shelters lack space for women." in undecided


def test_input_list_ignores_junk_filters(plan, inputs, coordinator, login):
    response = login(coordinator).get(
        reverse("participation:inputs", args=[plan.slug]) + "?disposition=%3Cscript%3E&group=x"
    )
    assert response.status_code == 200
    assert response.content.decode().count('class="input-item"') == 4


def test_action_page_shows_where_it_came_from(
    plan, inputs, consultation, kg_matrix, coordinator, login
):
    action = kg_matrix["1.2.1"]
    page = text(login(coordinator).get(reverse("plans:action", args=[plan.slug, action.pk])))
    assert "Where this came from" in page
    assert "2 inputs from consultations are linked to this action." in page
    assert "Train women deputies of local councils. Community consultation in Osh" in page
    assert "Incorporated Training of women leaders of local self-government." in page
    assert "Not incorporated Not a training matter." in page
    assert "Local government" in page
    assert "Pillar Participation" in page
    assert "LSG Agency" in page or "State Agency for Local Self-Government" in page


def test_matrix_links_to_the_action_page(plan, kg_matrix, coordinator, login):
    response = login(coordinator).get(reverse("plans:matrix", args=[plan.slug]))
    assert (
        reverse("plans:action", args=[plan.slug, kg_matrix["1.1.1"].pk])
        in response.content.decode()
    )


def test_coordinator_links_and_declines_through_the_page(
    plan, inputs, kg_matrix, coordinator, login
):
    client = login(coordinator)
    undecided = inputs[3]
    url = reverse("participation:input", args=[plan.slug, undecided.pk])
    response = client.post(
        url,
        {
            "do": "link",
            "action": kg_matrix["1.1.2"].pk,
            "disposition": "incorporated",
            "reason": "",
        },
    )
    assert response.status_code == 400
    assert "This field is required." in text(response)
    assert not InputLink.objects.filter(input=undecided).exists()
    response = client.post(url, {"do": "decline", "reason": "   "})
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "do": "link",
            "action": kg_matrix["1.1.2"].pk,
            "disposition": "partly",
            "reason": "Shelters are out of scope; mentoring covers safety.",
        },
    )
    assert response.status_code == 302
    undecided.refresh_from_db()
    assert undecided.disposition == "partly"


def test_monitor_records_an_input_but_cannot_decide(
    plan, consultation, inputs, kg_matrix, monitor, login
):
    client = login(monitor)
    response = client.post(
        reverse("participation:input_add", args=[plan.slug, consultation.pk]),
        {
            "kind": "concern",
            "text": "No buses to the crisis centre.",
            "themes_text": "access to services",
        },
    )
    assert response.status_code == 302
    created = Input.objects.get(text="No buses to the crisis centre.")
    assert created.raised_by == monitor
    assert created.themes == ["access to services"]
    response = client.post(
        reverse("participation:input", args=[plan.slug, created.pk]),
        {"do": "decline", "reason": "No."},
    )
    assert response.status_code == 403


def test_bad_counts_on_the_form_name_the_field(plan, kg_matrix, coordinator, login):
    response = login(coordinator).post(
        reverse("participation:consultation_create", args=[plan.slug]),
        {
            "title": "Osh",
            "level": "community",
            "date": "2017-08-22",
            "method": "meeting",
            "women": "-4",
            "men": "abc",
            "unspecified": "0",
            "group_youth": "-1",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_women_error"' in body
    assert 'id="id_men_error"' in body
    assert 'id="id_group_youth_error"' in body


def test_consultation_form_saves_group_counts(plan, kg_matrix, coordinator, login):
    response = login(coordinator).post(
        reverse("participation:consultation_create", args=[plan.slug]),
        {
            "title": "Jalal-Abad",
            "level": "community",
            "date": "2012-08-29",
            "method": "focus_group",
            "women": "22",
            "men": "5",
            "unspecified": "0",
            "group_crisis_centres": "4",
        },
    )
    assert response.status_code == 302
    page = text(login(coordinator).get(response["Location"]))
    assert "27 participants — women: 22, men: 5" in page
    assert "Crisis centres 4" in page
    assert "Held before the plan period" in page


def test_document_is_served_after_the_permission_check(
    plan, consultation, coordinator, user_in_role, login
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = services.consultation_document_add(
        actor=None,
        consultation=consultation,
        upload=SimpleUploadedFile("list.csv", b"name,sex\nA,woman\n"),
    )
    url = reverse("participation:document", args=[plan.slug, consultation.pk, document.pk])
    response = login(coordinator).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"name,sex\nA,woman\n"
    assert login(user_in_role("non_member")).get(url).status_code == 404


# --------------------------------------------------------------------------- shadow assessments


@pytest.mark.parametrize(
    ("government", "rating", "flag"),
    [
        ("completed", "implemented", ""),
        ("completed", "partly", "government_higher"),
        ("completed", "not_implemented", "government_higher"),
        ("in_progress", "partly", ""),
        ("delayed", "partly", ""),
        ("in_progress", "not_implemented", "government_higher"),
        ("not_started", "partly", "cso_higher"),
        ("completed", "no_information", ""),
        (None, "not_implemented", ""),
    ],
)
def test_disagreement_with_the_approved_status(
    plan, kg_matrix, periods, monitor, organisations, government, rating, flag
):
    action = kg_matrix["1.1.2"]
    if government:
        approve(plan, periods[0], action, government)
    services.shadow_assessment_save(
        actor=monitor,
        plan=plan,
        period=periods[0],
        organisation=organisations["WPN"],
        action=action,
        rating=rating,
        narrative="Seen in Osh.",
    )
    [row] = selectors.shadow_for_action(action)
    assert row.flag == flag
    assert row.government_status == government


def test_compared_with_the_status_approved_as_of_the_assessed_period(
    plan, kg_matrix, periods, monitor, organisations
):
    action = kg_matrix["1.1.2"]
    approve(plan, periods[0], action, "in_progress")
    approve(plan, periods[1], action, "completed")
    services.shadow_assessment_save(
        actor=monitor,
        plan=plan,
        period=periods[0],
        organisation=organisations["WPN"],
        action=action,
        rating="partly",
        narrative="Half way.",
    )
    [row] = selectors.shadow_for_action(action)
    assert (row.government_status, row.flag) == ("in_progress", "")
    assert "2019 H1" in row.government_source


def test_pages_flag_the_disagreement(
    plan, kg_matrix, periods, monitor, organisations, coordinator, login
):
    action = kg_matrix["1.1.1"]
    approve(plan, periods[1], action, "completed")
    services.shadow_assessment_save(
        actor=monitor,
        plan=plan,
        period=periods[1],
        organisation=organisations["WPN"],
        action=action,
        rating="not_implemented",
        narrative="The rules were not amended.",
    )
    expected = "Disagree: the government reports more progress than civil society sees."
    action_page = text(login(monitor).get(reverse("plans:action", args=[plan.slug, action.pk])))
    assert "Not implemented Completed approved report, 2019 H2 ⚑ " + expected in action_page
    assert "Write a shadow assessment" in action_page
    assert "version 1 · WPN monitor · Change" in action_page
    shadow = text(login(coordinator).get(reverse("participation:shadow", args=[plan.slug])))
    assert "1 assessment · 1 disagrees with the government" in shadow
    dashboard = text(login(coordinator).get(reverse("dashboards:plan", args=[plan.slug])))
    assert "Civil society's view" in dashboard
    assert "2019 H2: 1 shadow assessment — Not implemented: 1" in dashboard
    assert "⚑ Disagree 1.1.1" in dashboard


def test_indicator_page_shows_civil_societys_view(
    plan, kg_matrix, periods, monitor, organisations, coordinator, login
):
    indicator = kg_matrix["1.2.1a"]
    services.shadow_assessment_save(
        actor=monitor,
        plan=plan,
        period=periods[0],
        organisation=organisations["WPN"],
        indicator=indicator,
        rating="no_information",
        narrative="No lists published.",
    )
    page = text(
        login(coordinator).get(reverse("dashboards:indicator", args=[plan.slug, indicator.pk]))
    )
    assert "Civil society's view" in page
    assert "No information" in page and "No lists published." in page


def test_monitor_writes_an_assessment_through_the_form(plan, kg_matrix, periods, monitor, login):
    action = kg_matrix["1.1.2"]
    url = reverse("participation:shadow_edit", args=[plan.slug]) + f"?action={action.pk}"
    client = login(monitor)
    assert client.get(url).status_code == 200
    response = client.post(url, {"period": periods[0].pk, "rating": "partly", "narrative": ""})
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "period": periods[0].pk,
            "rating": "partly",
            "narrative": "Mentors in Osh only.",
            "evidence_url": "https://example.org/report",
        },
    )
    assert response.status_code == 302
    [row] = selectors.shadow_for_action(action)
    assert row.assessment.evidence_url == "https://example.org/report"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTNER, "non_member"])
def test_others_cannot_open_the_assessment_form(plan, kg_matrix, user_in_role, login, role):
    url = (
        reverse("participation:shadow_edit", args=[plan.slug]) + f"?action={kg_matrix['1.1.1'].pk}"
    )
    assert login(user_in_role(role)).get(url).status_code == (404 if role == "non_member" else 403)


# --------------------------------------------------------------------------- query budgets


def _grow(plan, kg_matrix, periods, monitor, organisations, n):
    for i in range(n):
        consultation = services.consultation_create(
            actor=None,
            plan=plan,
            title=f"Consultation {i}",
            level="community",
            date=dt.date(2017, 1, 1) + dt.timedelta(days=i),
            region=f"Region {i % 3}",
            group_counts={"youth": i + 1},
        )
        for j in range(3):
            inp = services.input_create(
                actor=None,
                consultation=consultation,
                kind="concern",
                text=f"Input {i}.{j}",
                group="youth",
                region=f"Region {j}",
            )
            if j:
                services.input_link_save(
                    actor=None,
                    inp=inp,
                    action=kg_matrix[["1.1.1", "1.2.1"][j - 1]],
                    disposition="partly",
                    reason="r",
                )
    for code in ["1.1.1", "1.1.2", "1.2.1", "2.1.1"][: max(1, n // 5)]:
        for period in periods:
            approve(plan, period, kg_matrix[code], "completed")
            services.shadow_assessment_save(
                actor=monitor,
                plan=plan,
                period=period,
                organisation=organisations["WPN"],
                action=kg_matrix[code],
                rating="partly",
                narrative="n",
            )


@pytest.mark.parametrize("size", [2, 20])
def test_query_budgets_do_not_grow_with_the_data(
    plan,
    kg_matrix,
    periods,
    monitor,
    organisations,
    coordinator,
    login,
    django_assert_max_num_queries,
    size,
):
    _grow(plan, kg_matrix, periods, monitor, organisations, size)
    first = plan.consultations.order_by("id").first()
    an_input = Input.objects.filter(consultation__plan=plan).order_by("id").last()
    client = login(coordinator)
    budgets = [
        (reverse("participation:consultations", args=[plan.slug]), 12),
        (reverse("participation:consultation", args=[plan.slug, first.pk]), 14),
        (reverse("participation:inputs", args=[plan.slug]), 12),
        (reverse("participation:inputs", args=[plan.slug]) + "?group=youth&region=Region%201", 12),
        (reverse("participation:coverage", args=[plan.slug]), 13),
        (reverse("participation:input", args=[plan.slug, an_input.pk]), 14),
        (reverse("participation:shadow", args=[plan.slug]), 13),
        (reverse("plans:action", args=[plan.slug, kg_matrix["1.2.1"].pk]), 20),
    ]
    for url, budget in budgets:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
