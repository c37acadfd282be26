"""Who may open which report page (DESIGN.md §2; docs/decisions.md "Agency-report pages").

404 for those who may not see the plan, and for a focal point asking for another
organisation's report; 403 for members who see the plan but neither report nor review.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from nap1325.core.models import Role
from nap1325.monitoring import services
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Pages and URLs in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def pages(reporting):
    """Every report page of the MoES report for 2019 Q1, by name."""
    report = services.agency_report_open(
        actor=reporting.coordinator, period=reporting.q1, organisation=reporting.ministry
    )
    slug = reporting.plan.slug
    return {
        "index": reverse("monitoring:index", args=[slug]),
        "report": reverse("monitoring:report", args=[slug, report.pk]),
        "review": reverse("monitoring:review", args=[slug, report.pk]),
        "period": reverse("monitoring:period", args=[slug, reporting.q1.pk]),
        "period_create": reverse("monitoring:period_create", args=[slug]),
        "period_edit": reverse("monitoring:period_edit", args=[slug, reporting.q1.pk]),
    }


def user_for(reporting, who, lead_ministry):
    if who == "focal point":
        return reporting.focal_point
    if who == "other focal point":
        return reporting.other_focal_point
    if who == "coordinator":
        return reporting.coordinator
    if who == "non-member":
        return UserFactory()
    if who == "admin":
        return UserFactory(is_superuser=True)
    user = UserFactory()
    grant(user, reporting.plan, lead_ministry, who)
    return user


#: page → status per user. The focal point of MoD may see the plan and its own reports,
#: but MoES's report is "not found" to them, not "forbidden".
EXPECTED = {
    #                    index report review period create edit
    "focal point": (200, 200, 403, 403, 403, 403),
    "other focal point": (200, 404, 404, 403, 403, 403),
    "coordinator": (200, 200, 200, 200, 200, 200),
    "admin": (200, 200, 200, 200, 200, 200),
    Role.WORKING_GROUP_MEMBER: (403, 403, 403, 403, 403, 403),
    Role.PARTNER: (403, 403, 403, 403, 403, 403),
    Role.CIVIL_SOCIETY_MONITOR: (403, 403, 403, 403, 403, 403),
    "non-member": (404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_status_of_every_page_per_role(reporting, pages, login, lead_ministry, who):
    client = login(user_for(reporting, who, lead_ministry))
    got = tuple(
        client.get(pages[name]).status_code
        for name in ("index", "report", "review", "period", "period_create", "period_edit")
    )
    assert got == EXPECTED[who]


def test_anonymous_visitors_are_sent_to_sign_in(pages, client):
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_other_focal_point_cannot_write_or_start_another_organisations_report(
    reporting, pages, login
):
    client = login(reporting.other_focal_point)
    assert client.post(pages["report"], {"version": "1", "intent": "save"}).status_code == 404
    start = reverse(
        "monitoring:start", args=[reporting.plan.slug, reporting.q2.pk, reporting.ministry.pk]
    )
    assert client.post(start).status_code == 404
    # ...but may start their own.
    own = reverse(
        "monitoring:start",
        args=[reporting.plan.slug, reporting.q2.pk, reporting.other_ministry.pk],
    )
    assert client.post(own).status_code == 302


def test_focal_point_cannot_approve_their_own_report(reporting, pages, login):
    client = login(reporting.focal_point)
    response = client.post(pages["review"], {"decision": "approve", "version": "1"})
    assert response.status_code == 403


def test_focal_point_cannot_manage_periods(reporting, login):
    client = login(reporting.focal_point)
    url = reverse("monitoring:period_state", args=[reporting.plan.slug, reporting.q1.pk])
    assert client.post(url, {"state": "closed"}).status_code == 403
    reporting.q1.refresh_from_db()
    assert reporting.q1.is_open


def test_report_of_another_plan_is_not_found(reporting, pages, login):
    from tests.factories import make_plan

    other = make_plan(slug="other-plan")
    grant(reporting.coordinator, other, reporting.ministry, Role.COORDINATOR)
    report_pk = pages["report"].rstrip("/").rsplit("/", 1)[1]
    url = reverse("monitoring:report", args=[other.slug, report_pk])
    assert login(reporting.coordinator).get(url).status_code == 404


def test_plan_navigation_links_reports_only_for_those_who_report_or_review(
    reporting, pages, login, lead_ministry
):
    matrix = reverse("plans:matrix", args=[reporting.plan.slug])
    for who, linked in [
        ("focal point", True),
        ("coordinator", True),
        (Role.PARTNER, False),
    ]:
        html = login(user_for(reporting, who, lead_ministry)).get(matrix).content.decode()
        assert (f'href="{pages["index"]}"' in html) is linked, who


@pytest.mark.parametrize("who", ["nothing to report", "another plan's only"])
def test_coordinator_cannot_start_a_report_of_an_organisation_with_nothing_to_report(
    reporting, lead_ministry, login, who
):
    """UN Women (no action, no indicator in the plan) or an organisation of another plan
    only: 404 and no report, so no empty report counts on the period page."""
    from nap1325.monitoring.models import AgencyReport
    from tests.factories import OrganisationFactory, make_action, make_plan, make_result

    if who == "nothing to report":
        organisation = lead_ministry  # the coordinator's own organisation leads nothing here
    else:
        organisation = OrganisationFactory(name="UN Women", acronym="UNW")
        other = make_plan(slug="other-plan")
        make_action(make_result(other, "1"), "1.1", organisation)
    client = login(reporting.coordinator)
    start = reverse(
        "monitoring:start", args=[reporting.plan.slug, reporting.q1.pk, organisation.pk]
    )
    assert client.post(start).status_code == 404
    assert not AgencyReport.objects.filter(organisation=organisation).exists()
    # An organisation that reports in the plan is still started.
    ministry = reverse(
        "monitoring:start", args=[reporting.plan.slug, reporting.q1.pk, reporting.ministry.pk]
    )
    assert client.post(ministry).status_code == 302
    assert AgencyReport.objects.filter(organisation=reporting.ministry).count() == 1
