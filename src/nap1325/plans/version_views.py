"""Pages of plan versions: list, save, detail, compare, edit label, adoption (issue 5)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nap1325.core import submissions
from nap1325.core.forms import add_errors
from nap1325.core.permissions import PLAN_EDIT
from nap1325.core.permissions import plan_for_request as _plan_for
from nap1325.plans import services
from nap1325.plans.models import Plan, PlanVersion
from nap1325.plans.versions import compare, plan_snapshot, readable_snapshot

CURRENT = "current"


class VersionForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("Label"), max_length=200)
    changelog = forms.CharField(
        label=gettext_lazy("What changed"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AdoptionForm(forms.Form):
    version = forms.ChoiceField(label=gettext_lazy("Adopted version"))
    label = forms.CharField(
        label=gettext_lazy("Label of the new version"),
        required=False,
        max_length=200,
        initial=gettext_lazy("Adopted"),
        help_text=gettext_lazy("When the plan as it stands is adopted."),
    )
    legal_act_number = forms.CharField(label=gettext_lazy("Legal act number"), max_length=100)
    legal_act_date = forms.DateField(
        label=gettext_lazy("Legal act date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    legal_act_issuer = forms.CharField(label=gettext_lazy("Issued by"), max_length=200)

    def __init__(self, *args: Any, versions: list[PlanVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [
            (CURRENT, _("The plan as it stands (saved as a new version)")),
            *((str(v.number), str(v)) for v in versions),
        ]


def _version(plan: Plan, number: Any, *, with_snapshot: bool = True) -> PlanVersion:
    try:
        queryset = plan.versions.select_related("created_by")
        if not with_snapshot:
            queryset = queryset.defer("snapshot")
        return queryset.get(number=int(number))
    except (PlanVersion.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def _list_url(plan: Plan) -> str:
    return reverse("versions:list", args=[plan.slug])


@login_required
def version_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's versions, newest first, with the form to compare two of them."""
    plan, access = _plan_for(request, slug)
    versions = list(plan.versions.defer("snapshot").select_related("created_by"))
    for index, newer in enumerate(versions):  # newest first: the next one is the previous
        older = versions[index + 1] if index + 1 < len(versions) else None
        newer.previous_number = older.number if older else None  # type: ignore[attr-defined]
    return render(
        request,
        "plans/versions/list.html",
        {
            "plan": plan,
            "access": access,
            "versions": versions,
            "can_edit": access.can(PLAN_EDIT),
            "adopted": next((v for v in versions if v.is_adopted), None),
        },
    )


