from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "nap1325.portal"
    verbose_name = _("Public portal")
