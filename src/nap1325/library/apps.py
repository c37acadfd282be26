from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_reference_data(sender: AppConfig, **kwargs: object) -> None:
    from nap1325.library.services import reference_data_sync

    reference_data_sync(using=str(kwargs.get("using", "default")))


class LibraryConfig(AppConfig):
    name = "nap1325.library"
    label = "library"
    verbose_name = _("Library and reference frameworks")

    def ready(self) -> None:
        post_migrate.connect(_sync_reference_data, sender=self)
