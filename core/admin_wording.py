"""Django admin sentences reworded for staff: no « objet », no « (s) », no « Aucun(e) ».

These are Django's own English messages. Listing them here puts them in our catalogues,
whose French (in ``locale/fr``) wins over Django's because ``LOCALE_PATHS`` comes first.
``make messages`` (typeset_french) keeps the French written for them by hand: they carry
the translators' comment ``django-admin wording``. Our own pages name their thing with its gender (``core.admin.AdminNames``); these neutral
phrasings cover what is left (accounts, groups, list edits, bulk deletes).
"""

from django.utils.translation import gettext_noop, ngettext_noop

DJANGO_ADMIN_MESSAGES = [
    # Translators: django-admin wording
    gettext_noop("None available"),
    # Translators: django-admin wording
    gettext_noop("None"),
    # Translators: django-admin wording
    gettext_noop("Add %s"),
    # Translators: django-admin wording
    gettext_noop("Change %s"),
    # Translators: django-admin wording
    gettext_noop("View %s"),
    # Translators: django-admin wording
    gettext_noop("Select %s to change"),
    # Translators: django-admin wording
    gettext_noop("Select %s to view"),
    # Translators: django-admin wording
    gettext_noop("The {name} “{obj}” was added successfully."),
    # Translators: django-admin wording
    gettext_noop("The {name} “{obj}” was changed successfully."),
    # Translators: django-admin wording
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    # Translators: django-admin wording
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    # Translators: django-admin wording
    gettext_noop("Delete multiple objects"),
    # Translators: django-admin wording
    gettext_noop("Add another %(verbose_name)s"),
    # Translators: django-admin wording
    gettext_noop("Click here to select the objects across all pages"),
    # Translators: django-admin wording
    gettext_noop("Select all objects on this page for an action"),
    # Translators: django-admin wording
    gettext_noop("Select this object for an action - {}"),
    # Translators: django-admin wording
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop(
        # Translators: django-admin wording
        "Items must be selected in order to perform actions on them. No items have been changed."
    ),
    gettext_noop(
        # Translators: django-admin wording
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the following related items will be deleted:'
    ),
    gettext_noop(
        # Translators: django-admin wording
        "Are you sure you want to delete the selected %(objects_name)s? All of the following objects and their related items will be deleted:"
    ),
    gettext_noop(
        # Translators: django-admin wording
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the following protected related objects:"
    ),
    gettext_noop(
        # Translators: django-admin wording
        "Deleting the selected %(objects_name)s would require deleting the following protected related objects:"
    ),
    gettext_noop(
        # Translators: django-admin wording
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related objects, but your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        # Translators: django-admin wording
        "Deleting the selected %(objects_name)s would result in deleting related objects, but your account doesn't have permission to delete the following types of objects:"
    ),
    ngettext_noop(
        # Translators: django-admin wording
        "%(count)s %(name)s was changed successfully.",
        "%(count)s %(name)s were changed successfully.",
    ),
]
