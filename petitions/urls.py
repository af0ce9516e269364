from django.urls import path
from django.utils.translation import gettext_lazy as _

from petitions import views

app_name = "petitions"

urlpatterns = [
    path(_("petitions/"), views.petition_list, name="petition-list"),
    path(
        _("petitions/confirmer/<str:token>/"), views.SignatureConfirmView.as_view(), name="confirm"
    ),
    path(
        _("don/mon-don/signature/<int:pk>/retirer/"),
        views.space_withdraw,
        name="space-withdraw",
    ),
    path(_("petitions/<slug:slug>/"), views.petition_detail, name="petition-detail"),
    path(_("petitions/<slug:slug>/signer/"), views.petition_sign, name="sign"),
    path(
        _("petitions/<slug:slug>/verifiez-vos-mails/"),
        views.petition_check_email,
        name="check-email",
    ),
    path(_("petitions/<slug:slug>/renvoyer/"), views.petition_resend, name="resend"),
    path(_("petitions/<slug:slug>/merci/"), views.petition_thanks, name="thanks"),
]
