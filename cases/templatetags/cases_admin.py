"""What the admin home tells editors is waiting: ``{% cases_todo %}``."""

from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from cases.models import Case

register = template.Library()


@register.inclusion_tag("admin/_todo_items.html", takes_context=True)
def cases_todo(context):
    user = context["request"].user
    if not user.has_perm("cases.view_case"):
        return {"items": []}
    listing = reverse("admin:cases_case_changelist")
    untranslated = sum(
        1 for case in Case.objects.prefetch_related("events") if case.missing_english()
    )
    now = timezone.now()
    scheduled = Case.objects.filter(
        is_published=True, published_at__gt=now, published_at__lte=now + timedelta(days=7)
    ).count()
    return {
        "items": [
            {
                "text": ngettext(
                    "%(count)d victoire à traduire en anglais",
                    "%(count)d victoires à traduire en anglais",
                    untranslated,
                )
                % {"count": untranslated},
                "url": f"{listing}?anglais=todo",
                "urgent": bool(untranslated),
            },
            {
                "text": ngettext(
                    "%(count)d publication programmée dans les 7 jours",
                    "%(count)d publications programmées dans les 7 jours",
                    scheduled,
                )
                % {"count": scheduled},
                "url": f"{listing}?publication=scheduled",
            },
        ]
    }
