"""Pages of the working group, its events (agenda, outcomes, attendance, documents, minutes)
and media coverage. Thin: access check, form, service, template (DESIGN.md §7).

Who (DESIGN.md §2, issue 4 point 7): every member of the plan with PLAN_VIEW reads all of it
(nothing here is public yet); the secretariat (PLAN_EDIT) edits; the member assigned to
record an event's minutes may write them. Others: 404; members who may not act: 403.
"""

from __future__ import annotations

import copy
import mimetypes
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nap1325.coordination import selectors, services
from nap1325.coordination.forms import (
    AgendaItemForm,
    AttendanceOrganisationForm,
    AttendancePersonForm,
    DepartureForm,
    DocumentForm,
    EventForm,
    GroupMemberForm,
    MediaItemForm,
    MinutesForm,
    OutcomeForm,
    WorkingGroupForm,
)
from nap1325.coordination.markup import minutes_html
from nap1325.coordination.models import Event, GroupMember, MediaItem, WorkingGroup
from nap1325.core.forms import add_errors
from nap1325.core.params import parse_id
from nap1325.core.permissions import PLAN_EDIT, PlanAccess
from nap1325.core.permissions import plan_for_request as _plan_for
from nap1325.plans.models import Plan

M = TypeVar("M", bound=Model)


def _get(lookup: Callable[[], M]) -> M:
    """``lookup()`` or 404."""
    try:
        return lookup()
    except ObjectDoesNotExist:
        raise Http404 from None


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _copy(obj: M) -> M:
    """A copy for a ModelForm to write on, so the service still audits old → new."""
    return copy.copy(obj)


def _group_url(plan: Plan, anchor: str = "") -> str:
    url = reverse("coordination:group", args=[plan.slug])
    return f"{url}#{anchor}" if anchor else url


def _event_url(event: Event, anchor: str = "") -> str:
    url = reverse("coordination:event", args=[event.plan.slug, event.pk])
    return f"{url}#{anchor}" if anchor else url


def _attach(form: BaseForm, error: ValidationError, renames: dict[str, str] | None = None) -> None:
    """A service's errors onto ``form`` (renamed keys first; unknown keys go on top)."""
    if renames and hasattr(error, "error_dict"):
        error = ValidationError(
            {renames.get(key, key): value for key, value in error.error_dict.items()}
        )
    add_errors(form, error)


def _form_page(
    request: HttpRequest,
    plan: Plan,
    access: PlanAccess,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    heading: str,
    back: tuple[str, str],
    done: Callable[[Any], str],
    context: dict[str, Any] | None = None,
    renames: dict[str, str] | None = None,
) -> HttpResponse:
    """Render ``form``; on a valid POST call ``save(cleaned_data)`` and redirect to ``done``."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as error:
            _attach(form, error, renames)
        else:
            messages.success(request, _("Saved: %(item)s") % {"item": obj})
            return HttpResponseRedirect(done(obj))
    return render(
        request,
        "coordination/form.html",
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


def _confirm_page(
    request: HttpRequest,
    plan: Plan,
    access: PlanAccess,
    act: Callable[[], None],
    *,
    heading: str,
    explanation: str,
    button: str,
    back: str,
    done_message: str,
) -> HttpResponse:
    """Confirm (GET) and do (POST) a removal; a refusal is shown on the page."""
    errors: list[str] = []
    if request.method == "POST":
        try:
            act()
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, done_message)
            return HttpResponseRedirect(back)
    return render(
        request,
        "coordination/confirm.html",
        {
            "plan": plan,
            "access": access,
            "heading": heading,
            "explanation": explanation,
            "button": button,
            "back_url": back,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# --------------------------------------------------------------------------- working group


@login_required
def working_group(request: HttpRequest, slug: str) -> HttpResponse:
    """The group: legal act, lead, secretariat, current and former members, history."""
    plan, access = _plan_for(request, slug)
    today = services.today_in(plan)
    return render(
        request,
        "coordination/group.html",
        {
            "plan": plan,
            "access": access,
            "can_edit": access.can(PLAN_EDIT),
            "page": selectors.group_page(plan, today),
            "today": today,
        },
    )


@login_required
def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    group = selectors.group_of(plan)
    form = WorkingGroupForm(
        _data(request), instance=_copy(group) if group else WorkingGroup(plan=plan)
    )
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda data: services.working_group_save(actor=request.user, plan=plan, **data),
        heading=_("Edit the working group") if group else _("Set up the working group"),
        back=(_group_url(plan), _("Working group")),
        done=lambda obj: _group_url(plan),
    )


def _group_or_404(plan: Plan) -> WorkingGroup:
    group = selectors.group_of(plan)
    if group is None:
        raise Http404
    return group


@login_required
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    group = _group_or_404(plan)
    form = GroupMemberForm(
        _data(request),
        instance=GroupMember(group=group),
        users=selectors.plan_users(plan),
        plan=plan,
    )
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda data: services.group_member_add(actor=request.user, group=group, **data),
        heading=_("Add a member"),
        back=(_group_url(plan), _("Working group")),
        done=lambda obj: _group_url(plan, f"member-{obj.pk}"),
    )


@login_required
def member_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    member = _get(lambda: selectors.member_of(plan, pk))
    form = GroupMemberForm(
        _data(request), instance=_copy(member), users=selectors.plan_users(plan), plan=plan
    )
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda data: services.group_member_update(actor=request.user, member=member, **data),
        heading=_("Edit member: %(member)s") % {"member": member},
        back=(_group_url(plan), _("Working group")),
        done=lambda obj: _group_url(plan, f"member-{obj.pk}"),
    )


@login_required
def member_leave(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record that a member left the group on a date (history is kept)."""
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    member = _get(lambda: selectors.member_of(plan, pk))
    form = DepartureForm(_data(request), initial={"left_on": services.today_in(plan)})
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda data: services.group_member_update(
            actor=request.user, member=member, left_on=data["left_on"]
        ),
        heading=_("Record a departure: %(member)s") % {"member": member},
        back=(_group_url(plan), _("Working group")),
        done=lambda obj: _group_url(plan, "history"),
        context={
            "intro": _("Joined on %(date)s. The member moves to the former members.")
            % {"date": member.joined_on.isoformat()}
        },
    )


