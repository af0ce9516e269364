from django.urls import path
from django.utils.translation import gettext_lazy as _

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path(_("mentions-legales/"), views.legal_notice, name="legal-notice"),
    path(_("donnees-personnelles/"), views.privacy, name="privacy"),
    # The personal space: « /don/mon-don/ » is printed in emails and letters (a contract).
    path(_("don/mon-don/"), views.space, name="space"),
    path(_("don/mon-don/lien-envoye/"), views.space_sent, name="space-sent"),
    path(_("don/mon-don/ouvrir/<str:token>/"), views.space_link_open, name="space-open"),
    path(_("don/mon-don/sortir/"), views.space_leave, name="space-leave"),
    path(_("don/mon-don/mes-donnees/"), views.space_export, name="space-export"),
    path(_("don/mon-don/effacer/"), views.space_erase, name="space-erase"),
    path(_("lettre/desinscription/<str:token>/"), views.unsubscribe, name="unsubscribe"),
]
