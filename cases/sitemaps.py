from django.contrib.sitemaps import Sitemap

from cases.models import Case


class VictorySitemap(Sitemap):
    """Every published victory, in French and in English."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return Case.objects.visible().order_by("pk")

    def lastmod(self, item):
        return item.updated_at
