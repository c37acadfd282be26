"""The public portal in Debian's chromium: every page type passes axe-core's WCAG 2.1 A/AA
rules at desktop and phone widths, starts with a working skip link, and reads the same
without JavaScript.

axe-core comes bundled in the pinned ``axe-playwright-python`` wheel (no CDN, nothing
fetched at run time).
"""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe

from nap1325.coordination.models import Event
from nap1325.demo.loader import load_demo
from nap1325.plans.models import Indicator

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def portal_pages() -> dict[str, str]:
    """One address per page type, on the demo's published plans."""
    kg, drc = "kg-nap-2018", "cd-pan-1325-2"
    share = Indicator.objects.get(plan__slug=kg, code="1a")
    by_sex = (
        Indicator.objects.filter(plan__slug=drc, breakdowns__dimensions__key="sex")
        .order_by("order", "id")
        .first()
    )
    action = share.plan.action_set.get(code="1.1.2")
    event = Event.objects.filter(plan__slug=kg, is_published=True).first()
    return {
        "index": "/en/public/",
        "plan": f"/en/public/{kg}/",
        "framework": f"/en/public/{drc}/framework/",
        "action": f"/en/public/{kg}/actions/{action.pk}/",
        "indicator": f"/en/public/{kg}/indicators/{share.pk}/",
        "indicator with breakdowns": f"/en/public/{drc}/indicators/{by_sex.pk}/",
        "group": f"/en/public/{kg}/working-group/",
        "event": f"/en/public/{kg}/events/{event.pk}/",
        "changes": f"/en/public/{kg}/changes/",
    }


def test_every_portal_page_type_passes_axe_at_both_widths(page, transactional_db):
    load_demo()
    axe = Axe()
    found = {}
    for name, path in portal_pages().items():
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(page.base_url + path)
            assert response.status == 200, path
            results = axe.run(page, options=WCAG_21_AA)
            if results.violations_count:
                found[f"{name} at {width}"] = results.generate_report()
    assert found == {}, "\n".join(f"{key}: {report}" for key, report in found.items())


def test_keyboard_reaches_the_content_and_pages_read_without_javascript(
    chromium_browser, live_server, transactional_db
):
    load_demo()
    pages = portal_pages()
    context = chromium_browser.new_context(
        viewport={"width": 390, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    for name in ("plan", "indicator"):
        page.goto(live_server.url + pages[name])
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        assert focused.strip() == "Skip to content"
        page.keyboard.press("Enter")
        assert page.url.endswith("#main")
        # the chart has its table beside it, in the page without any script
        if name == "indicator":
            assert page.locator("figure.dash-chart svg[role=img] > title").count() == 1
            assert re.search(r"12\.3\s%", page.locator("table.dash-series").inner_text())
    context.close()
