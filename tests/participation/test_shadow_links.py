"""A monitor reaches the shadow-assessment form of any indicator from the matrix, including
indicators on results (which have no action page to start from)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nap1325.plans.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("who", "shown"), [("monitor", True), ("coordinator", False)])
def test_the_matrix_offers_civil_society_an_assessment_of_each_indicator(
    request, login, plan, kg_matrix, periods, who, shown
):
    user = request.getfixturevalue(who)
    on_result = Indicator.objects.filter(plan=plan, result__isnull=False).first()
    assert on_result is not None
    form_url = reverse("participation:shadow_edit", args=[plan.slug]) + (
        f"?indicator={on_result.pk}"
    )
    client = login(user)
    matrix = client.get(reverse("plans:matrix", args=[plan.slug])).content.decode()
    assert (form_url.replace("&", "&amp;") in matrix) is shown
    if shown:
        form = client.get(form_url)
        assert form.status_code == 200
        assert on_result.code in form.content.decode()
