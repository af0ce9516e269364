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
    # The donor's part of the personal space (core:space, « /don/mon-don/ »).
    path(_("don/mon-don/mandat/<int:pk>/modifier/"), views.space_change, name="space-change"),
    path(_("don/mon-don/mandat/<int:pk>/pause/"), views.space_pause, name="space-pause"),
    path(_("don/mon-don/mandat/<int:pk>/reprendre/"), views.space_resume, name="space-resume"),
    path(_("don/mon-don/mandat/<int:pk>/arreter/"), views.space_cancel, name="space-cancel"),
    path(_("don/mon-don/mandat/<int:pk>/compte/"), views.space_bank, name="space-bank"),
    path(_("don/mon-don/mandat/<int:pk>/pdf/"), views.space_mandate_pdf, name="space-mandate-pdf"),
    path(_("don/mon-don/recu/<int:pk>/"), views.space_receipt_pdf, name="space-receipt"),
    path(_("don/mon-don/coordonnees/"), views.space_contact, name="space-contact"),
    path(
        _("don/mon-don/nouvelle-adresse/<str:token>/"),
        views.space_email_confirm,
        name="space-email-confirm",
    ),
]
