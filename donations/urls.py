from django.urls import path
from django.utils.translation import gettext_lazy as _

from donations import views

app_name = "donations"

urlpatterns = [
    path(_("don/"), views.gift, name="gift"),
    path(_("don/envoye/"), views.gift_sent, name="gift-sent"),
    path(
        _("don/confirmer/<str:token>/"),
        views.MandateConfirmView.as_view(),
        name="mandate-confirm",
    ),
    path(_("don/merci/<str:token>/"), views.mandate_done, name="mandate-done"),
]
