from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from cases.sitemaps import VictorySitemap
from core import views as core_views
from core.health import healthz
from core.sitemaps import NamedPagesSitemap
from petitions.sitemaps import PetitionSitemap

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

sitemaps = {
    "pages": NamedPagesSitemap(
        [
            "core:home",
            "cases:victory-list",
            "petitions:petition-list",
            "donations:gift",
            "core:legal-notice",
            "core:privacy",
        ]
    ),
    "victoires": VictorySitemap,
    "petitions": PetitionSitemap,
}

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots-txt"),
]

# The petitions first: a signature or a confirmation POST is matched without trying every
# other page's translated pattern (their paths share no prefix, so the order changes no match).
urlpatterns += i18n_patterns(
    path("", include("petitions.urls")),
    path("", include("core.urls")),
    path("", include("cases.urls")),
    path("", include("donations.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
