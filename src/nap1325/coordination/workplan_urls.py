"""Work plan (list and timeline), the plan's iCalendar feed and reminder settings."""

from django.urls import path

from nap1325.coordination import workplan_views as views

app_name = "workplan"

urlpatterns = [
    path("<slug:slug>/work-plan/", views.work_plan, name="list"),
]
