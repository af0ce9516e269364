from django.urls import path
from django.utils.translation import gettext_lazy as _

from donations import views

app_name = "donations"

urlpatterns = [
    path(_("don/"), views.gift, name="gift"),
]
