from django import template

from cases.models import Case
from petitions.appeals import appeal_current

register = template.Library()


@register.inclusion_tag("petitions/_banner.html")
def urgent_appeal():
    """The current urgent appeal, from the cache: cheap enough for every page."""
    return {"appeal": appeal_current()}


@register.inclusion_tag("petitions/_case_petitions.html")
def case_petitions_for(case_pk):
    """The petitions of a victory, for its page: a won one reads as a victory (this site's
    confirmed signatures, labelled as such, beside the case's worldwide figure, never an
    « objectif » bar), an open one invites to sign."""
    case = Case.objects.with_related().filter(pk=case_pk).first()
    if case is None:
        return {"items": []}
    petitions = list(case.petitions.published().with_confirmed_total().order_by("-opens_at"))
    return {
        "case": case,
        "items": [
            {
                "petition": petition,
                "count": petition.confirmed_total,
                "won": petition.status == petition.Status.WON,
                "open": petition.is_open(),
            }
            for petition in petitions
        ],
    }


@register.inclusion_tag("petitions/_next_step.html")
def next_step():
    """After a story, what a reader can do now: the current urgent appeal, a monthly gift."""
    return {"appeal": appeal_current()}


@register.inclusion_tag("petitions/_space.html", takes_context=True)
def signer_space(context, emails):
    """The signer's part of the personal space: their signatures, each withdrawable."""
    from django.db.models.functions import Lower

    from petitions.models import Signature

    signatures = (
        Signature.objects.identified()
        .alias(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("petition")
        .order_by("-created_at")
    )
    return {
        "signatures": list(signatures),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
