from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from django_tasks.signals import task_finished

        from core import two_factor  # noqa: F401 (its deploy check)
        from core.forms import form_checks_install
        from core.tasks import mail_retry

        task_finished.connect(mail_retry, dispatch_uid="core.tasks.mail_retry")
        form_checks_install()


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, whose ``admin.site`` asks for a second factor on every request
    (core/admin_site.py)."""

    default = False
    default_site = "core.admin_site.AdminSite"
