"""Writes on victories with side effects: publication in bulk, and the demo's upsert."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import rules
from cases.cache import cases_cache_clear
from cases.models import Case, MobilisationFigure, OutcomeEvent


@transaction.atomic
def cases_publish(*, queryset: QuerySet) -> int:
    """Publish the selected cases now (a future publication date is kept)."""
    count = queryset.update(is_published=True, updated_at=timezone.now())
    cases_cache_clear()  # update() sends no signal
    return count


@transaction.atomic
def cases_unpublish(*, queryset: QuerySet) -> int:
    """Hide the selected cases from the site at once."""
    count = queryset.update(is_published=False, updated_at=timezone.now())
    cases_cache_clear()  # update() sends no signal
    return count


@transaction.atomic
def case_upsert(*, slug: str, fields: dict, events: list[dict], figures: list[dict]) -> Case:
    """Create or update the case whose slug is given, with its events and figures.

    Validated with ``full_clean()``; events and figures are replaced only when they differ,
    so running it twice with the same data changes nothing.
    """
    case = Case.objects.filter(slug=slug).first() or Case(slug=slug)
    changed = case.pk is None
    for name, value in fields.items():
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed = True
    if changed:
        case.full_clean()
        case.save()

    def _rows(manager, keys):
        return [{k: getattr(row, k) for k in keys} for row in manager.order_by("pk")]

    if events and _rows(case.events, events[0].keys()) != events:
        case.events.all().delete()
        for data in events:
            event = OutcomeEvent(case=case, **data)
            event.full_clean()
            event.save()
    if rules.figures_repeated(rules.Figure(**f) for f in figures):
        raise ValidationError({"figures": _("Un même lieu ne peut avoir qu'un chiffre par unité.")})
    if rules.figures_exceed_world(rules.Figure(**f) for f in figures):
        raise ValidationError(
            {"figures": _("Le chiffre d'un pays ne peut pas dépasser le chiffre mondial.")}
        )
    if figures and _rows(case.figures, figures[0].keys()) != figures:
        case.figures.all().delete()
        for data in figures:
            figure = MobilisationFigure(case=case, **data)
            figure.full_clean()
            figure.save()
    return case
