"""National progress reports of a plan: request, follow progress, download."""

from django.urls import path

from nap1325.reports import views

app_name = "reports"

urlpatterns = [
    path("<slug:slug>/progress-reports/", views.report_list, name="list"),
    path(
        "<slug:slug>/progress-reports/<int:pk>/download/",
        views.report_download,
        name="download",
    ),
]
