from django.contrib.sitemaps import Sitemap

from petitions.models import Petition


class PetitionSitemap(Sitemap):
    """Every petition visitors can open (open, closed or won), in French and in English."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return Petition.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at
