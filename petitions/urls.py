from django.urls import path
from django.utils.translation import gettext_lazy as _

from petitions import views

app_name = "petitions"

urlpatterns = [
    path(_("petitions/"), views.petition_list, name="petition-list"),
    path(_("petitions/<slug:slug>/"), views.petition_detail, name="petition-detail"),
]