@login_required
def version_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Save the plan as it stands as a new version."""
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    form = VersionForm(request.POST if request.method == "POST" else None)
    token = submissions.token_from(request) if request.method == "POST" else ""
    if token and (done := submissions.already_done(request.user, token)):
        return HttpResponseRedirect(done)
    if request.method == "POST" and form.is_valid():
        try:
            with submissions.once(request.user, token) as record:
                version = services.plan_version_create(
                    actor=request.user,  # type: ignore[arg-type]
                    plan=plan,
                    label=form.cleaned_data["label"],
                    changelog=form.cleaned_data["changelog"],
                )
                url = reverse("versions:detail", args=[plan.slug, version.number])
                record(url)
        except submissions.Duplicate as duplicate:
            return HttpResponseRedirect(duplicate.url or _list_url(plan))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Version saved: %(version)s") % {"version": version})
            return HttpResponseRedirect(url)
    return render(
        request,
        "plans/versions/form.html",
        {
            "plan": plan,
            "access": access,
            "form": form,
            "heading": _("Save a version of the plan"),
            "intro": _(
                "The whole plan as it stands now — results, actions, indicators and budget "
                "lines — is frozen in the version. Later changes do not alter it."
            ),
            "cancel_url": _list_url(plan),
            "submission_token": token or submissions.new_token(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def version_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Change a version's label and changelog; the adopted version refuses."""
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    version = _version(plan, number, with_snapshot=False)
    form = VersionForm(
        request.POST if request.method == "POST" else None,
        initial={"label": version.label, "changelog": version.changelog},
    )
    blocked = _("The adopted version cannot be changed.") if version.is_adopted else ""
    if not blocked and request.method == "POST" and form.is_valid():
        try:
            services.plan_version_update(
                actor=request.user,  # type: ignore[arg-type]
                version=version,
                label=form.cleaned_data["label"],
                changelog=form.cleaned_data["changelog"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved: %(item)s") % {"item": version})
            return HttpResponseRedirect(reverse("versions:detail", args=[slug, version.number]))
    return render(
        request,
        "plans/versions/form.html",
        {
            "plan": plan,
            "access": access,
            "form": form,
            "heading": _("Edit: %(item)s") % {"item": version},
            "cancel_url": reverse("versions:detail", args=[slug, version.number]),
            "blocked": blocked,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A version read-only, grouped like the matrix (no query beyond the version itself)."""
    plan, access = _plan_for(request, slug)
    version = _version(plan, number)
    return render(
        request,
        "plans/versions/detail.html",
        {
            "plan": plan,
            "access": access,
            "version": version,
            "readable": readable_snapshot(version.snapshot),
            "can_edit": access.can(PLAN_EDIT),
        },
    )


@login_required
def version_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Compare two versions, or a version with the current plan (``?a=1&b=current``)."""
    plan, access = _plan_for(request, slug)
    versions = list(plan.versions.defer("snapshot").order_by("-number"))
    adopted = next((v for v in versions if v.is_adopted), None)
    default_a = str(adopted.number) if adopted else (str(versions[0].number) if versions else "")
    a = request.GET.get("a") or default_a
    b = request.GET.get("b") or CURRENT
    comparison = None
    sides: dict[str, str] = {}
    if versions:
        snapshots: dict[str, Any] = {}
        wanted = {side for side in (a, b) if side != CURRENT}
        numbers = {int(side) for side in wanted if side.isdigit() and len(side) <= 9}
        if len(numbers) != len(wanted):
            raise Http404
        found = {
            str(v.number): v for v in plan.versions.filter(number__in=numbers).select_related()
        }
        if len(found) != len(numbers):
            raise Http404
        for side in (a, b):
            if side == CURRENT:
                snapshots[side] = plan_snapshot(plan)
                sides[side] = _("the current plan")
            else:
                snapshots[side] = found[side].snapshot
                sides[side] = str(found[side])
        comparison = compare(snapshots[a], snapshots[b])
    return render(
        request,
        "plans/versions/compare.html",
        {
            "plan": plan,
            "access": access,
            "versions": versions,
            "a": a,
            "b": b,
            "a_label": sides.get(a, ""),
            "b_label": sides.get(b, ""),
            "comparison": comparison,
            "current": CURRENT,
        },
    )


@login_required
def plan_adopt(request: HttpRequest, slug: str) -> HttpResponse:
    """Record the adoption: legal act and adopted version; the plan moves to implementing."""
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    versions = list(plan.versions.defer("snapshot").order_by("-number"))
    form = AdoptionForm(
        request.POST if request.method == "POST" else None,
        versions=versions,
        initial={
            "legal_act_number": plan.legal_act_number,
            "legal_act_date": plan.legal_act_date,
            "legal_act_issuer": plan.legal_act_issuer,
        },
    )
    blocked = (
        _("This plan is already adopted (status: %(status)s).")
        % {"status": plan.get_status_display()}
        if plan.is_frozen
        else ""
    )
    if not blocked and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = data["version"]
        version = None if chosen == CURRENT else plan.versions.get(number=int(chosen))
        try:
            adopted = services.plan_adopt(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                version=version,
                label=data["label"] or "",
                legal_act_number=data["legal_act_number"],
                legal_act_date=data["legal_act_date"],
                legal_act_issuer=data["legal_act_issuer"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The plan is adopted; %(version)s is frozen.") % {"version": adopted}
            )
            return HttpResponseRedirect(reverse("versions:detail", args=[slug, adopted.number]))
    return render(
        request,
        "plans/versions/form.html",
        {
            "plan": plan,
            "access": access,
            "form": form,
            "heading": _("Record the adoption"),
            "intro": _(
                "Record the legal act that adopted the plan and the version it adopted. The "
                "plan then moves to implementation: the adopted version can no longer change "
                "and every later change to the plan needs a reason."
            ),
            "cancel_url": _list_url(plan),
            "blocked": blocked,
            "button": _("Record the adoption"),
        },
        status=400 if request.method == "POST" else 200,
    )
