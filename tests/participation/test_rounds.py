"""Comment rounds: open/close on the server's clock, who may comment, moderation,
resolutions with reasons, counters that match what is shown (issue 5, point 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from nap1325.core.models import AuditEvent, Role
from nap1325.participation import round_selectors as selectors
from nap1325.participation import round_services as services
from nap1325.participation.models import Comment, CommentRound
from nap1325.plans import services as plan_services
from nap1325.plans.models import Plan

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def version(plan, kg_matrix):
    return plan_services.plan_version_create(actor=None, plan=plan, label="Draft for consultation")


@pytest.fixture
def round_(version, coordinator):
    return services.comment_round_create(
        actor=coordinator,
        version=version,
        title="Consultation on the draft",
        opens_at=NOW - dt.timedelta(days=1),
        closes_at=NOW + dt.timedelta(days=6),
    )


@pytest.fixture
def monitor(member_factory):
    return member_factory(Role.CIVIL_SOCIETY_MONITOR)


def _comment(
    round_, actor, kg_matrix, code="1.1.1", kind="action", text="Add a budget line.", **kw
):
    return services.comment_create(
        actor=actor, round_=round_, anchor_kind=kind, anchor_pk=kg_matrix[code].pk, text=text, **kw
    )


def test_a_round_moves_a_drafting_plan_to_consultation_and_is_audited(round_, plan):
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CONSULTATION
    assert AuditEvent.objects.filter(event_type="comment_round.created").count() == 1


def test_a_round_closing_before_it_opens_is_refused_on_the_field(version, coordinator):
    with pytest.raises(ValidationError) as error:
        services.comment_round_create(
            actor=coordinator,
            version=version,
            title="Backwards",
            opens_at=NOW,
            closes_at=NOW - dt.timedelta(hours=1),
        )
    assert "closes before it opens" in error.value.message_dict["closes_at"][0]
    assert not CommentRound.objects.exists()


def test_comment_anchored_with_the_snapshot_code_and_title(round_, monitor, kg_matrix):
    comment = _comment(round_, monitor, kg_matrix)
    assert comment.anchor_code == "1.1.1"
    assert comment.anchor_title.startswith("Review the recruitment")
    assert comment.moderation == Comment.Moderation.VISIBLE


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (NOW + dt.timedelta(days=7), "closed"),
        (NOW - dt.timedelta(days=2), "not opened yet"),
    ],
)
def test_comments_outside_the_round_are_refused(round_, monitor, kg_matrix, when, message):
    with pytest.raises(ValidationError) as error:
        _comment(round_, monitor, kg_matrix, now=when)
    assert message in error.value.messages[0]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.CIVIL_SOCIETY_MONITOR, True),
        (Role.WORKING_GROUP_MEMBER, True),
        (Role.COORDINATOR, True),
        (Role.FOCAL_POINT, False),
        (Role.PARTNER, False),
    ],
)
def test_who_may_comment(round_, member_factory, kg_matrix, role, allowed):
    user = member_factory(role)
    if allowed:
        assert _comment(round_, user, kg_matrix).pk
    else:
        with pytest.raises(PermissionDenied):
            _comment(round_, user, kg_matrix)


def test_outsiders_get_404_and_the_public_needs_a_public_round(round_, kg_matrix):
    from tests.factories import UserFactory

    with pytest.raises(Http404):
        _comment(round_, UserFactory(), kg_matrix)
    with pytest.raises(PermissionDenied):
        _comment(round_, None, kg_matrix, author_name="A", author_email="a@example.org")


def test_an_anchor_outside_the_version_is_refused(round_, monitor, kg_matrix):
    with pytest.raises(ValidationError) as error:
        services.comment_create(
            actor=monitor, round_=round_, anchor_kind="action", anchor_pk=999999, text="x"
        )
    assert "anchor" in error.value.message_dict


def test_public_comments_need_name_and_email_wait_for_moderation_and_are_rate_limited(
    version, coordinator, kg_matrix
):
    public = services.comment_round_create(
        actor=coordinator,
        version=version,
        title="Public consultation",
        opens_at=NOW - dt.timedelta(hours=1),
        closes_at=NOW + dt.timedelta(days=1),
        is_public=True,
    )
    with pytest.raises(ValidationError) as error:
        _comment(public, None, kg_matrix, author_name="", author_email="not-an-address")
    assert set(error.value.message_dict) == {"author_name", "author_email"}
    for n in range(services.PUBLIC_COMMENTS_PER_HOUR):
        comment = _comment(
            public,
            None,
            kg_matrix,
            text=f"Point {n}",
            author_name="Aida",
            author_email="aida@example.org",
        )
    assert comment.moderation == Comment.Moderation.PENDING
    with pytest.raises(ValidationError) as error:
        _comment(public, None, kg_matrix, author_name="Aida", author_email="AIDA@example.org")
    assert "Too many comments" in error.value.messages[0]
    page = selectors.round_page(public)
    assert page.totals["shown"] == 0 and page.pending == 5
    services.comment_moderate(actor=coordinator, comment=comment, show=True)
    page = selectors.round_page(public)
    assert page.totals["shown"] == 1 and page.pending == 4


def test_resolution_needs_a_reason_and_counters_match_what_is_shown(
    round_, monitor, coordinator, kg_matrix
):
    first = _comment(round_, monitor, kg_matrix)
    second = _comment(round_, monitor, kg_matrix, text="Name the partner.")
    third = _comment(round_, monitor, kg_matrix, code="1a", kind="indicator", text="Baseline?")
    spam = _comment(round_, monitor, kg_matrix, text="Buy now")
    with pytest.raises(ValidationError) as error:
        services.comment_resolve(
            actor=coordinator, comment=first, resolution="accepted", reason=" "
        )
    assert "reason" in error.value.message_dict
    first.refresh_from_db()
    assert first.resolution == ""
    with pytest.raises(ValidationError) as error:
        services.comment_moderate(actor=coordinator, comment=spam, show=False)
    assert "reason" in error.value.message_dict
    services.comment_moderate(actor=coordinator, comment=spam, show=False, reason="Advertising")
    with pytest.raises(ValidationError):
        services.comment_resolve(actor=coordinator, comment=spam, resolution="rejected", reason="x")
    services.comment_resolve(
        actor=coordinator, comment=first, resolution="accepted", reason="Line added."
    )
    services.comment_resolve(
        actor=coordinator, comment=second, resolution="partly_accepted", reason="UN Women only."
    )
    with pytest.raises(PermissionDenied):
        services.comment_resolve(actor=monitor, comment=third, resolution="rejected", reason="No")
    page = selectors.round_page(round_)
    element = next(e for e in page.elements if e.key == f"action-{kg_matrix['1.1.1'].pk}")
    assert [c.text for c in element.comments] == ["Add a budget line.", "Name the partner."]
    assert element.counts == {"accepted": 1, "partly_accepted": 1, "rejected": 0, "open": 0}
    assert page.totals == {
        "accepted": 1,
        "partly_accepted": 1,
        "rejected": 0,
        "open": 1,
        "shown": 3,
    }
    assert page.hidden == 1
    listed = selectors.rounds_of(round_.plan).get()
    assert (listed.shown_count, listed.open_count, listed.pending_count) == (3, 1, 0)


def test_closing_a_round_refuses_later_comments(round_, monitor, coordinator, kg_matrix):
    services.comment_round_close(actor=coordinator, round_=round_)
    with pytest.raises(ValidationError) as error:
        _comment(round_, monitor, kg_matrix)
    assert "closed" in error.value.messages[0]


# --------------------------------------------------------------------------- pages


def test_round_pages_with_query_budgets(
    round_, monitor, coordinator, kg_matrix, login, django_assert_max_num_queries
):
    for n in range(6):
        _comment(round_, monitor, kg_matrix, text=f"Comment {n}")
    slug = round_.plan.slug
    pages = [
        reverse("rounds:list", args=[slug]),
        reverse("rounds:detail", args=[slug, round_.pk]),
        reverse("rounds:manage", args=[slug, round_.pk]),
        reverse("rounds:create", args=[slug]),
    ]
    client = login(coordinator)
    for url in pages:
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200, url
    assert login(monitor).get(pages[2]).status_code == 403
    assert login(None).get(pages[1]).status_code == 302
    assert login(monitor).get(reverse("rounds:public", args=[slug, round_.pk])).status_code == 404


def test_comment_form_refuses_after_closing_and_double_submits_store_one(
    round_, monitor, kg_matrix, login
):
    client = login(monitor)
    url = reverse("rounds:comment", args=[round_.plan.slug, round_.pk])
    data = {
        "anchor": f"action-{kg_matrix['1.1.1'].pk}",
        "text": "Please add the OSCE as a partner.",
        "submission": "t" * 24,
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Comment.objects.count() == 1
    CommentRound.objects.filter(pk=round_.pk).update(closes_at=timezone.now())
    refused = client.post(url, {**data, "submission": "u" * 24})
    assert refused.status_code == 400
    assert "This comment round closed" in refused.content.decode()
    assert Comment.objects.count() == 1
    honeypot = CommentRound.objects.filter(pk=round_.pk)
    honeypot.update(closes_at=timezone.now() + dt.timedelta(days=1))
    trapped = client.post(url, {**data, "submission": "v" * 24, "website": "http://spam"})
    assert trapped.status_code == 400 and Comment.objects.count() == 1


def test_resolution_form_without_reason_names_the_field(
    round_, monitor, coordinator, kg_matrix, login
):
    comment = _comment(round_, monitor, kg_matrix)
    url = reverse("rounds:resolve", args=[round_.plan.slug, round_.pk, comment.pk])
    response = login(coordinator).post(url, {"resolution": "rejected", "reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    ok = login(coordinator).post(url, {"resolution": "rejected", "reason": "Out of scope."})
    assert ok.status_code == 302
    comment.refresh_from_db()
    assert (comment.resolution, comment.resolution_reason) == ("rejected", "Out of scope.")


def test_round_create_form_interprets_times_in_the_plan_time_zone(version, coordinator, login):
    url = reverse("rounds:create", args=[version.plan.slug])
    data = {
        "version": version.pk,
        "title": "Second round",
        "opens_at": "2030-03-01T09:00",
        "closes_at": "2030-03-15T18:00",
        "submission": "w" * 24,
    }
    assert login(coordinator).post(url, data).status_code == 302
    created = CommentRound.objects.get(title="Second round")
    assert created.opens_at == dt.datetime(2030, 3, 1, 3, 0, tzinfo=dt.UTC)  # Bishkek is UTC+6
    bad = login(coordinator).post(
        url, {**data, "closes_at": "2030-02-01T09:00", "submission": "x" * 24}
    )
    assert bad.status_code == 400
    assert "closes before it opens" in bad.content.decode()
    for field, typed in [("opens_at", "0001-01-01T00:00"), ("closes_at", "9999-12-31T23:59")]:
        far = login(coordinator).post(url, {**data, field: typed, "submission": "y" * 24})
        assert far.status_code == 400, field
        assert "Enter a date between 1900 and 2999." in far.content.decode()
    assert CommentRound.objects.filter(title="Second round").count() == 1


def test_public_page_takes_moderated_comments_once(version, coordinator, kg_matrix, login, client):
    public = services.comment_round_create(
        actor=coordinator,
        version=version,
        title="Public consultation",
        opens_at=NOW - dt.timedelta(hours=1),
        closes_at=NOW + dt.timedelta(days=1),
        is_public=True,
    )
    slug = version.plan.slug
    page = client.get(reverse("rounds:public", args=[slug, public.pk]))
    assert page.status_code == 200 and "Your e-mail address" in page.content.decode()
    url = reverse("rounds:public_comment", args=[slug, public.pk])
    data = {
        "anchor": f"indicator-{kg_matrix['1a'].pk}",
        "text": "Publish the baseline source.",
        "author_name": "Aida",
        "author_email": "aida@example.org",
        "submission": "p" * 24,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same form posted twice
    comment = Comment.objects.get()
    assert comment.moderation == Comment.Moderation.PENDING and comment.author is None
    shown = client.get(reverse("rounds:public", args=[slug, public.pk])).content.decode()
    assert "Publish the baseline source." not in shown  # held for moderation
    missing = client.post(url, {**data, "author_email": "", "submission": "q" * 24})
    assert missing.status_code == 400 and 'id="id_author_email_error"' in missing.content.decode()
    services.comment_moderate(actor=coordinator, comment=comment, show=True)
    shown = client.get(reverse("rounds:public", args=[slug, public.pk])).content.decode()
    assert "Publish the baseline source." in shown and "aida@example.org" not in shown
    # an internal round has no public page
    assert client.get(reverse("rounds:public", args=[slug, public.pk + 1])).status_code == 404


def test_history_page_reads_round_version_and_adoption_events(
    round_, monitor, coordinator, kg_matrix, login
):
    _comment(round_, monitor, kg_matrix)
    plan_services.plan_adopt(
        actor=coordinator,
        plan=round_.plan,
        legal_act_number="No. 1",
        legal_act_date=dt.date(2018, 3, 1),
        legal_act_issuer="Government",
        label="Adopted",
    )
    response = login(coordinator).get(reverse("plans:history", args=[round_.plan.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Comment round opened", "Comment added", "Plan adopted", "Version adopted"):
        assert label in html
    assert "v1 Draft for consultation" in html  # the round's version by name
