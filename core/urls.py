from django.urls import path
from django.utils.translation import gettext_lazy as _

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path(_("mentions-legales/"), views.legal_notice, name="legal-notice"),
    path(_("donnees-personnelles/"), views.privacy, name="privacy"),
]
