"""A sitemap of pages known by their URL name, in every language of the site."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class NamedPagesSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def __init__(self, names):
        self.names = list(names)

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)
