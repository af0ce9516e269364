from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Victoires")

    def ready(self):
        from cases import signals  # noqa: F401
