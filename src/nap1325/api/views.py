"""The REST API's endpoints: thin views over :mod:`nap1325.api.selectors` (reads) and
:mod:`nap1325.monitoring.services` (writes). See docs/api.md.

Every view: the request's language (``?lang=`` or ``Accept-Language``), the plan as the
caller may read it (404 otherwise), strict filters (400 naming the parameter), a bounded
page, and one error format (:mod:`nap1325.api.errors`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nap1325.api import serializers as s
from nap1325.api.errors import service_errors
from nap1325.api.params import bool_param, choice_param, date_param, id_param
from nap1325.api.selectors import PlanView, checked_id, memberships_of, plan_view, plans_for
from nap1325.coordination.models import Event
from nap1325.core.permissions import REPORT_EDIT, REPORT_REVIEW
from nap1325.monitoring import selectors as monitoring_selectors
from nap1325.monitoring import services
from nap1325.monitoring.models import AgencyReport, IndicatorValue, ReportingPeriod
from nap1325.participation.models import Consultation
from nap1325.plans.models import Action, Indicator, Plan, Result

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def select_language(request: Request) -> None:
    """Activate ``?lang=`` (one of the platform's languages) for this request; an unknown
    code is a 400. Without it, ``Accept-Language`` was already negotiated by Django's
    LocaleMiddleware (a language we do not have falls back to English)."""
    code = request.query_params.get("lang")
    if code is None:
        return
    code = code.strip().lower()
    if code not in LANGUAGES:
        raise ValidationError(
            {
                "lang": [
                    _("Unknown language; use one of: %(codes)s.") % {"codes": ", ".join(LANGUAGES)}
                ]
            }
        )
    translation.activate(code)
    request._request.LANGUAGE_CODE = code


class ApiView(generics.GenericAPIView):  # type: ignore[type-arg]
    """Base of every endpoint: language selection and the plan as the caller sees it."""

    #: the model listed, for the schema generator (which runs without a request)
    model: type[Model] | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        select_language(request)
        super().initial(request, *args, **kwargs)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers["Content-Language"] = translation.get_language() or "en"
        return response

    def fake(self) -> bool:
        return getattr(self, "swagger_fake_view", False)

    def plan_view(self) -> PlanView:
        if not hasattr(self, "_plan_view"):
            self._plan_view = plan_view(self.request.user, self.kwargs["slug"])
        return self._plan_view

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if "slug" in self.kwargs and not self.fake():
            view = self.plan_view()
            context.update(plan=view.plan, access=view.access, internal=view.internal)
        return context

    def empty(self) -> QuerySet[Any]:
        assert self.model is not None
        return self.model._default_manager.none()


class PlanListView(generics.ListAPIView, ApiView):  # type: ignore[type-arg]
    """Plans you may read: published plans, and those you hold a role on."""

    serializer_class = s.PlanSerializer
    model = Plan

    @extend_schema(
        parameters=[
            OpenApiParameter("country", str, description="ISO 3166-1 alpha-2 code, e.g. KG."),
            OpenApiParameter("status", str, enum=Plan.Status.values),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Plan]:
        if self.fake():
            return Plan.objects.none()
        rows = plans_for(self.request.user)
        country = self.request.query_params.get("country")
        if country is not None and country.strip():
            code = country.strip().upper()
            if len(code) != 2 or not code.isascii() or not code.isalpha():
                raise ValidationError({"country": [_("Use a two-letter country code, e.g. KG.")]})
            rows = rows.filter(country=code)
        if (state := choice_param(self.request, "status", Plan.Status.values)) is not None:
            rows = rows.filter(status=state)
        return rows


class PlanDetailView(ApiView):
    """One plan, with the roles you hold on it."""

    serializer_class = s.PlanDetailSerializer

    def get(self, request: Request, slug: str) -> Response:
        view = self.plan_view()
        return Response(self.get_serializer(view.plan).data)


class PlanListEndpoint(generics.ListAPIView, ApiView):  # type: ignore[type-arg]
    """A list inside one plan: the rows the caller may read, filtered, one page."""

    def rows(self, view: PlanView) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if self.fake():
            return self.empty()
        return self.rows(self.plan_view())


class PlanDetailEndpoint(ApiView):
    """One row inside one plan; 404 if the caller may not read it."""

    def rows(self, view: PlanView) -> QuerySet[Any]:
        raise NotImplementedError

    def get(self, request: Request, slug: str, pk: int) -> Response:
        row = self.rows(self.plan_view()).filter(pk=checked_id(pk)).first()
        if row is None:
            raise Http404
        return Response(self.get_serializer(row).data)


def _id_filter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, int, description=description)


RESULT_FILTERS = [
    _id_filter("parent", "Only the children of this result."),
    OpenApiParameter("tier", int, description="Only this tier (0 = top tier)."),
    OpenApiParameter("top", bool, description="true: only top-tier results."),
]


class ResultListView(PlanListEndpoint):
    """The plan's results (objectives, tasks, outputs …), top tier first."""

    serializer_class = s.ResultSerializer
    model = Result

    @extend_schema(parameters=RESULT_FILTERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def rows(self, view: PlanView) -> QuerySet[Result]:
        rows = view.results()
        if (parent := id_param(self.request, "parent")) is not None:
            rows = rows.filter(parent_id=parent)
        tier = self.request.query_params.get("tier")
        if tier is not None and tier.strip():
            if not (tier.strip().isascii() and tier.strip().isdigit() and int(tier) < 10):
                raise ValidationError({"tier": [_("Enter a tier number: 0 for the top tier.")]})
            rows = rows.filter(depth=int(tier))
        if bool_param(self.request, "top"):
            rows = rows.filter(parent__isnull=True)
        return rows


class ResultDetailView(PlanDetailEndpoint):
    serializer_class = s.ResultSerializer

    def rows(self, view: PlanView) -> QuerySet[Result]:
        return view.results()


class ActionListView(PlanListEndpoint):
    """The plan's actions with lead agency and partners."""

    serializer_class = s.ActionSerializer
    model = Action

    @extend_schema(
        parameters=[
            _id_filter("result", "Only actions directly under this result."),
            _id_filter("lead_agency", "Only actions this organisation leads."),
            OpenApiParameter("status", str, enum=Action.Status.values),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def rows(self, view: PlanView) -> QuerySet[Action]:
        rows = view.actions()
        if (result := id_param(self.request, "result")) is not None:
            rows = rows.filter(result_id=result)
        if (lead := id_param(self.request, "lead_agency")) is not None:
            rows = rows.filter(lead_agency_id=lead)
        if (state := choice_param(self.request, "status", Action.Status.values)) is not None:
            rows = rows.filter(status=state)
        return rows


class ActionDetailView(PlanDetailEndpoint):
    serializer_class = s.ActionSerializer

    def rows(self, view: PlanView) -> QuerySet[Action]:
        return view.actions()


class IndicatorListView(PlanListEndpoint):
    """The plan's indicators with baseline, target, breakdowns and period targets."""

    serializer_class = s.IndicatorSerializer
    model = Indicator

    @extend_schema(
        parameters=[
            _id_filter("result", "Only indicators on this result."),
            _id_filter("action", "Only indicators on this action."),
            OpenApiParameter("measure", str, enum=Indicator.Measure.values),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def rows(self, view: PlanView) -> QuerySet[Indicator]:
        rows = view.indicators()
        if (result := id_param(self.request, "result")) is not None:
            rows = rows.filter(result_id=result)
        if (action := id_param(self.request, "action")) is not None:
            rows = rows.filter(action_id=action)
        measure = choice_param(self.request, "measure", Indicator.Measure.values)
        if measure is not None:
            rows = rows.filter(measure=measure)
        return rows


class IndicatorDetailView(PlanDetailEndpoint):
    serializer_class = s.IndicatorSerializer

    def rows(self, view: PlanView) -> QuerySet[Indicator]:
        return view.indicators()


class PeriodListView(PlanListEndpoint):
    """The plan's reporting periods, earliest first."""

    serializer_class = s.PeriodSerializer
    model = ReportingPeriod

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=ReportingPeriod.State.values)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def rows(self, view: PlanView) -> QuerySet[ReportingPeriod]:
        rows = view.periods()
        state = choice_param(self.request, "state", ReportingPeriod.State.values)
        if state is not None:
            rows = rows.filter(state=state)
        return rows


class PeriodDetailView(PlanDetailEndpoint):
    serializer_class = s.PeriodSerializer

    def rows(self, view: PlanView) -> QuerySet[ReportingPeriod]:
        return view.periods()


class ValueListView(PlanListEndpoint):
    """Approved (official) values, by period then indicator. Pending values are never
    here: those who may see them read them on the agency report."""

    serializer_class = s.OfficialValueSerializer
    model = IndicatorValue

    @extend_schema(
        parameters=[
            _id_filter("period", "Only values of this reporting period."),
            _id_filter("indicator", "Only values of this indicator."),
            _id_filter("organisation", "Only values reported by this organisation."),
        ],
        responses={200: s.OfficialValueSerializer(many=True), 403: OpenApiResponse()},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def rows(self, view: PlanView) -> QuerySet[IndicatorValue]:
        rows = view.official_values()
        if (period := id_param(self.request, "period")) is not None:
            rows = rows.filter(report__period_id=period)
        if (indicator := id_param(self.request, "indicator")) is not None:
            rows = rows.filter(indicator_id=indicator)
        if (organisation := id_param(self.request, "organisation")) is not None:
            rows = rows.filter(report__organisation_id=organisation)
        return rows


class EventListView(PlanListEndpoint):
    """Working-group meetings, seminars, trainings, study visits and hearings."""

    serializer_class = s.EventSerializer
    model = Event

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=Event.Kind.values),
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="Only events ending on or after this day."
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="Only events starting on or before this day."
            ),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def rows(self, view: PlanView) -> QuerySet[Event]:
        rows = view.events()
        if (kind := choice_param(self.request, "kind", Event.Kind.values)) is not None:
            rows = rows.filter(kind=kind)
        first = date_param(self.request, "from")
        last = date_param(self.request, "to")
        if first and last and last < first:
            raise ValidationError({"to": [_("This day is before the “from” day.")]})
        if first is not None:
            rows = rows.filter(end_date__gte=first)
        if last is not None:
            rows = rows.filter(start_date__lte=last)
        return rows


class EventDetailView(PlanDetailEndpoint):
    serializer_class = s.EventSerializer

    def rows(self, view: PlanView) -> QuerySet[Event]:
        return view.events()


# --------------------------------------------------------------------------- participation


class ConsultationListView(PlanListEndpoint):
    """Consultations, newest first, each with the inputs raised and their dispositions.

    Anonymous callers: published consultations of a published plan, with links to public
    actions only. Members: every consultation, as the internal pages show it.
    """

    serializer_class = s.ConsultationSerializer
    model = Consultation

    @extend_schema(
        parameters=[
            OpenApiParameter("level", str, enum=Consultation.Level.values),
            OpenApiParameter("region", str, description="Only consultations in this region."),
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="Only consultations on or after this day."
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="Only consultations on or before this day."
            ),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def rows(self, view: PlanView) -> QuerySet[Consultation]:
        rows = view.consultations()
        if (level := choice_param(self.request, "level", Consultation.Level.values)) is not None:
            rows = rows.filter(level=level)
        region = self.request.query_params.get("region")
        if region is not None and region.strip():
            rows = rows.filter(region__iexact=region.strip()[:120])
        first = date_param(self.request, "from")
        last = date_param(self.request, "to")
        if first and last and last < first:
            raise ValidationError({"to": [_("This day is before the “from” day.")]})
        if first is not None:
            rows = rows.filter(date__gte=first)
        if last is not None:
            rows = rows.filter(date__lte=last)
        return rows


class ConsultationDetailView(PlanDetailEndpoint):
    serializer_class = s.ConsultationSerializer

    def rows(self, view: PlanView) -> QuerySet[Consultation]:
        return view.consultations()


# --------------------------------------------------------------------------- reports

REPORT_ERRORS = {
    400: OpenApiResponse(description="Bad input: {field: [message]}."),
    403: OpenApiResponse(description="You may see the report but not do this."),
    404: OpenApiResponse(description="No such report, or not one you may see."),
    409: OpenApiResponse(
        description="Stale version, or the report's state or period refuses the change."
    ),
}


class ReportListView(PlanListEndpoint):
    """Agency reports you may see: coordinators all, focal points their organisation's."""

    serializer_class = s.ReportSerializer
    model = AgencyReport

    @extend_schema(
        parameters=[
            _id_filter("period", "Only reports of this period."),
            _id_filter("organisation", "Only reports of this organisation."),
            OpenApiParameter("state", str, enum=AgencyReport.State.values),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def rows(self, view: PlanView) -> QuerySet[AgencyReport]:
        rows = view.reports()
        if (period := id_param(self.request, "period")) is not None:
            rows = rows.filter(period_id=period)
        if (organisation := id_param(self.request, "organisation")) is not None:
            rows = rows.filter(organisation_id=organisation)
        if (state := choice_param(self.request, "state", AgencyReport.State.values)) is not None:
            rows = rows.filter(state=state)
        return rows


class ReportMixin(ApiView):
    """Reads one report the caller may see and answers with its detail."""

    serializer_class = s.ReportDetailSerializer

    def report(self) -> AgencyReport:
        return self.plan_view().report(checked_id(self.kwargs["pk"]))

    def detail(self, report: AgencyReport, code: int = status.HTTP_200_OK) -> Response:
        """The report with its working copy (what the report page shows; 8 queries)."""
        report = monitoring_selectors.report_of_plan(self.plan_view().plan, report.pk)
        indicators, actions = services.report_scope(report.plan, report.organisation)
        values, updates = services.read_entries(report, official=False)
        for name, rows in s.working_copy(values, updates, report.plan).items():
            setattr(report, name, rows)
        report.transition_rows = monitoring_selectors.report_transitions(report)
        report.scope_indicator_ids = [i.pk for i in indicators]
        report.scope_action_ids = [a.pk for a in actions]
        data = s.ReportDetailSerializer(report, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def require_edit(self, report: AgencyReport) -> None:
        self.plan_view().access.require(REPORT_EDIT, report)

    def require_review(self) -> None:
        self.plan_view().access.require(REPORT_REVIEW)


FIELD_KEY = re.compile(r"^(?P<kind>[ia])(?P<pk>\d+)-(?P<name>.+)$")


def request_paths(error: DjangoValidationError, data: dict[str, Any]) -> dict[str, list[str]]:
    """The services' field keys (``"i12-value"``, ``"a7-progress"``,
    ``"i12-cell-5-women"``) as paths into the request body (``"values.0.value"``,
    ``"updates.1.progress"``, ``"values.0.cells.3.amount"``), so that a client finds the
    entry it sent. Other keys (``"state"``, ``"period"``, ``"values"``) stay as they are."""
    values = {row["indicator"]: index for index, row in enumerate(data.get("values", []))}
    updates = {row["action"]: index for index, row in enumerate(data.get("updates", []))}
    found: dict[str, list[str]] = {}
    for key, messages in service_errors(error).items():
        match = FIELD_KEY.match(key)
        path = key
        if match:
            pk, name = int(match["pk"]), match["name"]
            if match["kind"] == "a" and pk in updates:
                path = f"updates.{updates[pk]}.{name}"
            elif match["kind"] == "i" and pk in values:
                index = values[pk]
                path = f"values.{index}.{name}"
                if name.startswith("cell-"):
                    path = _cell_path(data["values"][index], index, name, messages)
        found.setdefault(path, []).extend(messages)
    return found


def _cell_path(row: dict[str, Any], index: int, name: str, messages: list[str]) -> str:
    for position, cell in enumerate(row.get("cells") or []):
        if name == f"cell-{cell['breakdown']}-{cell['key']}":
            part = "key" if str(_("Unknown category.")) in messages else "amount"
            return f"values.{index}.cells.{position}.{part}"
    return f"values.{index}.cells"


class ReportDetailView(ReportMixin):
    """One agency report with its working copy; PATCH saves a draft (focal points)."""

    def get(self, request: Request, slug: str, pk: int) -> Response:
        return self.detail(self.report())

    @extend_schema(
        request=s.ReportSaveSerializer,
        responses={200: s.ReportDetailSerializer, **REPORT_ERRORS},
    )
    def patch(self, request: Request, slug: str, pk: int) -> Response:
        """Save values, action updates and narrative as a draft (the report form's Save).

        Send the ``version`` you read; if the report changed since, the answer is 409 and
        nothing is written. A repeat of a save that is already stored is not a conflict.
        """
        report = self.report()
        self.require_edit(report)
        form = s.ReportSaveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values, updates = form.inputs()
        narrative = form.validated_data.get("narrative")
        narratives = s.narratives_of(form.validated_data)
        unchanged = monitoring_selectors.working_copy_matches(
            report, narrative=narrative, narratives=narratives, values=values, updates=updates
        )
        if not (unchanged and report.is_editable and report.period.is_open):
            try:
                report = services.agency_report_save(
                    actor=request.user,
                    report=report,
                    version=form.validated_data["version"],
                    narrative=narrative,
                    narratives=narratives,
                    values=values,
                    updates=updates,
                )
            except DjangoValidationError as error:
                raise DjangoValidationError(request_paths(error, form.validated_data)) from None
        return self.detail(report)


def _step(name: str, doc: str, serializer: type[s.StrictSerializer]) -> Any:
    @extend_schema(
        request=serializer,
        responses={200: s.ReportDetailSerializer, **REPORT_ERRORS},
        description=doc,
    )
    def post(self: ReportMixin, request: Request, slug: str, pk: int) -> Response:
        report = self.report()
        form = serializer(data=request.data)
        if name == "submit":
            self.require_edit(report)
        else:
            self.require_review()
        form.is_valid(raise_exception=True)
        version = form.validated_data["version"]
        if name == "submit":
            report = services.agency_report_submit(
                actor=request.user, report=report, version=version
            )
        elif name == "approve":
            report = services.agency_report_approve(
                actor=request.user, report=report, version=version
            )
        elif name == "return":
            report = services.agency_report_return(
                actor=request.user,
                report=report,
                version=version,
                reason=form.validated_data["reason"],
            )
        else:
            report = services.agency_report_reopen(
                actor=request.user,
                report=report,
                version=version,
                reason=form.validated_data["reason"],
            )
        return self.detail(report)

    post.__doc__ = doc
    return type(f"Report{name.title()}View", (ReportMixin,), {"post": post, "__doc__": doc})


ReportSubmitView = _step(
    "submit",
    "Submit the report for review (focal points; from draft, returned or reopened). "
    "A repeated submit of the same version is a no-op.",
    s.VersionSerializer,
)
ReportApproveView = _step(
    "approve",
    "Approve a submitted report: its values become official (coordinators; not the person "
    "who entered or submitted them).",
    s.VersionSerializer,
)
ReportReturnView = _step(
    "return",
    "Return a submitted report to the agency; a reason is required and kept.",
    s.DecisionSerializer,
)
ReportReopenView = _step(
    "reopen",
    "Reopen an approved report for correction (reason required); its approved values stay "
    "official until the next approval.",
    s.DecisionSerializer,
)


class ReportOpenView(ReportMixin):
    """Start (or find) the report of an organisation for a period.

    The organisation is the one in the address and must be one you report for (focal
    points) — any other answers 404, like an organisation with nothing to report on.
    """

    @extend_schema(
        request=None,
        responses={200: s.ReportDetailSerializer, 201: s.ReportDetailSerializer, **REPORT_ERRORS},
    )
    def post(self, request: Request, slug: str, period_pk: int, organisation_pk: int) -> Response:
        view = self.plan_view()
        view.require_reports()
        period = view.periods().filter(pk=checked_id(period_pk)).first()
        organisation = (
            monitoring_selectors.reporting_organisations(view.plan)
            .filter(pk=checked_id(organisation_pk))
            .first()
        )
        if period is None or organisation is None or not view.access.can(REPORT_EDIT, organisation):
            raise Http404
        existed = AgencyReport.objects.filter(period=period, organisation=organisation).exists()
        report = services.agency_report_open(
            actor=request.user, period=period, organisation=organisation
        )
        return self.detail(report, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


#: The docs pages may load nothing from another site (Redoc's bundle would fetch its
#: "by Redocly" logo from cdn.redoc.ly): scripts, styles, images and workers from here only.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; frame-ancestors 'none'"
)


def same_origin_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` with a Content-Security-Policy that keeps the browser on this site."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = DOCS_POLICY
        return response

    return wrapped


@csrf_exempt  # it changes nothing; a POST gets the same JSON 404, not the CSRF page
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other address under /api/: a 404 in the API's error format, not an HTML page."""
    return JsonResponse(
        {"detail": [_("Not found. The API's endpoints are listed at /api/docs/.")]},
        status=404,
    )


class MeView(ApiView):
    """Who you are, and the roles you hold (plan, role, organisation)."""

    serializer_class = s.MeSerializer
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        user = request.user
        return Response(
            s.MeSerializer(
                {
                    "username": user.get_username(),
                    "display_name": str(user),
                    "is_platform_admin": bool(user.is_superuser),
                    "memberships": list(memberships_of(user)),
                },
                context=self.get_serializer_context(),
            ).data
        )
