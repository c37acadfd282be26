"""Pages of comment rounds (thin: access check, form, service, template)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nap1325.core import submissions
from nap1325.core.forms import add_errors
from nap1325.core.permissions import (
    PLAN_COMMENT,
    PLAN_EDIT,
    PlanAccess,
)
from nap1325.core.permissions import plan_for_request as _plan_for
from nap1325.participation import round_selectors as selectors
from nap1325.participation import round_services as services
from nap1325.participation.models import Comment, CommentRound
from nap1325.participation.round_forms import (
    CommentForm,
    CommentRoundForm,
    ModerationForm,
    PublicCommentForm,
    ResolutionForm,
)
from nap1325.plans.models import Plan
from nap1325.plans.selectors import plan_by_slug


def _round(plan: Plan, pk: int) -> CommentRound:
    try:
        return selectors.round_of(plan, pk)
    except CommentRound.DoesNotExist:
        raise Http404 from None


def _comment(round_: CommentRound, pk: int) -> Comment:
    try:
        return Comment.objects.select_related("author").get(round=round_, pk=pk)
    except Comment.DoesNotExist:
        raise Http404 from None


def _detail_url(round_: CommentRound, anchor: str = "") -> str:
    url = reverse("rounds:detail", args=[round_.plan.slug, round_.pk])
    return f"{url}#{anchor}" if anchor else url


def _manage_url(round_: CommentRound, anchor: str = "") -> str:
    url = reverse("rounds:manage", args=[round_.plan.slug, round_.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
def round_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's comment rounds with their state and counts."""
    plan, access = _plan_for(request, slug)
    return render(
        request,
        "participation/rounds/list.html",
        {
            "plan": plan,
            "access": access,
            "rounds": list(selectors.rounds_of(plan)),
            "can_manage": access.can(PLAN_EDIT),
        },
    )


@login_required
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a comment round on a saved version (coordinator)."""
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    versions = list(plan.versions.defer("snapshot").order_by("-number"))
    initial = {"version": request.GET.get("version")} if request.method == "GET" else None
    form = CommentRoundForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        versions=versions,
        zone=plan.time_zone,
    )
    token = submissions.token_from(request) if request.method == "POST" else ""
    if token and (done := submissions.already_done(request.user, token)):
        return HttpResponseRedirect(done)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = next(v for v in versions if v.pk == data["version"])
        try:
            with submissions.once(request.user, token) as record:
                round_ = services.comment_round_create(
                    actor=request.user,  # type: ignore[arg-type]
                    version=version,
                    title=data["title"],
                    description=data["description"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                    is_public=data["is_public"],
                )
                record(_detail_url(round_))
        except submissions.Duplicate as duplicate:
            return HttpResponseRedirect(duplicate.url or reverse("rounds:list", args=[slug]))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Comment round opened: %(round)s") % {"round": round_})
            return HttpResponseRedirect(_detail_url(round_))
    return render(
        request,
        "participation/rounds/form.html",
        {
            "plan": plan,
            "access": access,
            "form": form,
            "heading": _("Open a comment round"),
            "cancel_url": reverse("rounds:list", args=[slug]),
            "submission_token": token or submissions.new_token(),
            "no_versions": not versions,
        },
        status=400 if request.method == "POST" else 200,
    )


def _page_context(
    request: HttpRequest, plan: Plan, round_: CommentRound, access: PlanAccess | None, public: bool
) -> dict[str, Any]:
    page = selectors.round_page(round_)
    state = round_.state()
    if public:
        can_comment = state == "open" and round_.is_public
    else:
        can_comment = state == "open" and access is not None and access.can(PLAN_COMMENT)
    return {
        "plan": None if public else plan,
        "the_plan": plan,
        "access": access,
        "round": round_,
        "state": state,
        "page": page,
        "can_comment": can_comment,
        "can_manage": access is not None and access.can(PLAN_EDIT) and not public,
        "public": public,
        "form_class": "public" if public else "member",
        "tokens": {e.key: submissions.new_token() for e in page.elements} if can_comment else {},
        "resolution_labels": dict(Comment.Resolution.choices),
    }


@login_required
def round_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The round's version element by element, with shown comments and a comment form each."""
    plan, access = _plan_for(request, slug)
    round_ = _round(plan, pk)
    return render(
        request,
        "participation/rounds/detail.html",
        _page_context(request, plan, round_, access, public=False),
    )


