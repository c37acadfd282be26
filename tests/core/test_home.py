"""Home page: the plans a user holds a role on, with counts, in a pinned number of queries."""

from __future__ import annotations

import pytest

from nap1325.core.models import Role
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    grant,
    make_action,
    make_plan,
    make_result,
)


@pytest.mark.parametrize("plan_count", [1, 8])
def test_home_lists_only_the_users_plans_with_counts_in_bounded_queries(
    db, client, django_assert_max_num_queries, plan_count
):
    ministry = OrganisationFactory(name="Ministry of Internal Affairs", acronym="MIA")
    user = UserFactory()
    for number in range(plan_count):
        plan = make_plan(slug=f"plan-{number}", title=f"National Action Plan {number}")
        objective = make_result(plan, "1")
        make_action(objective, "1.1", ministry)
        make_action(objective, "1.2", ministry)
        grant(user, plan, ministry, Role.FOCAL_POINT)
    hidden = make_plan(slug="other", title="A plan of another country", country="GE")
    client.force_login(user)
    # session, user, plans with counts; the to-do list: memberships, open periods, reports
    with django_assert_max_num_queries(7):
        response = client.get("/en/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("2 actions") == plan_count
    assert hidden.title not in text


def test_anonymous_home_invites_to_sign_in(client, db):
    response = client.get("/en/")
    assert response.status_code == 200
    assert 'href="/en/accounts/login/"' in response.content.decode()
