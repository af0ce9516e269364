"""What the admin home tells the Dons team is waiting: ``{% donations_todo %}``."""

from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.formats import format_moment
from donations import selectors
from donations.models import Debit, Receipt

register = template.Library()


def _when(moment) -> str:
    """« 2 décembre 2026 à 04:10 »."""
    return format_moment(timezone.localtime(moment), get_language() or "fr")


def _daily_item() -> dict:
    """The last run of ``manage.py daily``: without it no debit is scheduled."""
    daily = selectors.daily_last_run()
    run = daily["run"]
    if run is None:
        text = _("« manage.py daily » n'a jamais tourné : aucun prélèvement n'est programmé.")
    elif daily["late"]:
        text = _(
            "« manage.py daily » n'a pas tourné depuis plus de 26 heures (dernier passage : "
            "%(when)s) : aucun prélèvement n'est programmé sans lui."
        ) % {"when": _when(run.started_at)}
    elif run.finished_at is None:
        text = _("« manage.py daily » tourne depuis %(when)s.") % {"when": _when(run.started_at)}
    elif not run.succeeded:
        text = _("Le dernier passage de « manage.py daily » (%(when)s) a échoué.") % {
            "when": _when(run.started_at)
        }
    else:
        text = _("Dernier passage de « manage.py daily » : %(when)s.") % {
            "when": _when(run.started_at)
        }
    return {
        "text": text,
        "url": reverse("admin:donations_dashboard"),
        "urgent": daily["late"] or (run.finished_at is not None and not run.succeeded),
    }


@register.inclusion_tag("admin/_todo_items.html", takes_context=True)
def donations_todo(context):
    user = context["request"].user
    items = []
    if user.has_perm("donations.view_debit"):
        since = timezone.localdate() - timedelta(days=30)
        failed = Debit.objects.failed().filter(due_on__gte=since).count()
        statuses = ",".join(Debit.FAILED)
        items.append(
            {
                "text": _("Tableau des dons : les prélèvements mois par mois"),
                "url": reverse("admin:donations_dashboard"),
            }
        )
        items.append(_daily_item())
        items.append(
            {
                "text": ngettext(
                    "%(count)d prélèvement échoué ces 30 derniers jours",
                    "%(count)d prélèvements échoués ces 30 derniers jours",
                    failed,
                )
                % {"count": failed},
                "url": reverse("admin:donations_debit_changelist")
                + f"?status__in={statuses}&due_on__gte={since.isoformat()}",
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
