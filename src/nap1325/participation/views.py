"""Pages of consultations, inputs and dispositions, coverage and shadow assessments.
Thin: access check, form, service, template (DESIGN.md §7).

Who (DESIGN.md §2; docs/decisions.md "Participation"): every plan member with PLAN_VIEW
reads everything here (nothing is public until the portal shows published consultations);
the secretariat (PLAN_EDIT) records consultations and decides dispositions; civil-society
monitors (SHADOW_ASSESS) record inputs and shadow assessments. Others: 404; members who may
not act: 403.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nap1325.coordination.forms import DocumentForm
from nap1325.core.forms import add_errors
from nap1325.core.params import parse_id
from nap1325.core.permissions import (
    PLAN_EDIT,
    SHADOW_ASSESS,
    PlanAccess,
)
from nap1325.core.permissions import plan_for_request as _plan_for
from nap1325.monitoring.models import ReportingPeriod
from nap1325.participation import selectors, services
from nap1325.participation.forms import (
    ConsultationForm,
    DeclineForm,
    InputForm,
    LinkForm,
    ShadowAssessmentForm,
)
from nap1325.participation.models import (
    Consultation,
    Disposition,
    Input,
    ShadowAssessment,
    StakeholderGroup,
)
from nap1325.plans.models import Action, Indicator, Plan

M = TypeVar("M", bound=Model)


def _get(lookup: Callable[[], M]) -> M:
    try:
        return lookup()
    except ObjectDoesNotExist:
        raise Http404 from None


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _consultation_url(consultation: Consultation, anchor: str = "") -> str:
    url = reverse("participation:consultation", args=[consultation.plan.slug, consultation.pk])
    return f"{url}#{anchor}" if anchor else url


def _input_url(plan: Plan, inp: Input) -> str:
    return reverse("participation:input", args=[plan.slug, inp.pk])


def _can_record(access: PlanAccess) -> bool:
    return access.can(PLAN_EDIT) or access.can(SHADOW_ASSESS)


def _form_page(
    request: HttpRequest,
    plan: Plan,
    access: PlanAccess,
    form: BaseForm,
    save: Callable[[], Any],
    *,
    heading: str,
    back: tuple[str, str],
    done: Callable[[Any], str],
    context: dict[str, Any] | None = None,
    template: str = "coordination/form.html",
) -> HttpResponse:
    """Render ``form``; on a valid POST call ``save()`` and redirect to ``done``."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved: %(item)s") % {"item": obj})
            return HttpResponseRedirect(done(obj))
    return render(
        request,
        template,
        {
            "plan": plan,
            "access": access,
            "form": form,
            "heading": heading,
            "back_url": back[0],
            "back_label": back[1],
            **(context or {}),
        },
        status=400 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- consultations


@login_required
def consultation_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's consultations with participants by sex and their inputs."""
    plan, access = _plan_for(request, slug)
    return render(
        request,
        "participation/consultation_list.html",
        {
            "plan": plan,
            "access": access,
            "can_edit": access.can(PLAN_EDIT),
            "page": selectors.consultations_page(plan),
        },
    )


@login_required
def consultation_create(request: HttpRequest, slug: str) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    form = ConsultationForm(_data(request), instance=Consultation(plan=plan))

    def save() -> Consultation:
        values, counts = form.service_values()
        consultation = services.consultation_create(
            actor=request.user, plan=plan, group_counts=counts, **values
        )
        for warning in services.consultation_warnings(consultation):
            messages.warning(request, warning)
        return consultation

    return _form_page(
        request,
        plan,
        access,
        form,
        save,
        heading=_("Record a consultation"),
        back=(reverse("participation:consultations", args=[plan.slug]), _("Consultations")),
        done=_consultation_url,
    )


@login_required
def consultation_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    consultation = _get(lambda: selectors.consultation_of(plan, pk))
    counts = dict(consultation.group_counts.values_list("group", "count"))
    form = ConsultationForm(
        _data(request),
        instance=selectors.consultation_of(plan, pk),
        group_counts=counts,
    )

    def save() -> Consultation:
        values, group_counts = form.service_values()
        result = services.consultation_update(
            actor=request.user, consultation=consultation, group_counts=group_counts, **values
        )
        for warning in services.consultation_warnings(result):
            messages.warning(request, warning)
        return result

    return _form_page(
        request,
        plan,
        access,
        form,
        save,
        heading=_("Edit: %(item)s") % {"item": consultation},
        back=(_consultation_url(consultation), str(consultation)),
        done=_consultation_url,
    )


@login_required
def consultation_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A consultation: facts, participants by sex and group, summary, documents, inputs."""
    plan, access = _plan_for(request, slug)
    consultation = _get(lambda: selectors.consultation_of(plan, pk))
    return render(
        request,
        "participation/consultation_detail.html",
        {
            "plan": plan,
            "access": access,
            "can_edit": access.can(PLAN_EDIT),
            "can_record": _can_record(access),
            "consultation": consultation,
            "page": selectors.consultation_page(consultation),
            "warnings": services.consultation_warnings(consultation),
        },
    )


@login_required
@require_POST
def consultation_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Publish (``published=1``) or make internal again (``published=0``)."""
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    consultation = _get(lambda: selectors.consultation_of(plan, pk))
    published = request.POST.get("published") == "1"
    services.consultation_publish(
        actor=request.user, consultation=consultation, published=published
    )
    messages.success(
        request,
        _("Published: %(item)s") % {"item": consultation}
        if published
        else _("Internal again: %(item)s") % {"item": consultation},
    )
    return HttpResponseRedirect(_consultation_url(consultation))


@login_required
def document_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    consultation = _get(lambda: selectors.consultation_of(plan, pk))
    form = DocumentForm(_data(request), request.FILES if request.method == "POST" else None)
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda: services.consultation_document_add(
            actor=request.user,
            consultation=consultation,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        ),
        heading=_("Add a document"),
        back=(_consultation_url(consultation), str(consultation)),
        done=lambda obj: _consultation_url(consultation, "documents"),
    )


