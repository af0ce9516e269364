"""The victories pages `make audit` and the test suite check beyond the sitemap
(core/audit.py): the list filtered on a country, as the map's links open it."""

from cases.models import Case
from core.audit import AuditPage, in_both_languages


def pages() -> list[AuditPage]:
    case = Case.objects.visible().order_by("pk").first()
    if case is None:
        return []
    return [
        AuditPage(f"{page.path}?pays={case.country}")
        for page in in_both_languages("cases:victory-list")
    ]
