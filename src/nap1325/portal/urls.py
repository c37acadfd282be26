"""Public portal addresses (language-prefixed): ``/<lang>/public/…``.

Stable by design: a plan by its slug, items by their database id (codes can be renumbered,
ids never change). Documented in docs/portal.md.
"""

from django.urls import path

from nap1325.portal import views

app_name = "portal"

urlpatterns = [
    path("public/", views.index, name="index"),
    path("public/<slug:slug>/", views.plan_overview, name="plan"),
    path("public/<slug:slug>/framework/", views.framework, name="framework"),
    path("public/<slug:slug>/actions/<int:pk>/", views.action, name="action"),
    path("public/<slug:slug>/indicators/<int:pk>/", views.indicator, name="indicator"),
    path("public/<slug:slug>/working-group/", views.working_group, name="group"),
    path("public/<slug:slug>/events/<int:pk>/", views.event, name="event"),
    path("public/<slug:slug>/changes/", views.changes, name="changes"),
    path("public/<slug:slug>/consultations/", views.consultations, name="consultations"),
    path("public/<slug:slug>/consultations/<int:pk>/", views.consultation, name="consultation"),
]
