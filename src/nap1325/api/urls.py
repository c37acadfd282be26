"""The REST API under ``/api/`` (not language-prefixed; ``?lang=`` or Accept-Language)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from nap1325.api import views

app_name = "api"

plan = "plans/<slug:slug>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        views.same_origin_only(SpectacularSwaggerView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "docs/redoc/",
        views.same_origin_only(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
    path("me/", views.MeView.as_view(), name="me"),
    path("plans/", views.PlanListView.as_view(), name="plans"),
    path(plan, views.PlanDetailView.as_view(), name="plan"),
    path(plan + "results/", views.ResultListView.as_view(), name="results"),
    path(plan + "results/<int:pk>/", views.ResultDetailView.as_view(), name="result"),
    path(plan + "actions/", views.ActionListView.as_view(), name="actions"),
    path(plan + "actions/<int:pk>/", views.ActionDetailView.as_view(), name="action"),
    path(plan + "indicators/", views.IndicatorListView.as_view(), name="indicators"),
    path(plan + "indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator"),
    path(plan + "periods/", views.PeriodListView.as_view(), name="periods"),
    path(plan + "periods/<int:pk>/", views.PeriodDetailView.as_view(), name="period"),
    path(
        plan + "periods/<int:period_pk>/organisations/<int:organisation_pk>/report/",
        views.ReportOpenView.as_view(),
        name="report_open",
    ),
    path(plan + "values/", views.ValueListView.as_view(), name="values"),
    path(plan + "events/", views.EventListView.as_view(), name="events"),
    path(plan + "events/<int:pk>/", views.EventDetailView.as_view(), name="event"),
    path(plan + "consultations/", views.ConsultationListView.as_view(), name="consultations"),
    path(
        plan + "consultations/<int:pk>/",
        views.ConsultationDetailView.as_view(),
        name="consultation",
    ),
    path(plan + "reports/", views.ReportListView.as_view(), name="reports"),
    path(plan + "reports/<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path(plan + "reports/<int:pk>/submit/", views.ReportSubmitView.as_view(), name="submit"),
    path(plan + "reports/<int:pk>/approve/", views.ReportApproveView.as_view(), name="approve"),
    path(plan + "reports/<int:pk>/return/", views.ReportReturnView.as_view(), name="return"),
    path(plan + "reports/<int:pk>/reopen/", views.ReportReopenView.as_view(), name="reopen"),
    # last: anything else under /api/ ending in a slash (a slash-less address is redirected
    # here by APPEND_SLASH) is a JSON 404, never Django's HTML page
    re_path(r"^(?:.*/)?$", views.not_found, name="not_found"),
]
