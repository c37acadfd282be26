"""Pages of the implementation matrix (thin: access check, form, service, template)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from nap1325.core import submissions
from nap1325.core.forms import add_errors
from nap1325.core.history import readable_events
from nap1325.core.permissions import PLAN_EDIT, PLAN_VIEW_AUDIT
from nap1325.core.permissions import plan_for_request as _plan_for
from nap1325.core.selectors import audit_page
from nap1325.plans import selectors, services
from nap1325.plans.forms import ActionForm, BudgetLineForm, IndicatorForm, ReasonForm, ResultForm
from nap1325.plans.models import Action, BudgetLine, Indicator, Plan, Result


def _matrix_url(plan: Plan, anchor: str = "") -> str:
    url = reverse("plans:matrix", args=[plan.slug])
    return f"{url}#{anchor}" if anchor else url


def _parse_int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@login_required
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    """The implementation matrix, filterable by pillar and agency (GET parameters)."""
    plan, access = _plan_for(request, slug)
    pillar_key = request.GET.get("pillar") or None
    agency_id = _parse_int(request.GET.get("agency"))
    data = selectors.implementation_matrix(plan, pillar_key=pillar_key, agency_id=agency_id)
    return render(
        request,
        "plans/matrix.html",
        {
            "plan": plan,
            "access": access,
            "can_edit": access.can(PLAN_EDIT),
            "matrix": data,
            "selected_pillar": pillar_key or "",
            "selected_agency": agency_id,
            "is_filtered": bool(pillar_key or agency_id),
            "funding_sources": BudgetLine.FundingSource.choices,
        },
    )


def _form_page(
    request: HttpRequest,
    plan: Plan,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Model],
    *,
    heading: str,
    anchor: Callable[[Model], str],
    context: dict[str, Any] | None = None,
    creates: bool = False,
) -> HttpResponse:
    """Render ``form``; on a valid POST call ``save(cleaned_data)`` and go back to the matrix.

    With ``creates=True`` the form carries a one-time token, so a double-clicked "Save"
    creates one object (:mod:`nap1325.core.submissions`).
    """
    _reason_required_after_adoption(form, plan)
    token = submissions.token_from(request) if request.method == "POST" else ""
    if creates and token and (done := submissions.already_done(request.user, token)):
        return HttpResponseRedirect(done)
    if request.method == "POST" and form.is_valid():
        try:
            with submissions.once(request.user, token if creates else "") as record:
                obj = save(form.cleaned_data)
                url = _matrix_url(plan, anchor(obj))
                record(url)
        except submissions.Duplicate as duplicate:
            return HttpResponseRedirect(duplicate.url or _matrix_url(plan))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved: %(item)s") % {"item": obj})
            return HttpResponseRedirect(url)
    return render(
        request,
        "plans/form.html",
        {
            "plan": plan,
            "form": form,
            "heading": heading,
            "cancel_url": _matrix_url(plan),
            "submission_token": (token or submissions.new_token()) if creates else "",
            **(context or {}),
        },
        status=400 if request.method == "POST" else 200,
    )


def _reason_required_after_adoption(form: BaseForm, plan: Plan) -> None:
    """Mark the reason field required once the plan is adopted (the service insists too)."""
    if plan.is_frozen and "reason" in form.fields:
        form.fields["reason"].required = True


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


M = TypeVar("M", bound=Model)


def _form_copy(obj: M) -> M:
    """A copy for the form to validate: a ModelForm writes the posted values onto its
    instance, and the service must still see the old values to audit old → new."""
    return copy.copy(obj)


# --------------------------------------------------------------------------- results


@login_required
def action_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An action's page: details, lead and partners, indicators, budget, the government's
    approved status beside civil society's assessments, and "where this came from"."""
    from nap1325.core.permissions import PLAN_VIEW_DASHBOARDS, SHADOW_ASSESS
    from nap1325.participation.services import monitor_organisations

    plan, access = _plan_for(request, slug)
    try:
        action = selectors.action_of(plan, pk)
    except Action.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "plans/action_detail.html",
        {
            "plan": plan,
            "access": access,
            "can_edit": access.can(PLAN_EDIT),
            "can_assess": access.can(SHADOW_ASSESS),
            "assess_org_ids": {o.pk for o in monitor_organisations(request.user, plan)}
            if access.can(SHADOW_ASSESS)
            else set(),
            "can_view_dashboards": access.can(PLAN_VIEW_DASHBOARDS),
            "page": selectors.action_page(action),
            "action": action,
        },
    )


@login_required
def result_create(request: HttpRequest, slug: str) -> HttpResponse:
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    parent_id = _parse_int(request.GET.get("parent") or request.POST.get("parent"))
    parent = (
        get_object_or_404(Result, pk=parent_id, plan=plan, is_archived=False) if parent_id else None
    )
    depth = parent.depth + 1 if parent else 0
    if depth >= plan.result_tier_count:
        raise Http404
    form = ResultForm(_data(request), instance=Result(plan=plan, parent=parent))

    def save(data: dict[str, Any]) -> Model:
        reason = data.pop("reason", "")
        return services.result_create(
            actor=request.user, plan=plan, parent=parent, reason=reason, **data
        )

    return _form_page(
        request,
        plan,
        form,
        save,
        creates=True,
        heading=_("Add: %(tier)s") % {"tier": plan.tier_label(depth)},
        anchor=lambda obj: f"result-{obj.pk}",
        context={"parent": parent},
    )


