"""What the admin home tells the Dons team is waiting: ``{% donations_todo %}``."""

from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from donations.models import Debit, Receipt

register = template.Library()


@register.inclusion_tag("admin/_todo_items.html", takes_context=True)
def donations_todo(context):
    user = context["request"].user
    items = []
    if user.has_perm("donations.view_debit"):
        since = timezone.localdate() - timedelta(days=30)
        failed = Debit.objects.failed().filter(due_on__gte=since).count()
        items.append(
            {
                "text": ngettext(
                    "%(count)d prélèvement échoué ces 30 derniers jours",
                    "%(count)d prélèvements échoués ces 30 derniers jours",
                    failed,
                )
                % {"count": failed},
                "urgent": bool(failed),
            }
        )
    if user.has_perm("donations.view_receipt"):
        waiting = (
            Receipt.objects.filter(emailed_at__isnull=True, cancelled_at__isnull=True)
            .exclude(donor__email="")
            .count()
        )
        items.append(
            {
                "text": ngettext(
                    "%(count)d reçu fiscal à envoyer",
                    "%(count)d reçus fiscaux à envoyer",
                    waiting,
                )
                % {"count": waiting},
                "url": reverse("admin:donations_receipt_changelist"),
                "urgent": bool(waiting),
            }
        )
    return {"items": items}
