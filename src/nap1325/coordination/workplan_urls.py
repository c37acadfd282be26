"""Work plan (list and timeline), the plan's iCalendar feed and reminder settings.

``urlpatterns`` (namespace ``workplan``) is mounted under ``/<lang>/plans/``.
``account_urlpatterns`` holds the person's own reminder settings, which belong to no plan;
mount it under ``/<lang>/accounts/`` with the namespace ``reminders``::

    path("accounts/", include((account_urlpatterns, "reminders"))),

giving ``/en/accounts/reminders/`` (URL name ``reminders:settings``).
"""

from django.urls import path

from nap1325.coordination import workplan_views as views

app_name = "workplan"

urlpatterns = [
    path("<slug:slug>/work-plan/", views.work_plan, name="list"),
    path("<slug:slug>/work-plan/timeline/", views.timeline, name="timeline"),
    path("<slug:slug>/work-plan/add/", views.item_create, name="create"),
    path("<slug:slug>/work-plan/<int:pk>/edit/", views.item_edit, name="edit"),
    path("<slug:slug>/work-plan/<int:pk>/state/", views.item_state, name="state"),
    path("<slug:slug>/work-plan/calendar/", views.calendar_page, name="calendar"),
    path("<slug:slug>/work-plan/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("<slug:slug>/calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]

account_urlpatterns = [
    path("reminders/", views.reminder_settings, name="settings"),
]
