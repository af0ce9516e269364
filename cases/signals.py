"""Every change to what the victories pages show makes their cached fragments stale."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cases.cache import cases_cache_clear
from cases.models import Case, MobilisationFigure, OutcomeEvent, VictoryPage
from cases.tasks import share_card_make
from core.photos import renditions_ready
from core.tasks import enqueue_on_commit


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


@receiver(post_save, sender=Case)
def _queue_share_card_of_case(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue_on_commit(share_card_make, instance.pk)


@receiver(post_save, sender=OutcomeEvent)
@receiver(post_delete, sender=OutcomeEvent)
@receiver(post_save, sender=MobilisationFigure)
@receiver(post_delete, sender=MobilisationFigure)
def _queue_share_card_of_parts(sender, instance, raw=False, **kwargs):
    """The card shows the latest outcome and the figure: redrawn when they change (the
    task finds the card up to date when nothing it shows has changed)."""
    if not raw and instance.case_id:
        enqueue_on_commit(share_card_make, instance.case_id)
