from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from django_tasks.signals import task_finished

        from core.forms import form_checks_install
        from core.tasks import mail_retry

        task_finished.connect(mail_retry, dispatch_uid="core.tasks.mail_retry")
        form_checks_install()
