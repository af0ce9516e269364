"""What the whole admin shares."""

from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.utils.translation import gettext_lazy as _


@admin.action(permissions=["delete"], description=_("Supprimer la sélection"))
def delete_selection(modeladmin, request, queryset):
    """Django's bulk delete (confirmation page included), under a French label that
    agrees with every model: « Supprimer les victoires sélectionnés » was wrong."""
    return delete_selected(modeladmin, request, queryset)


admin.site.add_action(delete_selection, "delete_selected")
