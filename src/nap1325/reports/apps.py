from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "nap1325.reports"
    verbose_name = _("National progress reports")
