from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "nap1325.core"
    label = "core"
    verbose_name = _("Users, organisations and audit")
