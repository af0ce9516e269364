"""The Atom feed of published victories, in the language of the URL."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from core.templatetags.core_tags import typography


class VictoryFeed(Feed):
    feed_type = Atom1Feed
    title = _("Ces victoires remportées ensemble")
    subtitle = _("Les personnes libérées, graciées ou acquittées grâce à la mobilisation.")

    def link(self):
        return reverse("cases:victory-list")

    def items(self):
        return Case.objects.published()[:30]

    def item_title(self, item):
        return item.name

    def item_description(self, item):
        """The headline, then the latest outcome; escaped, since readers take it as HTML."""
        headline = str(item.headline).strip()
        if headline and headline[-1] not in ".!?…":
            headline += "."
        sentences = item.outcome_sentences()
        return escape(typography(" ".join([headline, *sentences[:1]])))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at or timezone.now()