@login_required
def result_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    result = get_object_or_404(Result, pk=pk, plan=plan, is_archived=False)
    form = ResultForm(_data(request), instance=_form_copy(result))

    def save(data: dict[str, Any]) -> Model:
        reason = data.pop("reason", "")
        return services.result_update(actor=request.user, result=result, reason=reason, **data)

    return _form_page(
        request,
        plan,
        form,
        save,
        heading=_("Edit: %(item)s") % {"item": f"{result.tier_label} {result.code}"},
        anchor=lambda obj: f"result-{obj.pk}",
    )


# --------------------------------------------------------------------------- actions


@login_required
def action_create(request: HttpRequest, slug: str, result_pk: int) -> HttpResponse:
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    result = get_object_or_404(Result, pk=result_pk, plan=plan, is_archived=False)
    form = ActionForm(_data(request), instance=Action(plan=plan, result=result))

    def save(data: dict[str, Any]) -> Model:
        reason = data.pop("reason", "")
        partners = data.pop("partners", [])
        return services.action_create(
            actor=request.user, result=result, partners=partners, reason=reason, **data
        )

    return _form_page(
        request,
        plan,
        form,
        save,
        creates=True,
        heading=_("Add: %(tier)s") % {"tier": plan.action_label},
        anchor=lambda obj: f"action-{obj.pk}",
        context={"parent": result},
    )


@login_required
def action_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    action = get_object_or_404(Action, pk=pk, plan=plan, is_archived=False)
    form = ActionForm(_data(request), instance=_form_copy(action))

    def save(data: dict[str, Any]) -> Model:
        reason = data.pop("reason", "")
        partners = data.pop("partners", [])
        return services.action_update(
            actor=request.user, action=action, partners=partners, reason=reason, **data
        )

    return _form_page(
        request,
        plan,
        form,
        save,
        heading=_("Edit: %(item)s") % {"item": f"{plan.action_label} {action.code}"},
        anchor=lambda obj: f"action-{obj.pk}",
    )


# --------------------------------------------------------------------------- indicators


def _indicator_owner(request: HttpRequest, plan: Plan) -> tuple[Result | None, Action | None]:
    source = request.POST if request.method == "POST" else request.GET
    result_id, action_id = _parse_int(source.get("result")), _parse_int(source.get("action"))
    if (result_id is None) == (action_id is None):
        raise Http404
    if action_id is not None:
        return None, get_object_or_404(Action, pk=action_id, plan=plan, is_archived=False)
    return get_object_or_404(Result, pk=result_id, plan=plan, is_archived=False), None


@login_required
def indicator_create(request: HttpRequest, slug: str) -> HttpResponse:
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    result, action = _indicator_owner(request, plan)
    form = IndicatorForm(
        _data(request), instance=Indicator(plan=plan, result=result, action=action)
    )

    def save(data: dict[str, Any]) -> Model:
        reason = data.pop("reason", "")
        return services.indicator_create(
            actor=request.user, plan=plan, result=result, action=action, reason=reason, **data
        )

    return _form_page(
        request,
        plan,
        form,
        save,
        creates=True,
        heading=_("Add an indicator"),
        anchor=lambda obj: f"indicator-{obj.pk}",
        context={"parent": result or action, "owner_field": "action" if action else "result"},
    )


@login_required
def indicator_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    indicator = get_object_or_404(
        Indicator.objects.prefetch_related("breakdowns__dimensions", "period_targets"),
        pk=pk,
        plan=plan,
        is_archived=False,
    )
    form = IndicatorForm(_data(request), instance=_form_copy(indicator))

    def save(data: dict[str, Any]) -> Model:
        reason = data.pop("reason", "")
        return services.indicator_update(
            actor=request.user, indicator=indicator, reason=reason, **data
        )

    return _form_page(
        request,
        plan,
        form,
        save,
        heading=_("Edit indicator %(code)s") % {"code": indicator.code},
        anchor=lambda obj: f"indicator-{obj.pk}",
    )


# --------------------------------------------------------------------------- budget


@login_required
def budget_line_create(request: HttpRequest, slug: str, action_pk: int) -> HttpResponse:
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    action = get_object_or_404(Action, pk=action_pk, plan=plan, is_archived=False)
    form = BudgetLineForm(
        _data(request), instance=BudgetLine(action=action, currency=plan.currency), plan=plan
    )

    def save(data: dict[str, Any]) -> Model:
        reason = data.pop("reason", "")
        return services.budget_line_create(actor=request.user, action=action, reason=reason, **data)

    return _form_page(
        request,
        plan,
        form,
        save,
        creates=True,
        heading=_("Add a budget line"),
        anchor=lambda obj: f"action-{action.pk}",
        context={"parent": action},
    )


