"""Revision history for the editorial admin pages, with django-reversion.

Every change saved in the admin to a case (with its outcomes and figures), a petition, the
page texts, a banner, a tier or the gift settings is kept as a version, with who and when.
Staff compare a version with the one before it and restore any version; a deleted case, or
a petition without signatures, is recovered from « Récupérer » (kept 30 days at least:
``manage.py deleterevisions`` is never run with fewer days).

Never for personal data: signatures, donors and mandates are not registered (they must be
erasable); ``tests/core/test_history.py`` checks it.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

HIDDEN_FIELDS = {
    "search_text",
    "updated_at",
    "created_at",
    "id",
    # Made by tasks from the photo and its focal point, which the history shows.
    "photo_renditions",
    "hero_renditions",
    "share_card",
}


def versions_compared(older: Version | None, newer: Version) -> list[dict]:
    """The fields that differ between two versions of one row: name, before, after."""
    model = newer.content_type.model_class()
    before = older.field_dict if older is not None else {}
    after = newer.field_dict
    rows = []
    for field in model._meta.concrete_fields:
        name = field.attname
        if name in HIDDEN_FIELDS or name not in after:
            continue
        if before.get(name) != after.get(name):
            rows.append(
                {
                    "label": field.verbose_name,
                    "before": before.get(name, ""),
                    "after": after.get(name),
                }
            )
    return rows


class HistoryAdmin(VersionAdmin):
    """The admin's « Historique » with versions, comparison and restore."""

    object_history_template = "admin/history/object_history.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/<int:version_id>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id, version_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=unquote(object_id))
        versions = Version.objects.get_for_object(obj).select_related("revision")
        newer = get_object_or_404(versions, pk=version_id)
        older = versions.filter(pk__lt=newer.pk).first()  # newest first
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "title": _("Ce qui a changé"),
            "newer": newer,
            "older": older,
            "rows": versions_compared(older, newer),
        }
        return TemplateResponse(request, "admin/history/compare.html", context)
