"""Agency reports and their review (focal points and coordinators)."""

from django.urls import path

from nap1325.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("<slug:slug>/reports/", views.index, name="index"),
    path("<slug:slug>/reports/periods/new/", views.period_create, name="period_create"),
    path("<slug:slug>/reports/periods/<int:pk>/", views.period_detail, name="period"),
    path("<slug:slug>/reports/periods/<int:pk>/edit/", views.period_edit, name="period_edit"),
    path("<slug:slug>/reports/periods/<int:pk>/state/", views.period_state, name="period_state"),
    path(
        "<slug:slug>/reports/periods/<int:period_pk>/start/<int:organisation_pk>/",
        views.report_start,
        name="start",
    ),
    path("<slug:slug>/reports/<int:pk>/", views.report_detail, name="report"),
    path("<slug:slug>/reports/<int:pk>/review/", views.report_review, name="review"),
    path("<slug:slug>/reports/<int:pk>/workbook/", views.report_workbook, name="workbook"),
    path(
        "<slug:slug>/reports/<int:pk>/workbook/upload/",
        views.report_workbook_upload,
        name="workbook_upload",
    ),
    path("<slug:slug>/reports/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path(
        "<slug:slug>/reports/<int:pk>/evidence/<int:evidence_pk>/",
        views.evidence_download,
        name="evidence",
    ),
    path(
        "<slug:slug>/reports/<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
]
