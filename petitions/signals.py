"""Cache invalidation that must follow every save, whoever saves."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.pagecache import pages_purge
from core.photos import renditions_ready
from petitions.appeals import appeal_cache_clear
from petitions.counts import petition_count_clear
from petitions.models import Appeal, Petition


@receiver([post_save, post_delete], sender=Appeal)
def appeal_changed(**kwargs):
    appeal_cache_clear()
    transaction.on_commit(appeal_cache_clear)


@receiver([post_save, post_delete], sender=Petition)
def petition_changed(instance, **kwargs):
    # A saved petition may carry a new offline count; its link in the banner may change too.
    petition_count_clear(instance.pk)
    transaction.on_commit(lambda: petition_count_clear(instance.pk))
    appeal_cache_clear()


@receiver(renditions_ready, sender=Petition)
def petition_photo_ready(**kwargs):
    # The petition's page is in the page cache: it shows the new renditions at once.
    pages_purge()
