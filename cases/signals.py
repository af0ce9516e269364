"""Every change to what the victories pages show makes their cached fragments stale."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cases.cache import cases_cache_clear
from cases.models import Case, MobilisationFigure, OutcomeEvent, VictoryPage
from core.photos import renditions_ready


@receiver(post_save, sender=Case)
@receiver(post_delete, sender=Case)
@receiver(post_save, sender=OutcomeEvent)
@receiver(post_delete, sender=OutcomeEvent)
@receiver(post_save, sender=MobilisationFigure)
@receiver(post_delete, sender=MobilisationFigure)
@receiver(post_save, sender=VictoryPage)
@receiver(post_delete, sender=VictoryPage)
def _clear_cases_cache(sender, **kwargs):
    cases_cache_clear()


@receiver(renditions_ready, sender=Case)
@receiver(renditions_ready, sender=VictoryPage)
def _clear_cases_cache_for_renditions(sender, **kwargs):
    cases_cache_clear()
