from django import template

from petitions.appeals import appeal_current

register = template.Library()


@register.inclusion_tag("petitions/_banner.html")
def urgent_appeal():
    """The current urgent appeal, from the cache: cheap enough for every page."""
    return {"appeal": appeal_current()}
