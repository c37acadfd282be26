from django.urls import path

from nap1325.plans import views

app_name = "plans"

urlpatterns = [
    path("<slug:slug>/", views.matrix, name="matrix"),
    path("<slug:slug>/history/", views.history, name="history"),
    path("<slug:slug>/publish/", views.plan_publish, name="publish"),
    path("<slug:slug>/results/new/", views.result_create, name="result_create"),
    path("<slug:slug>/results/<int:pk>/edit/", views.result_edit, name="result_edit"),
    path(
        "<slug:slug>/results/<int:result_pk>/actions/new/",
        views.action_create,
        name="action_create",
    ),
    path("<slug:slug>/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("<slug:slug>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("<slug:slug>/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path(
        "<slug:slug>/actions/<int:action_pk>/budget/new/",
        views.budget_line_create,
        name="budget_line_create",
    ),
    path("<slug:slug>/budget/<int:pk>/edit/", views.budget_line_edit, name="budget_line_edit"),
    path("<slug:slug>/<str:kind>/<int:pk>/archive/", views.archive, name="archive"),
    path("<slug:slug>/<str:kind>/<int:pk>/move/", views.move, name="move"),
]
