"""What the admin home tells Mobilisation is waiting: ``{% petitions_todo %}``."""

from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.formats import format_moment
from petitions.appeals import appeal_current
from petitions.models import Petition, Signature

register = template.Library()


@register.inclusion_tag("admin/_todo_items.html", takes_context=True)
def petitions_todo(context):
    user = context["request"].user
    items = []
    if user.has_perm("petitions.view_appeal"):
        appeal = appeal_current()
        if appeal is None:
            items.append(
                {
                    "text": _("Aucun bandeau en ligne"),
                    "url": reverse("admin:petitions_appeal_changelist"),
                }
            )
        else:
            items.append(
                {
                    "text": _("Bandeau en ligne : « %(label)s », jusqu'au %(end)s")
                    % {
                        "label": appeal.label,
                        "end": format_moment(
                            timezone.localtime(appeal.ends_at), get_language() or "fr"
                        ),
                    },
                    "url": reverse("admin:petitions_appeal_change", args=[appeal.pk]),
                }
            )
    if user.has_perm("petitions.run_campaign"):
        now = timezone.now()
        opening = Petition.objects.filter(
            status=Petition.Status.OPEN, opens_at__gt=now, opens_at__lte=now + timedelta(days=7)
        ).count()
        items.append(
            {
                "text": ngettext(
                    "%(count)d pétition programmée pour ouvrir dans les 7 jours",
                    "%(count)d pétitions programmées pour ouvrir dans les 7 jours",
                    opening,
                )
                % {"count": opening},
                "url": reverse("admin:petitions_petition_changelist") + "?status__exact=open",
            }
        )
    if user.has_perm("petitions.view_signature"):
        today = timezone.localdate()
        pending = Signature.objects.pending().filter(created_at__date=today).count()
        items.append(
            {
                "text": ngettext(
                    "%(count)d signature du jour en attente de confirmation",
                    "%(count)d signatures du jour en attente de confirmation",
                    pending,
                )
                % {"count": pending},
                "url": reverse("admin:petitions_signature_changelist") + "?etat=pending",
            }
        )
    return {"items": items}