@login_required
def document_download(request: HttpRequest, slug: str, pk: int, doc_pk: int) -> FileResponse:
    """The file, streamed through the storage API after the permission check."""
    plan, _access = _plan_for(request, slug)
    consultation = _get(lambda: selectors.consultation_of(plan, pk))
    document = _get(lambda: selectors.document_of(consultation, doc_pk))
    return _file_response(document.file, document.original_name)


def _file_response(file: Any, name: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_remove(request: HttpRequest, slug: str, pk: int, doc_pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    consultation = _get(lambda: selectors.consultation_of(plan, pk))
    document = _get(lambda: selectors.document_of(consultation, doc_pk))
    back = _consultation_url(consultation, "documents")
    if request.method == "POST":
        services.consultation_document_remove(actor=request.user, document=document)
        messages.success(request, _("Removed: %(item)s") % {"item": document})
        return HttpResponseRedirect(back)
    return render(
        request,
        "participation/confirm.html",
        {
            "plan": plan,
            "access": access,
            "heading": _("Remove document “%(item)s”?") % {"item": document},
            "explanation": _("The file is deleted; the plan's history keeps its name."),
            "button": _("Remove"),
            "back_url": back,
        },
    )


# --------------------------------------------------------------------------- inputs


@login_required
def input_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record an input raised at a consultation (secretariat or civil-society monitor)."""
    plan, access = _plan_for(request, slug)
    if not _can_record(access):
        raise PermissionDenied
    consultation = _get(lambda: selectors.consultation_of(plan, pk))
    form = InputForm(
        _data(request),
        instance=Input(consultation=consultation, region=consultation.region),
        show_illustrative=access.can(PLAN_EDIT),
    )
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda: services.input_create(
            actor=request.user, consultation=consultation, **form.service_values()
        ),
        heading=_("Record an input"),
        back=(_consultation_url(consultation), str(consultation)),
        done=lambda obj: _input_url(plan, obj),
        context={"intro": _("Consultation: %(item)s") % {"item": consultation}},
    )


@login_required
def input_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug)
    inp = _get(lambda: selectors.input_of(plan, pk))
    if not services.can_edit_input(request.user, inp):
        raise PermissionDenied
    form = InputForm(
        _data(request),
        instance=selectors.input_of(plan, pk),
        show_illustrative=access.can(PLAN_EDIT),
    )
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda: services.input_update(actor=request.user, inp=inp, **form.service_values()),
        heading=_("Edit the input"),
        back=(_input_url(plan, inp), _("Input")),
        done=lambda obj: _input_url(plan, obj),
    )


@login_required
def input_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An input, its links to actions with dispositions and reasons; the secretariat links,
    changes, removes and declines here."""
    plan, access = _plan_for(request, slug)
    inp = _get(lambda: selectors.input_of(plan, pk))
    can_edit = access.can(PLAN_EDIT)
    link_form = LinkForm(actions=selectors.plan_actions(plan)) if can_edit else None
    decline_form = DeclineForm(initial={"reason": inp.decline_reason}) if can_edit else None
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        what = request.POST.get("do")
        try:
            if what == "link":
                link_form = LinkForm(request.POST, actions=selectors.plan_actions(plan))
                if link_form.is_valid():
                    services.input_link_save(actor=request.user, inp=inp, **link_form.cleaned_data)
                    messages.success(request, _("Disposition saved."))
                    return HttpResponseRedirect(_input_url(plan, inp))
            elif what == "decline":
                decline_form = DeclineForm(request.POST)
                if decline_form.is_valid():
                    services.input_decline(actor=request.user, inp=inp, **decline_form.cleaned_data)
                    messages.success(request, _("Disposition saved."))
                    return HttpResponseRedirect(_input_url(plan, inp))
            elif what == "unlink":
                link_id = parse_id(request.POST.get("link"))
                link = next((x for x in inp.links.all() if x.pk == link_id), None)
                if link is None:
                    raise Http404
                services.input_link_remove(actor=request.user, link=link)
                messages.success(request, _("Link removed."))
                return HttpResponseRedirect(_input_url(plan, inp))
            else:
                raise Http404
        except ValidationError as error:
            add_errors(link_form if what == "link" else decline_form, error)  # type: ignore[arg-type]
        status = 400
    return render(
        request,
        "participation/input_detail.html",
        {
            "plan": plan,
            "access": access,
            "can_edit": can_edit,
            "can_change": services.can_edit_input(request.user, inp),
            "input": inp,
            "consultation": inp.consultation,
            "link_form": link_form,
            "decline_form": decline_form,
        },
        status=status,
    )


@login_required
def input_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's inputs, filtered by disposition, pillar, group, region (the coverage
    page's counts open this list)."""
    plan, access = _plan_for(request, slug)
    wanted = selectors.InputFilter.from_query(request.GET)
    inputs = selectors.inputs_filtered(plan, wanted)
    return render(
        request,
        "participation/input_list.html",
        {
            "plan": plan,
            "access": access,
            "inputs": inputs,
            "wanted": wanted,
            "filter_text": _filter_text(wanted),
        },
    )


def _filter_text(wanted: selectors.InputFilter) -> list[str]:
    from nap1325.library.models import Pillar

    parts = []
    none = _("not given")
    if wanted.undecided:
        parts.append(_("no disposition yet"))
    if wanted.disposition:
        parts.append(
            str(dict(Disposition.choices).get(wanted.disposition, _("no disposition yet")))
        )
    if wanted.pillar:
        pillar = Pillar.objects.filter(key=wanted.pillar).first()
        parts.append(pillar.display_name if pillar else none)
    if wanted.group:
        parts.append(str(dict(StakeholderGroup.choices).get(wanted.group, none)))
    if wanted.region:
        parts.append(none if wanted.region == selectors.NONE else wanted.region)
    return parts


@login_required
def coverage(request: HttpRequest, slug: str) -> HttpResponse:
    """Inputs without a disposition, and counts by disposition, pillar, group and region."""
    plan, access = _plan_for(request, slug)
    data = selectors.coverage(plan)
    list_url = reverse("participation:inputs", args=[plan.slug])
    return render(
        request,
        "participation/coverage.html",
        {
            "plan": plan,
            "access": access,
            "coverage": data,
            "list_url": list_url,
            "tables": [
                (_("By disposition"), data.by_disposition),
                (_("By pillar"), data.by_pillar),
                (_("By group raising it"), data.by_group),
                (_("By region"), data.by_region),
            ],
            "undecided_url": f"{list_url}?{urlencode({'undecided': '1'})}",
        },
    )


# --------------------------------------------------------------------------- shadow assessments


@login_required
def shadow_list(request: HttpRequest, slug: str) -> HttpResponse:
    """All shadow assessments beside the government's approved status, with flags."""
    plan, access = _plan_for(request, slug)
    period_id = parse_id(request.GET.get("period"))
    period = ReportingPeriod.objects.filter(plan=plan, pk=period_id).first() if period_id else None
    return render(
        request,
        "participation/shadow_list.html",
        {
            "plan": plan,
            "access": access,
            "can_assess": access.can(SHADOW_ASSESS),
            "assess_org_ids": _assess_org_ids(request, plan, access),
            "page": selectors.shadow_page(plan, period),
            "selected_period": period,
        },
    )


def _assess_org_ids(request: HttpRequest, plan: Plan, access: PlanAccess) -> set[int]:
    """Organisations whose assessments the user may change (none without SHADOW_ASSESS)."""
    if not access.can(SHADOW_ASSESS):
        return set()
    return {o.pk for o in services.monitor_organisations(request.user, plan)}


def _element(plan: Plan, request: HttpRequest) -> tuple[Action | None, Indicator | None]:
    action_id = parse_id(request.GET.get("action"))
    indicator_id = parse_id(request.GET.get("indicator"))
    if action_id is not None:
        return _get(lambda: Action.objects.get(plan=plan, pk=action_id, is_archived=False)), None
    if indicator_id is not None:
        return None, _get(
            lambda: Indicator.objects.get(plan=plan, pk=indicator_id, is_archived=False)
        )
    raise Http404


@login_required
def shadow_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Write (or change) the assessment of ``?action=`` or ``?indicator=``."""
    plan, access = _plan_for(request, slug, SHADOW_ASSESS)
    action, indicator = _element(plan, request)
    organisations = services.monitor_organisations(request.user, plan)
    if not organisations:
        raise PermissionDenied
    periods = ReportingPeriod.objects.filter(plan=plan).order_by("-start")
    existing = None
    period_id = parse_id(request.GET.get("period"))
    if period_id is not None:
        existing = ShadowAssessment.objects.filter(
            plan=plan,
            period_id=period_id,
            organisation__in=organisations,
            action=action,
            indicator=indicator,
        ).first()
    initial: dict[str, Any] = {"period": period_id}
    if existing is not None:
        initial.update(
            organisation=existing.organisation_id,
            rating=existing.rating,
            narrative=existing.narrative,
            evidence_url=existing.evidence_url,
            version=existing.version,
        )
    form = ShadowAssessmentForm(
        _data(request),
        request.FILES if request.method == "POST" else None,
        initial=initial,
        periods=periods,
        organisations=organisations,
        plan=plan,
    )
    element = action or indicator
    back = (
        reverse("plans:action", args=[plan.slug, action.pk])
        if action is not None
        else reverse("participation:shadow", args=[plan.slug])
    )

    def save() -> ShadowAssessment:
        data = form.cleaned_data
        return services.shadow_assessment_save(
            actor=request.user,
            plan=plan,
            period=data["period"],
            organisation=form.chosen_organisation(),
            action=action,
            indicator=indicator,
            upload=data.get("evidence_file"),
            version=data.get("version"),
            rating=data["rating"],
            narrative=data["narrative"],
            evidence_url=data.get("evidence_url") or "",
        )

    return _form_page(
        request,
        plan,
        access,
        form,
        save,
        heading=_("Shadow assessment: %(item)s") % {"item": element},
        back=(back, str(element)),
        done=lambda obj: reverse("participation:shadow", args=[plan.slug]) + f"#shadow-{obj.pk}",
        context={
            "intro": _(
                "One assessment per organisation, period and element: saving again for the "
                "same period changes it, and the plan's history keeps the earlier version."
            )
        },
    )


@login_required
def shadow_evidence(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    plan, _access = _plan_for(request, slug)
    assessment = _get(lambda: selectors.shadow_of(plan, pk))
    if not assessment.evidence_file:
        raise Http404
    return _file_response(assessment.evidence_file, assessment.evidence_name)
