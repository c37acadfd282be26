"""The project's URLs plus the reminder settings at /<lang>/accounts/reminders/ (mounted
here until the root URLconf includes ``account_urlpatterns``; harmless once it does)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from nap1325.coordination.workplan_urls import account_urlpatterns
from nap1325.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    *i18n_patterns(path("accounts/", include((account_urlpatterns, "reminders")))),
]
