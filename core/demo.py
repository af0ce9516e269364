"""Demo accounts shared by every app: the superuser, and a helper for staff accounts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

DEMO_PASSWORD_SUFFIX = "-demo-2026"  # noqa: S105 (development accounts only)


def demo_staff_user(*, username: str, group_name: str | None = None, superuser: bool = False):
    """Create (once) a staff account whose password is ``<username>-demo-2026``."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"is_staff": True, "is_superuser": superuser, "email": f"{username}@demo.invalid"},
    )
    if created:
        user.set_password(f"{username}{DEMO_PASSWORD_SUFFIX}")
        user.save()
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user, created


def load(*, stdout):
    _, created = demo_staff_user(username="admin", superuser=True)
    if created:
        stdout.write(
            f"Compte de démonstration : admin / admin{DEMO_PASSWORD_SUFFIX} (tous les droits)"
        )
