"""Reads of victories: what the public sees, in the order the page shows it."""

from django.db import models
from django.db.models import F, Max, Prefetch
from django.utils import timezone


class CaseQuerySet(models.QuerySet):
    def visible(self, now=None):
        """Published and whose publication date has come."""
        return self.filter(is_published=True, published_at__lte=now or timezone.now())

    def with_latest_outcome(self):
        return self.annotate(latest_outcome_on=Max("events__date"))

    def in_page_order(self):
        """Manual position first (1 on top), then the latest outcome, newest first."""
        return self.with_latest_outcome().order_by(
            F("position").asc(nulls_last=True),
            F("latest_outcome_on").desc(nulls_last=True),
            "-pk",
        )

    def with_related(self):
        from cases.models import MobilisationFigure, OutcomeEvent

        return self.prefetch_related(
            Prefetch(
                "events",
                queryset=OutcomeEvent.objects.order_by(F("date").desc(nulls_last=True), "pk"),
            ),
            Prefetch("figures", queryset=MobilisationFigure.objects.order_by("pk")),
        )

    def published(self, now=None):
        """What visitors see, ready to render: visible, ordered, events and figures loaded."""
        return self.visible(now).in_page_order().with_related()

    def with_outcome(self, kind):
        from cases.models import OutcomeEvent

        return self.filter(
            models.Exists(OutcomeEvent.objects.filter(case=models.OuterRef("pk"), kind=kind))
        )

    def next_publication(self, now=None):
        """When the next scheduled case goes live (None when nothing is scheduled)."""
        return (
            self.filter(is_published=True, published_at__gt=now or timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
