"""URLs: language-prefixed pages (/en/, /ru/, /ky/), admin and the language switcher."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from nap1325.coordination.workplan_urls import account_urlpatterns
from nap1325.core import views as core_views
from nap1325.portal.sitemaps import PortalSitemap

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/switch/", core_views.switch_language, name="switch_language"),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"portal": PortalSitemap}}, name="sitemap"),
    path("api/", include("nap1325.api.urls")),
]
urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include((account_urlpatterns, "reminders"))),
    path("accounts/", include("nap1325.api.account_urls")),
    path("plans/", include("nap1325.monitoring.urls")),
    path("plans/", include("nap1325.monitoring.dashboard_urls")),
    path("plans/", include("nap1325.coordination.urls")),
    path("plans/", include("nap1325.coordination.workplan_urls")),
    path("plans/", include("nap1325.interchange.logframe.urls")),
    path("plans/", include("nap1325.plans.urls")),
    path("plans/", include("nap1325.reports.urls")),
    path("open-data/", include("nap1325.interchange.open_data_urls")),
    path("", include("nap1325.portal.urls")),
    path("plans/", include("nap1325.plans.version_urls")),
    path("plans/", include("nap1325.participation.round_urls")),
)
