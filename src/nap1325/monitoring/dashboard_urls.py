"""Dashboards from approved values (plan overview, agency, indicator)."""

from django.urls import path

from nap1325.monitoring import dashboard_views as views

app_name = "dashboards"

urlpatterns = [
    path("<slug:slug>/dashboard/", views.plan_dashboard, name="plan"),
    path(
        "<slug:slug>/dashboard/agencies/<int:organisation_pk>/",
        views.agency_dashboard,
        name="agency",
    ),
    path("<slug:slug>/indicators/<int:pk>/", views.indicator_dashboard, name="indicator"),
]
