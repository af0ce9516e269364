"""The roles matrix: what each staff group may do in the admin, read from the admin itself.

Every registered ``ModelAdmin`` is asked, for a member of each group, the same questions the
admin asks on every page (``has_view_permission``, ``get_actions``…), so the table in
``docs/roles.md`` (``manage.py admin_roles``) is what the admin does, including any model
added later. A ``ModelAdmin`` names its extra staff pages in ``staff_views``:
``[(url_name, label, permission)]``, the URL taking the object's primary key.
"""

from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory

ROLES = ["Éditeurs", "Mobilisation", "Dons"]


class RoleUser:
    """A staff member of one group, in memory: permissions come from the group only."""

    is_active = True
    is_staff = True
    is_superuser = False
    is_anonymous = False
    is_authenticated = True
    pk = None

    def __init__(self, group: Group | None, superuser: bool = False):
        self.is_superuser = superuser
        self.permissions = (
            {
                f"{app}.{codename}"
                for app, codename in group.permissions.values_list(
                    "content_type__app_label", "codename"
                )
            }
            if group is not None
            else set()
        )

    def has_perm(self, perm, obj=None):
        return self.is_superuser or perm in self.permissions

    def has_perms(self, perms, obj=None):
        return all(self.has_perm(perm) for perm in perms)

    def has_module_perms(self, app_label):
        return self.is_superuser or any(p.startswith(f"{app_label}.") for p in self.permissions)


@dataclass
class Rights:
    view: bool = False
    add: bool = False
    change: bool = False
    delete: bool = False
    actions: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)

    def words(self) -> str:
        if not self.view:
            return "—"
        parts = ["voir"]
        parts += [word for word, ok in (("ajouter", self.add), ("modifier", self.change)) if ok]
        if self.delete:
            parts.append("supprimer")
        text = ", ".join(parts + self.views)
        if self.actions:
            text += " ; actions : " + ", ".join(self.actions)
        return text


def rights_of(model_admin, user) -> Rights:
    request = RequestFactory().get("/admin/")
    request.user = user
    rights = Rights(
        view=model_admin.has_view_or_change_permission(request),
        add=model_admin.has_add_permission(request),
        change=model_admin.has_change_permission(request),
        delete=model_admin.has_delete_permission(request),
    )
    if rights.view:
        rights.actions = sorted(
            str(description)
            for _func, _name, description in model_admin.get_actions(request).values()
        )
    rights.views = [
        str(label)
        for _url, label, permission in getattr(model_admin, "staff_views", [])
        if user.has_perm(permission)
    ]
    return rights


def registered_admins():
    """Every registered model admin, by app then model name."""
    return sorted(
        admin.site._registry.items(),
        key=lambda item: (item[0]._meta.app_label, item[0]._meta.model_name),
    )


def matrix_markdown() -> str:
    """The table of docs/roles.md."""
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLES)}
    users = {name: RoleUser(groups.get(name)) for name in ROLES}
    header = ["Page de l'administration", *ROLES, "Superutilisateur"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for model, model_admin in registered_admins():
        opts = model._meta
        label = (
            f"{opts.app_config.verbose_name} › {opts.verbose_name_plural} (`{opts.label_lower}`)"
        )
        cells = [rights_of(model_admin, users[name]).words() for name in ROLES]
        cells.append(rights_of(model_admin, RoleUser(None, superuser=True)).words())
        lines.append("| " + " | ".join([label, *cells]) + " |")
    return "\n".join(lines) + "\n"
