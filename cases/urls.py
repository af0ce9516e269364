from django.urls import path
from django.utils.translation import gettext_lazy as _

from cases import views
from cases.feeds import VictoryFeed

app_name = "cases"

urlpatterns = [
    path(_("victoires/"), views.victory_list, name="victory-list"),
    path(_("victoires/flux/"), VictoryFeed(), name="victory-feed"),
    path(_("victoires/<slug:slug>/"), views.victory_detail, name="victory-detail"),
]
