"""Walk every page of the demo as each role and anonymous: no server error anywhere.

A crawler follows every same-site link (GET only) from the home page, in all three
languages' URL prefixes, plus the admin for the platform admin; every answer must be below
500, and each role must reach the pages its role allows.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from nap1325.demo.loader import DEMO_PASSWORD, load_demo

HREF = re.compile(r'href="([^"#]+)')
SKIP = ("/static/", "/media/", "/accounts/logout", "/i18n/")
MAX_PAGES = 400


@pytest.fixture
def demo(db):
    load_demo()


def crawl(client: Client, start: str, *, include_admin: bool = False) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = href.replace("&amp;", "&")
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if any(path.startswith(prefix) or prefix in path for prefix in SKIP):
                continue
            if path.startswith("/admin/") and not include_admin:
                continue
            if path.startswith("/admin/") and re.search(r"/(delete|history)/", path):
                continue
            if path not in seen:
                queue.append(path)
    return seen


@pytest.mark.parametrize(
    "username", [None, "admin", "coordinator", "focal", "member", "monitor", "partner"]
)
def test_no_page_of_the_demo_answers_a_server_error(demo, client, username):
    if username:
        assert client.login(username=username, password=DEMO_PASSWORD)
    seen = {}
    for language in ("en", "ru", "ky"):
        seen.update(crawl(client, f"/{language}/", include_admin=username == "admin"))
    errors = {url: status for url, status in seen.items() if status >= 500}
    assert errors == {}
    if username is None:
        assert set(seen.values()) <= {200, 302}
        return
    matrix_pages = [url for url in seen if url.rstrip("/").endswith("/plans/kg-nap-2018")]
    assert matrix_pages, "the Kyrgyz matrix is reachable from the home page"
    edit_pages = [url for url in seen if "/edit/" in url]
    if username in {"admin", "coordinator"}:
        assert len(edit_pages) > 20  # every result, action, indicator and budget line
    else:
        assert edit_pages == []  # no edit links for other roles


def test_direct_urls_of_another_plan_answer_404_for_non_members(demo, client):
    assert client.login(username="focal", password=DEMO_PASSWORD)  # member of the KG plan only
    assert client.get("/en/plans/kg-nap-2018/").status_code == 200
    assert client.get("/en/plans/cd-pan-1325-2/").status_code == 404
    assert client.get("/en/plans/cd-pan-1325-2/history/").status_code == 404
    assert client.get("/en/plans/no-such-plan/").status_code == 404


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Not allowed"), ("ru", "Недоступно"), ("ky", "Уруксат жок")],
)
def test_refusals_are_pages_of_the_platform_in_the_users_language(demo, client, language, heading):
    assert client.login(username="focal", password=DEMO_PASSWORD)
    matrix = client.get(f"/{language}/plans/kg-nap-2018/").content.decode()
    assert "/history/" not in matrix  # focal points do not read the audit trail
    refused = client.get(f"/{language}/plans/kg-nap-2018/history/")
    assert refused.status_code == 403
    assert heading in refused.content.decode()
    missing = client.get(f"/{language}/plans/no-such-plan/")
    assert missing.status_code == 404
    assert 'class="site-header"' in missing.content.decode()