# --------------------------------------------------------------------------- events


@login_required
def event_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Upcoming and past events (filter by kind), with attendance and a summary per year."""
    plan, access = _plan_for(request, slug)
    kind = request.GET.get("kind", "")
    if kind not in Event.Kind.values:
        kind = ""
    today = services.today_in(plan)
    return render(
        request,
        "coordination/event_list.html",
        {
            "plan": plan,
            "access": access,
            "can_edit": access.can(PLAN_EDIT),
            "page": selectors.events_page(plan, today, kind),
            "kinds": Event.Kind.choices,
            "selected_kind": kind,
            "today": today,
        },
    )


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    form = EventForm(
        _data(request),
        instance=Event(plan=plan),
        users=selectors.plan_users(plan),
        time_zone=plan.time_zone,
    )
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda data: services.event_create(actor=request.user, plan=plan, **data),
        heading=_("Add an event"),
        back=(reverse("coordination:events", args=[plan.slug]), _("Events")),
        done=_event_url,
    )


@login_required
def event_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    event = _get(lambda: selectors.event_of(plan, pk))
    form = EventForm(
        _data(request),
        instance=_copy(event),
        users=selectors.plan_users(plan),
        time_zone=plan.time_zone,
    )
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda data: services.event_update(actor=request.user, event=event, **data),
        heading=_("Edit: %(item)s") % {"item": event},
        back=(_event_url(event), str(event)),
        done=_event_url,
    )


@login_required
def event_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An event: when (local, with the zone), where, who, agenda and outcomes, attendance,
    documents, minutes and media coverage."""
    plan, access = _plan_for(request, slug)
    event = _get(lambda: selectors.event_of(plan, pk))
    return render(
        request,
        "coordination/event_detail.html",
        {
            "plan": plan,
            "access": access,
            "can_edit": access.can(PLAN_EDIT),
            "can_record": services.can_record_minutes(request.user, event)
            if not access.can(PLAN_EDIT)
            else True,
            "page": selectors.event_page(event),
            "event": event,
            "minutes": minutes_html(event.minutes),
        },
    )


@login_required
def event_minutes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The minutes form: the secretariat or the assigned recorder; stale saves refused."""
    plan, access = _plan_for(request, slug)
    event = _get(lambda: selectors.event_of(plan, pk))
    if not services.can_record_minutes(request.user, event):
        raise PermissionDenied
    form = MinutesForm(_data(request), initial={"minutes": event.minutes, "version": event.version})
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda data: services.event_minutes_save(
            actor=request.user, event=event, minutes=data["minutes"], version=data["version"]
        ),
        heading=_("Minutes: %(item)s") % {"item": event},
        back=(_event_url(event), str(event)),
        done=lambda obj: _event_url(event, "minutes"),
        renames={"version": "minutes"},
    )


@login_required
@require_POST
def event_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Publish (``published=1``) or make internal again (``published=0``)."""
    plan, _access = _plan_for(request, slug, PLAN_EDIT)
    event = _get(lambda: selectors.event_of(plan, pk))
    published = request.POST.get("published") == "1"
    services.event_publish(actor=request.user, event=event, published=published)
    messages.success(
        request,
        _("Published: %(item)s") % {"item": event}
        if published
        else _("Internal again: %(item)s") % {"item": event},
    )
    return HttpResponseRedirect(_event_url(event))


