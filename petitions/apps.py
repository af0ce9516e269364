from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Pétitions")

    def ready(self):
        from petitions import signals  # noqa: F401
