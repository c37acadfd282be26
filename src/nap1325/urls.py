"""URLs: language-prefixed pages (/en/, /ru/, /ky/), admin and the language switcher."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from nap1325.coordination.workplan_urls import account_urlpatterns
from nap1325.core import views as core_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include((account_urlpatterns, "reminders"))),
    path("plans/", include("nap1325.monitoring.urls")),
    path("plans/", include("nap1325.monitoring.dashboard_urls")),
    path("plans/", include("nap1325.coordination.urls")),
    path("plans/", include("nap1325.coordination.workplan_urls")),
    path("plans/", include("nap1325.participation.urls")),
    path("plans/", include("nap1325.plans.urls")),
)
