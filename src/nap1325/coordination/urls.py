"""Working group, events, agenda, attendance, minutes and media coverage."""

from django.urls import path

from nap1325.coordination import views

app_name = "coordination"

urlpatterns = [
    path("<slug:slug>/working-group/", views.working_group, name="group"),
]
