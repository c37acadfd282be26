"""A monitor comments during an open round; the coordinator accepts it, edits the action and
saves a new version whose comparison shows the change; after closing, commenting is refused."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nap1325.core.models import Role
from nap1325.participation import round_services
from nap1325.participation.models import Comment, CommentRound
from nap1325.plans import services
from tests.browser.conftest import sign_in, sign_out
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    UserFactory,
    grant,
    make_action,
    make_plan,
    make_result,
)


def test_comment_accept_edit_compare_and_refuse_after_closing(page, transactional_db):
    base = page.base_url
    ministry = OrganisationFactory(name="Ministry of Internal Affairs", acronym="MIA")
    network = OrganisationFactory(name="Women's Peace Network", acronym="WPN", kind="cso")
    plan = make_plan(slug="kg-draft")
    objective = make_result(plan, "1", title="Women's participation in peace and security")
    task = make_result(plan, "1.1", parent=objective, title="Women in the security sector")
    action = make_action(task, "1.1.1", ministry, title="Mentoring for women officers")
    coordinator = UserFactory(username="coord", display_name="Secretariat coordinator")
    monitor = UserFactory(username="cso", display_name="Aida, Women's Peace Network")
    grant(coordinator, plan, ministry, Role.COORDINATOR)
    grant(monitor, plan, network, Role.CIVIL_SOCIETY_MONITOR)
    version = services.plan_version_create(actor=None, plan=plan, label="Draft for consultation")
    round_ = round_services.comment_round_create(
        actor=None,
        version=version,
        title="Consultation on the draft",
        opens_at=timezone.now() - dt.timedelta(hours=1),
        closes_at=timezone.now() + dt.timedelta(days=14),
    )

    # The monitor comments on the action.
    sign_in(page, "cso", PASSWORD)
    page.goto(f"{base}/en/plans/{plan.slug}/")
    page.click("nav.plan-nav a:has-text('Comment rounds')")
    page.click("a:has-text('Consultation on the draft')")
    element = page.locator(f"#action-{action.pk}")
    element.locator("summary:has-text('Comment on this')").click()
    element.locator("textarea[name=text]").fill("Include the patrol service first.")
    element.locator("button:has-text('Send the comment')").click()
    page.wait_for_selector("text=Your comment was added.")
    assert page.locator(f"#action-{action.pk} .comment-text").inner_text() == (
        "Include the patrol service first."
    )
    sign_out(page)

    # The coordinator accepts it with a reason and edits the action.
    sign_in(page, "coord", PASSWORD)
    page.goto(f"{base}/en/plans/{plan.slug}/rounds/{round_.pk}/")
    page.click("a:has-text('Moderate and resolve')")
    page.click("a:has-text('Resolve')")
    page.get_by_label("Accepted", exact=True).check()
    page.click("button:has-text('Save')")  # no reason: refused on the field
    page.wait_for_selector("#id_reason_error")
    page.get_by_label("Accepted", exact=True).check()
    page.fill("#id_reason", "The programme starts with the patrol service.")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Saved:")
    comment = Comment.objects.get()
    assert comment.resolution == "accepted"
    page.goto(f"{base}/en/plans/{plan.slug}/actions/{action.pk}/edit/")
    page.fill("#id_title_en", "Mentoring for women officers, starting with the patrol service")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Saved: 1.1.1")

    # A new version shows the change in the comparison.
    page.click("nav.plan-nav a:has-text('Versions')")
    page.click("a:has-text('Save a version')")
    page.fill("#id_label", "Revised draft")
    page.fill("#id_changelog", "Comments of the consultation applied.")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('v2 Revised draft')")
    page.goto(f"{base}/en/plans/{plan.slug}/versions/compare/?a=1&b=2")
    change = page.locator(f"#actions-{action.pk}")
    assert "changed" in change.inner_text()
    assert change.locator("del").inner_text() == "Mentoring for women officers"
    assert change.locator("ins").inner_text() == (
        "Mentoring for women officers, starting with the patrol service"
    )
    sign_out(page)

    # The monitor's page is open when the round closes: the server refuses the comment.
    sign_in(page, "cso", PASSWORD)
    page.goto(f"{base}/en/plans/{plan.slug}/rounds/{round_.pk}/")
    CommentRound.objects.filter(pk=round_.pk).update(closes_at=timezone.now())
    element = page.locator(f"#action-{action.pk}")
    element.locator("summary:has-text('Comment on this')").click()
    element.locator("textarea[name=text]").fill("One more point.")
    element.locator("button:has-text('Send the comment')").click()
    page.wait_for_selector("text=This comment round closed; comments are no longer accepted.")
    assert Comment.objects.count() == 1
    page.goto(f"{base}/en/plans/{plan.slug}/rounds/{round_.pk}/")
    assert page.locator("summary:has-text('Comment on this')").count() == 0
