"""What the admin home tells Mobilisation is waiting: ``{% petitions_todo %}``."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from petitions.appeals import appeal_current
from petitions.models import Signature

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
                        "end": timezone.localtime(appeal.ends_at).strftime("%d/%m/%Y à %H:%M"),
                    },
                    "url": reverse("admin:petitions_appeal_change", args=[appeal.pk]),
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