def public_round(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A round open to the public: anyone may read shown comments and comment (moderated)."""
    try:
        plan = plan_by_slug(slug)
        round_ = CommentRound.objects.select_related("version", "plan").get(
            plan=plan, pk=pk, is_public=True
        )
    except (Plan.DoesNotExist, CommentRound.DoesNotExist):
        raise Http404 from None
    return render(
        request,
        "participation/rounds/detail.html",
        _page_context(request, plan, round_, None, public=True),
    )


def _comment_post(
    request: HttpRequest, plan: Plan, round_: CommentRound, public: bool
) -> HttpResponse:
    form: CommentForm = (PublicCommentForm if public else CommentForm)(request.POST)
    token = submissions.token_from(request)
    user = request.user if request.user.is_authenticated else None
    if token and user is not None and (done := submissions.already_done(user, token)):
        return HttpResponseRedirect(done)
    if public and token and user is None and (done := _public_done(request, token)):
        return HttpResponseRedirect(done)
    back = reverse("rounds:public", args=[plan.slug, round_.pk]) if public else _detail_url(round_)
    if form.is_valid():
        kind, anchor_pk = form.anchor_parts()
        data = form.cleaned_data
        try:
            with submissions.once(user, token if user is not None else "") as record:
                services.comment_create(
                    actor=None if public else user,  # type: ignore[arg-type]
                    round_=round_,
                    anchor_kind=kind,
                    anchor_pk=anchor_pk,
                    text=data["text"],
                    author_name=data.get("author_name", ""),
                    author_email=data.get("author_email", ""),
                )
                url = f"{back}#{kind}-{anchor_pk}"
                record(url)
        except submissions.Duplicate as duplicate:
            return HttpResponseRedirect(duplicate.url or back)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if public:
                request.session.setdefault("public_comments", {})[token] = url
                request.session.modified = True
                messages.success(
                    request, _("Thank you. Your comment will be shown after moderation.")
                )
            else:
                messages.success(request, _("Your comment was added."))
            return HttpResponseRedirect(url)
    kind, anchor_pk = (
        form.anchor_parts() if form.is_bound and hasattr(form, "cleaned_data") else ("", 0)
    )
    return render(
        request,
        "participation/rounds/comment_form.html",
        {
            "plan": None if public else plan,
            "the_plan": plan,
            "round": round_,
            "form": form,
            "public": public,
            "back": back,
            "submission_token": token or submissions.new_token(),
            "anchor_name": _anchor_name(round_, request.POST.get("anchor", "")),
        },
        status=400,
    )


def _public_done(request: HttpRequest, token: str) -> str | None:
    """Anonymous double submits: the session remembers the token of the first one."""
    return request.session.get("public_comments", {}).get(token)


def _anchor_name(round_: CommentRound, anchor: str) -> str:
    from nap1325.plans.versions import anchor_of

    kind, _sep, pk = anchor.partition("-")
    row = anchor_of(round_.version.snapshot, kind, int(pk)) if pk.isdigit() else None
    return f"{row.get('code', '')} {row.get('title', '')}" if row else ""


@login_required
@require_POST
def round_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Post a member's comment (PLAN_COMMENT); the round must be open at this moment."""
    plan, _access = _plan_for(request, slug, PLAN_COMMENT)
    return _comment_post(request, plan, _round(plan, pk), public=False)


@require_POST
def public_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Post a comment from the public page of a round open to the public."""
    try:
        plan = plan_by_slug(slug)
        round_ = CommentRound.objects.select_related("version", "plan").get(
            plan=plan, pk=pk, is_public=True
        )
    except (Plan.DoesNotExist, CommentRound.DoesNotExist):
        raise Http404 from None
    return _comment_post(request, plan, round_, public=True)


@login_required
def round_manage(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Moderation and resolution of a round's comments (coordinator)."""
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    round_ = _round(plan, pk)
    queue = selectors.moderation_queue(round_)
    return render(
        request,
        "participation/rounds/manage.html",
        {
            "plan": plan,
            "access": access,
            "round": round_,
            "state": round_.state(),
            "queue": queue,
            "summary": selectors.round_page(round_),
            "resolution_choices": Comment.Resolution.choices,
        },
    )


def _comment_action(
    request: HttpRequest,
    slug: str,
    pk: int,
    comment_pk: int,
    form_class: type[Any],
    act: Callable[[Any, Comment, dict[str, Any]], Any],
    heading: str,
) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    round_ = _round(plan, pk)
    comment = _comment(round_, comment_pk)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            act(request.user, comment, form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("Saved: %(item)s") % {"item": comment})
            return HttpResponseRedirect(_manage_url(round_, f"comment-{comment.pk}"))
    return render(
        request,
        "participation/rounds/comment_action.html",
        {
            "plan": plan,
            "access": access,
            "round": round_,
            "comment": comment,
            "form": form,
            "heading": heading,
            "cancel_url": _manage_url(round_),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def comment_resolve(request: HttpRequest, slug: str, pk: int, comment_pk: int) -> HttpResponse:
    """Resolve a comment: accepted / partly accepted / rejected with a reason."""
    return _comment_action(
        request,
        slug,
        pk,
        comment_pk,
        ResolutionForm,
        lambda user, comment, data: services.comment_resolve(
            actor=user, comment=comment, resolution=data["resolution"], reason=data["reason"]
        ),
        _("Resolve the comment"),
    )


@login_required
def comment_moderate(request: HttpRequest, slug: str, pk: int, comment_pk: int) -> HttpResponse:
    """Show or hide a comment (hiding needs a reason)."""
    return _comment_action(
        request,
        slug,
        pk,
        comment_pk,
        ModerationForm,
        lambda user, comment, data: services.comment_moderate(
            actor=user, comment=comment, show=data["show"], reason=data["reason"]
        ),
        _("Show or hide the comment"),
    )


@login_required
@require_POST
def round_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Close the round now."""
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    round_ = _round(plan, pk)
    services.comment_round_close(actor=request.user, round_=round_)  # type: ignore[arg-type]
    messages.success(request, _("The round is closed."))
    return HttpResponseRedirect(_detail_url(round_))
