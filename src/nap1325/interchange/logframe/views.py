"""Pages of the Excel logframe: download, upload → preview → confirm (coordinators)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nap1325.core.permissions import PLAN_EDIT, plan_access
from nap1325.interchange import services
from nap1325.interchange.models import ImportPreview
from nap1325.plans import selectors
from nap1325.plans.models import Plan

from . import columns as cols
from .export import export_logframe
from .plan_diff import CHANGE, CREATE


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in logframe (.xlsx)"),
        help_text=gettext_lazy("Or the plan's own export, or the framework JSON of open data."),
    )


class ConfirmForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the changes"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _plan(request: HttpRequest, slug: str) -> tuple[Plan, object]:
    try:
        plan = selectors.plan_by_slug(slug)
    except Plan.DoesNotExist:
        raise Http404 from None
    access = plan_access(request.user, plan)
    access.require(PLAN_EDIT)
    return plan, access


@login_required
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the template or the plan's logframe; upload a filled one."""
    plan, access = _plan(request, slug)
    return render(
        request,
        "interchange/logframe_index.html",
        {
            "plan": plan,
            "access": access,
            "form": UploadForm(),
            "download_languages": settings.LANGUAGES,
            "current_language": get_language(),
            "sheets": [
                cols.sheets(plan.tier_labels, languages=True)[key] for key in cols.DATA_SHEETS
            ],
        },
    )


@login_required
def download(request: HttpRequest, slug: str) -> HttpResponse:
    """The workbook: ``?lang=ru`` (instructions and labels), ``?empty=1`` (template)."""
    plan, _access = _plan(request, slug)
    languages = {code for code, _name in settings.LANGUAGES}
    language = request.GET.get("lang") or get_language()
    if language not in languages:
        language = settings.LANGUAGE_CODE
    empty = request.GET.get("empty") == "1"
    data = export_logframe(plan, language=language, empty=empty)
    name = f"{plan.slug}-logframe{'-template' if empty else ''}-{language}.xlsx"
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Keep the file and show its preview."""
    plan, access = _plan(request, slug)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            preview = services.import_preview_create(
                actor=request.user, plan=plan, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error.message_dict.get("file", error.messages))
        else:
            return HttpResponseRedirect(reverse("logframe:preview", args=[plan.slug, preview.pk]))
    return render(
        request,
        "interchange/logframe_index.html",
        {
            "plan": plan,
            "access": access,
            "form": form,
            "download_languages": settings.LANGUAGES,
            "current_language": get_language(),
            "sheets": [
                cols.sheets(plan.tier_labels, languages=True)[key] for key in cols.DATA_SHEETS
            ],
        },
        status=400,
    )


@login_required
def preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """What the file will create, change and leave alone, its problems; confirm (POST)."""
    plan, access = _plan(request, slug)
    found = ImportPreview.objects.filter(pk=pk, plan=plan, user=request.user).first()
    if found is None:
        raise Http404
    found.plan = plan
    form = ConfirmForm(request.POST or None)
    stale = False
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if plan.is_frozen and not reason.strip():
            form.add_error("reason", _("This plan is adopted: give a reason for the changes."))
        else:
            try:
                result = services.import_preview_confirm(
                    actor=request.user, preview=found, reason=reason
                )
            except services.PlanChanged:
                stale = True
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if result.applied:
                    messages.success(
                        request,
                        _("Imported %(file)s: %(summary)s")
                        % {"file": found.file_name, "summary": "; ".join(result.summary_lines())},
                    )
                    return HttpResponseRedirect(reverse("plans:matrix", args=[plan.slug]))
    if stale:
        # the plan moved on: the preview is compared again, against the plan as it is now
        found.plan_mark = services.plan_mark(plan)
        found.save(update_fields=["plan_mark"])
    try:
        result = services.import_preview_check(actor=request.user, preview=found)
        problems = [str(p) for p in result.all_problems]
        unreadable = ""
    except Exception as error:  # noqa: BLE001 - an unreadable file is shown, never a 500
        from .reader import UnreadableFile

        if not isinstance(error, UnreadableFile | ValidationError):
            raise
        result, problems = None, []
        unreadable = " ".join(getattr(error, "messages", [str(error)]))
    changeset = result.changeset if result else None
    return render(
        request,
        "interchange/logframe_preview.html",
        {
            "plan": plan,
            "access": access,
            "preview": found,
            "form": form,
            "stale": stale,
            "unreadable": unreadable,
            "problems": problems,
            "counts": changeset.counts() if changeset else {},
            "created": changeset.of(CREATE) if changeset else [],
            "changed": changeset.of(CHANGE) if changeset else [],
            "warnings": changeset.warnings if changeset else [],
            "needs_reason": plan.is_frozen,
        },
    )
