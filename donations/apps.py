from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Dons mensuels")

    def ready(self):
        from donations.models import GiftSettings, Tier
        from donations.offer import gift_offer_forget

        for model in (GiftSettings, Tier):
            post_save.connect(gift_offer_forget, sender=model, dispatch_uid=f"offer-{model}")
            post_delete.connect(gift_offer_forget, sender=model, dispatch_uid=f"offer-d-{model}")
