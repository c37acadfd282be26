"""Agency reports and their review (focal points and coordinators)."""

from django.urls import path

from nap1325.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("<slug:slug>/reports/", views.index, name="index"),
]
