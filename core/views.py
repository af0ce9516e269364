from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control

from core.mail import absolute_url


def home(request):
    return render(request, "core/home.html")


def legal_notice(request):
    """The publisher's and the host's identity, as the law asks (LCEN, art. 6 III)."""
    return render(
        request,
        "core/legal_notice.html",
        {
            "publisher": {
                "name": settings.ORGANISATION_NAME,
                "status": settings.ORGANISATION_STATUS,
                "address": settings.ORGANISATION_ADDRESS,
                "phone": settings.ORGANISATION_PHONE,
                "registration": settings.ORGANISATION_REGISTRATION,
                "director": settings.ORGANISATION_PUBLICATION_DIRECTOR,
            },
            "host": {
                "name": settings.HOST_NAME,
                "address": settings.HOST_ADDRESS,
                "phone": settings.HOST_PHONE,
            },
            "is_demo": settings.ORGANISATION_IS_DEMO,
        },
    )


@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """Every page may be crawled; the sitemap lists them. The admin's path is not named:
    its pages ask not to be indexed themselves, and naming it would only advertise it."""
    lines = ["User-agent: *", "Allow: /", "", f"Sitemap: {absolute_url(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def privacy(request):
    return render(request, "core/privacy.html")