@login_required
def budget_line_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    line = get_object_or_404(BudgetLine, pk=pk, action__plan=plan, is_archived=False)
    form = BudgetLineForm(_data(request), instance=_form_copy(line), plan=plan)

    def save(data: dict[str, Any]) -> Model:
        reason = data.pop("reason", "")
        return services.budget_line_update(actor=request.user, line=line, reason=reason, **data)

    return _form_page(
        request,
        plan,
        form,
        save,
        heading=_("Edit budget line"),
        anchor=lambda obj: f"action-{line.action_id}",
    )


# --------------------------------------------------------------------------- archive, move

ARCHIVABLE: dict[str, tuple[type[Model], Callable[..., Any], str]] = {
    "result": (
        Result,
        lambda actor, obj, reason: services.result_archive(actor=actor, result=obj, reason=reason),
        "plan",
    ),
    "action": (
        Action,
        lambda actor, obj, reason: services.action_archive(actor=actor, action=obj, reason=reason),
        "plan",
    ),
    "indicator": (
        Indicator,
        lambda actor, obj, reason: services.indicator_archive(
            actor=actor, indicator=obj, reason=reason
        ),
        "plan",
    ),
    "budget_line": (
        BudgetLine,
        lambda actor, obj, reason: services.budget_line_archive(
            actor=actor, line=obj, reason=reason
        ),
        "action__plan",
    ),
}


@login_required
def archive(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """Confirm (GET) and archive (POST) a result, action, indicator or budget line."""
    if kind not in ARCHIVABLE:
        raise Http404
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    model, do_archive, plan_path = ARCHIVABLE[kind]
    obj = get_object_or_404(model, pk=pk, is_archived=False, **{plan_path: plan})
    form = ReasonForm(_data(request))
    _reason_required_after_adoption(form, plan)
    if request.method == "POST" and form.is_valid():
        try:
            do_archive(request.user, obj, form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Archived: %(item)s") % {"item": obj})
            return redirect(_matrix_url(plan))
    return render(
        request,
        "plans/confirm.html",
        {
            "plan": plan,
            "form": form,
            "heading": _("Archive %(item)s?") % {"item": obj},
            "explanation": _(
                "Archived items leave the matrix and every total. They are kept with their "
                "history; a platform administrator can restore them."
            ),
            "button": _("Archive"),
            "cancel_url": _matrix_url(plan),
            "impact": selectors.archive_impact(obj),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def move(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """Move a result or action up or down among its siblings (POST ``step`` = -1 or 1)."""
    if kind not in {"result", "action"}:
        raise Http404
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    model: type[Result] | type[Action] = Result if kind == "result" else Action
    obj = get_object_or_404(model, pk=pk, plan=plan, is_archived=False)
    step = _parse_int(request.POST.get("step") or request.GET.get("step"))
    if step not in (-1, 1):
        raise Http404
    form = ReasonForm(_data(request))
    _reason_required_after_adoption(form, plan)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(obj, Result):
                services.result_move(
                    actor=request.user, result=obj, step=step, reason=form.cleaned_data["reason"]
                )
            else:
                services.action_move(
                    actor=request.user, action=obj, step=step, reason=form.cleaned_data["reason"]
                )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(_matrix_url(plan, f"{kind}-{obj.pk}"))
    return render(
        request,
        "plans/confirm.html",
        {
            "plan": plan,
            "form": form,
            "heading": (_("Move %(item)s up") if step < 0 else _("Move %(item)s down"))
            % {"item": obj},
            "button": _("Move"),
            "cancel_url": _matrix_url(plan),
            "hidden": {"step": step},
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def plan_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish (POST ``published=1``) or withdraw (``published=0``) the plan; back to the matrix.

    Publishing shows the plan's published items and approved values on the public portal
    at once (:mod:`nap1325.plans.visibility`); withdrawing makes its public pages answer 404.
    """
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    if request.method != "POST":
        return redirect(_matrix_url(plan))
    choice = request.POST.get("published")
    if choice not in {"0", "1"}:
        messages.error(request, _("Choose whether to publish the plan or withdraw it."))
        return redirect(_matrix_url(plan))
    if choice == "1":
        changed = services.plan_publish(actor=request.user, plan=plan)
        text = _("The plan is now public on the portal.")
    else:
        changed = services.plan_unpublish(actor=request.user, plan=plan)
        text = _("The plan is withdrawn from the public portal.")
    if changed:
        messages.success(request, text)
    return redirect(_matrix_url(plan))


@login_required
def history(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's audit trail: who changed what, when, old → new, and why."""
    plan, access = _plan_for(request, slug, PLAN_VIEW_AUDIT)
    page = audit_page(plan, request.GET.get("page"))
    return render(
        request,
        "plans/history.html",
        {
            "plan": plan,
            "page": page,
            "events": readable_events(page.object_list),
            "access": access,
        },
    )
