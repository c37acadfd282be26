"""GET parameters naming ids: a bad or out-of-range one is ignored, never a 500.

Python reads any number of digits, but a database key holds at most 2^63 - 1; larger ids
used to reach the database as an OverflowError (:mod:`nap1325.core.params`).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BAD_IDS = ["9223372036854775808", "10000000000000000000000000", "²", "-1", "0", "x"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        ("dashboards:plan", "section"),
        ("dashboards:agency", "section"),
        ("coordination:media_add", "event"),
        ("plans:matrix", "agency"),
    ],
)
def test_a_bad_id_in_the_query_string_is_ignored(reporting, login, name, parameter, bad):
    args = [reporting.plan.slug]
    if name == "dashboards:agency":
        args.append(reporting.ministry.pk)
    url = reverse(name, args=args)
    client = login(UserFactory(is_superuser=True))
    plain = client.get(url)
    response = client.get(url, {parameter: bad})
    assert (plain.status_code, response.status_code) == (200, 200)