# --------------------------------------------------------------------------- agenda, outcomes


@login_required
def agenda_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    event = _get(lambda: selectors.event_of(plan, pk))
    form = AgendaItemForm(_data(request))
    form.fields["order"].required = False

    def save(data: dict[str, Any]) -> Any:
        if data.get("order") is None:
            data.pop("order", None)
        return services.agenda_item_add(actor=request.user, event=event, **data)

    return _form_page(
        request,
        plan,
        access,
        form,
        save,
        heading=_("Add an agenda item"),
        back=(_event_url(event), str(event)),
        done=lambda obj: _event_url(event, f"agenda-{obj.pk}"),
        context={"intro": _("Leave the order empty to add the item at the end.")},
    )


@login_required
def agenda_edit(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    event = _get(lambda: selectors.event_of(plan, pk))
    item = _get(lambda: selectors.agenda_item_of(event, item_pk))
    item.event = event
    form = AgendaItemForm(_data(request), instance=_copy(item))
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda data: services.agenda_item_update(actor=request.user, item=item, **data),
        heading=_("Edit agenda item"),
        back=(_event_url(event), str(event)),
        done=lambda obj: _event_url(event, f"agenda-{obj.pk}"),
    )


@login_required
def agenda_remove(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    event = _get(lambda: selectors.event_of(plan, pk))
    item = _get(lambda: selectors.agenda_item_of(event, item_pk))
    item.event = event
    return _confirm_page(
        request,
        plan,
        access,
        lambda: services.agenda_item_remove(actor=request.user, item=item),
        heading=_("Remove agenda item “%(item)s”?") % {"item": item},
        explanation=_("Only items without recorded outcomes can be removed."),
        button=_("Remove"),
        back=_event_url(event, "agenda"),
        done_message=_("Removed: %(item)s") % {"item": item},
    )


@login_required
def outcome_add(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    """Record information, a decision or a task; a task enters the work plan."""
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    event = _get(lambda: selectors.event_of(plan, pk))
    item = _get(lambda: selectors.agenda_item_of(event, item_pk))
    item.event = event
    form = OutcomeForm(_data(request), users=selectors.plan_users(plan), plan=plan)

    def save(data: dict[str, Any]) -> Any:
        outcome = services.outcome_record(
            actor=request.user, agenda_item=item, **form.service_values()
        )
        if outcome.task is not None:
            for warning in services.planning_warnings(outcome.task):
                messages.warning(request, warning)
        return outcome

    return _form_page(
        request,
        plan,
        access,
        form,
        save,
        heading=_("Record an outcome"),
        back=(_event_url(event), str(event)),
        done=lambda obj: _event_url(event, f"outcome-{obj.pk}"),
        context={"intro": _("Agenda item: %(item)s") % {"item": item}},
        renames={
            "task_owner": "task_owner_organisation",
            "task_due": "task_due",
            "task_title": "task_title",
        },
    )


# --------------------------------------------------------------------------- attendance


@login_required
def attendance_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Add a person (with sex) or an organisation's delegation (counts by sex)."""
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    event = _get(lambda: selectors.event_of(plan, pk))
    mode = request.POST.get("mode") if request.method == "POST" else None
    person = AttendancePersonForm(
        _data(request) if mode == "person" else None, prefix="person", plan=plan
    )
    delegation = AttendanceOrganisationForm(
        _data(request) if mode == "organisation" else None, prefix="org", plan=plan
    )
    form: AttendancePersonForm | AttendanceOrganisationForm | None = (
        person if mode == "person" else delegation if mode == "organisation" else None
    )
    if form is not None and form.is_valid():
        try:
            row = services.attendance_add(actor=request.user, event=event, **form.service_values())
        except ValidationError as error:
            renames = {"women": "sex"} if form is person else None
            _attach(form, error, renames)
        else:
            messages.success(request, _("Added: %(item)s") % {"item": row})
            target = "attendance-add" if request.POST.get("another") else "attendance"
            if target == "attendance-add":
                return HttpResponseRedirect(
                    reverse("coordination:attendance_add", args=[plan.slug, event.pk])
                )
            return HttpResponseRedirect(_event_url(event, target))
    return render(
        request,
        "coordination/attendance_form.html",
        {
            "plan": plan,
            "access": access,
            "event": event,
            "person_form": person,
            "organisation_form": delegation,
            "back_url": _event_url(event, "attendance"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def attendance_remove(request: HttpRequest, slug: str, pk: int, row_pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    event = _get(lambda: selectors.event_of(plan, pk))
    row = _get(lambda: selectors.attendance_of(event, row_pk))
    row.event = event
    return _confirm_page(
        request,
        plan,
        access,
        lambda: services.attendance_remove(actor=request.user, attendance=row),
        heading=_("Remove “%(item)s” from the attendance list?") % {"item": row},
        explanation="",
        button=_("Remove"),
        back=_event_url(event, "attendance"),
        done_message=_("Removed: %(item)s") % {"item": row},
    )


# --------------------------------------------------------------------------- documents


@login_required
def document_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    event = _get(lambda: selectors.event_of(plan, pk))
    form = DocumentForm(_data(request), request.FILES if request.method == "POST" else None)
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda data: services.event_document_add(
            actor=request.user, event=event, upload=data["file"], title=data["title"]
        ),
        heading=_("Add a document"),
        back=(_event_url(event), str(event)),
        done=lambda obj: _event_url(event, "documents"),
    )


@login_required
def document_download(request: HttpRequest, slug: str, pk: int, doc_pk: int) -> FileResponse:
    """The file, streamed through the storage API after the permission check."""
    plan, _access = _plan_for(request, slug)
    event = _get(lambda: selectors.event_of(plan, pk))
    document = _get(lambda: selectors.document_of(event, doc_pk))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(document.original_name)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_remove(request: HttpRequest, slug: str, pk: int, doc_pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    event = _get(lambda: selectors.event_of(plan, pk))
    document = _get(lambda: selectors.document_of(event, doc_pk))
    document.event = event
    return _confirm_page(
        request,
        plan,
        access,
        lambda: services.event_document_remove(actor=request.user, document=document),
        heading=_("Remove document “%(item)s”?") % {"item": document},
        explanation=_("The file is deleted; the plan's history keeps its name."),
        button=_("Remove"),
        back=_event_url(event, "documents"),
        done_message=_("Removed: %(item)s") % {"item": document},
    )


# --------------------------------------------------------------------------- media


@login_required
def media_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's media coverage (outlet, title, language, date, event, link)."""
    plan, access = _plan_for(request, slug)
    return render(
        request,
        "coordination/media_list.html",
        {
            "plan": plan,
            "access": access,
            "can_edit": access.can(PLAN_EDIT),
            "items": selectors.media_of_plan(plan),
        },
    )


def _media_back(plan: Plan, event: Event | None) -> tuple[str, str]:
    if event is not None:
        return _event_url(event, "media"), str(event)
    return reverse("coordination:media", args=[plan.slug]), _("Media coverage")


@login_required
def media_add(request: HttpRequest, slug: str) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    events = selectors.plan_events(plan)
    event_id = parse_id(request.GET.get("event"))
    event = events.filter(pk=event_id).first() if event_id is not None else None
    form = MediaItemForm(_data(request), instance=MediaItem(plan=plan, event=event), events=events)

    def done(obj: MediaItem) -> str:
        return _media_back(plan, obj.event)[0]

    return _form_page(
        request,
        plan,
        access,
        form,
        lambda data: services.media_item_create(actor=request.user, plan=plan, **data),
        heading=_("Add media coverage"),
        back=_media_back(plan, event),
        done=done,
    )


@login_required
def media_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    item = _get(lambda: selectors.media_item_of(plan, pk))
    form = MediaItemForm(_data(request), instance=_copy(item), events=selectors.plan_events(plan))
    return _form_page(
        request,
        plan,
        access,
        form,
        lambda data: services.media_item_update(actor=request.user, item=item, **data),
        heading=_("Edit media coverage"),
        back=(reverse("coordination:media", args=[plan.slug]), _("Media coverage")),
        done=lambda obj: reverse("coordination:media", args=[plan.slug]) + f"#media-{obj.pk}",
    )


@login_required
def media_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, slug, PLAN_EDIT)
    item = _get(lambda: selectors.media_item_of(plan, pk))
    return _confirm_page(
        request,
        plan,
        access,
        lambda: services.media_item_remove(actor=request.user, item=item),
        heading=_("Remove “%(item)s” from the media coverage?") % {"item": item},
        explanation="",
        button=_("Remove"),
        back=reverse("coordination:media", args=[plan.slug]),
        done_message=_("Removed: %(item)s") % {"item": item},
    )
