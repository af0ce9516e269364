"""The victories page and a victory's page, their main content cached per language.

The header, the language switcher and other apps' banners are rendered per request
around a cached fragment that holds nothing per visitor.
"""

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from cases import rules, share_cards
from cases.cache import cache_key, fragment_timeout
from cases.models import Case, MobilisationFigure, OutcomeEvent, VictoryPage
from cases.world_map import world_map
from core.mail import absolute_url
from core.templatetags.core_tags import typography

PER_PAGE = 12


def _language():
    return translation.get_language() or "fr"


def page_texts():
    """The page's own texts; sensible defaults until staff write them."""
    page = VictoryPage.objects.first()
    if page is None:
        page = VictoryPage(
            title=_("Ces victoires remportées ensemble"),
            intro=_(
                "Chaque année, autour du 10 décembre, des millions de personnes signent nos "
                "pétitions. Voici ce que cette mobilisation a permis."
            ),
        )
    return page


def totals(queryset=None):
    """People, countries and the sum of world signatures, in two aggregate queries."""
    visible = queryset if queryset is not None else Case.objects.visible()
    counts = visible.aggregate(people=Count("pk"), countries=Count("country", distinct=True))
    figures = MobilisationFigure.objects.filter(
        case__in=visible.values("pk"), scope=rules.WORLD, unit=rules.SIGNATURES
    ).aggregate(
        signatures=Sum("count"),
        lower_bounds=Count("pk", filter=Q(qualifier=rules.MORE_THAN)),
    )
    return rules.totals_sentence(
        people=counts["people"],
        countries=counts["countries"],
        signatures=figures["signatures"] or 0,
        lower_bound=bool(figures["lower_bounds"]),
        language=_language(),
    )


def _country_counts(visible):
    """The countries with a visible victory and how many each has, by name."""
    counts = dict(
        visible.order_by()
        .values_list("country")
        .annotate(count=Count("pk"))
        .values_list("country", "count")
    )
    names = dict(all_countries)
    from text_unidecode import unidecode

    ordered = sorted(counts, key=lambda code: unidecode(str(names.get(code, code))).lower())
    return {code: counts[code] for code in ordered}


def _outcome_choices(visible):
    """Only the outcomes some visible case has: a filter never offers an empty list."""
    kinds = set(
        OutcomeEvent.objects.filter(case__in=visible.values("pk"))
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )
    return [(value, label) for value, label in OutcomeEvent.Kind.choices if value in kinds]


def _list_fragment(request, country, outcome, page_number):
    visible = Case.objects.visible()
    counts = _country_counts(visible)
    names = dict(all_countries)
    country_choices = [(code, str(names.get(code, code))) for code in counts]
    cases = Case.objects.published()
    if country:
        cases = cases.filter(country=country)
    if outcome:
        cases = cases.with_outcome(outcome)
    paginator = Paginator(cases, PER_PAGE)
    page = paginator.get_page(page_number)
    filters = {k: v for k, v in (("pays", country), ("issue", outcome)) if v}
    texts = page_texts()
    html = render_to_string(
        "cases/_victory_list_main.html",
        {
            "page_texts": texts,
            "totals": totals(visible),
            "page_obj": page,
            "cases": page.object_list,
            "country_choices": country_choices,
            "world_map": world_map(counts, country),
            "outcome_choices": _outcome_choices(visible),
            "selected_country": country,
            "selected_outcome": outcome,
            "filter_query": urlencode(filters),
            "filtered": bool(filters),
        },
    )
    return {"main": html, "title": typography(texts.title)}, page.number


def victory_list(request):
    country = request.GET.get("pays", "").upper()
    if country not in dict(all_countries):
        country = ""
    outcome = request.GET.get("issue", "")
    if outcome not in OutcomeEvent.Kind.values:
        outcome = ""
    page_number = request.GET.get("page", "1")
    if not (page_number.isascii() and page_number.isdigit()) or len(page_number) > 6:
        page_number = "1"
    key = cache_key("list", _language(), country or "-", outcome or "-", page_number)
    parts = cache.get(key)
    if not isinstance(parts, dict):
        parts, number = _list_fragment(request, country, outcome, page_number)
        if str(number) == page_number:  # a page out of range is not kept under its own key
            cache.set(key, parts, fragment_timeout())
    context = {**parts, "main": mark_safe(parts["main"])}  # noqa: S308
    return render(request, "cases/victory_list.html", context)


def _neighbours(case):
    """The previous and next stories in the page's order (None at either end)."""
    slugs = list(Case.objects.visible().in_page_order().values_list("slug", "name"))
    index = next((i for i, (slug, _name) in enumerate(slugs) if slug == case.slug), None)
    if index is None:
        return None, None
    previous = slugs[index - 1] if index > 0 else None
    following = slugs[index + 1] if index + 1 < len(slugs) else None
    return previous, following


def _media_url(url: str) -> str:
    """A media file's absolute URL: the storage's own when it gives one (S3, a CDN)."""
    return url if url.startswith(("https://", "http://")) else absolute_url(url)


def _share_image(case) -> dict:
    """The case's share card for og:image (1 200 × 630, in the page's language); until the
    task has drawn it, the photo; else nothing."""
    card = case.share_card or {}
    language = _language()
    if card.get(language):
        return {
            "image": _media_url(default_storage.url(card[language])),
            "image_alt": card.get(f"alt_{language}", ""),
            "image_width": share_cards.WIDTH,
            "image_height": share_cards.HEIGHT,
        }
    if case.photo:
        return {
            "image": _media_url(case.photo.url),
            "image_alt": typography(case.photo_alt),
            "image_width": case.photo_width,
            "image_height": case.photo_height,
        }
    return {"image": "", "image_alt": "", "image_width": None, "image_height": None}


def _detail_parts(case, request, preview=False):
    previous, following = _neighbours(case)
    canonical = absolute_url(case.get_absolute_url())
    return {
        "main": render_to_string(
            "cases/_victory_detail_main.html",
            {
                "case": case,
                "preview": preview,
                "timeline": case.timeline(),
                "share": rules.share_links(canonical, typography(case.headline), case.name),
            },
        ),
        "nav": render_to_string(
            "cases/_victory_detail_nav.html", {"previous": previous, "following": following}
        ),
        "title": case.name,
        "description": typography(case.headline),
        **_share_image(case),
        "canonical": canonical,
        "case_pk": case.pk,
    }


def victory_detail(request, slug):
    key = cache_key("detail", _language(), slug)
    parts = cache.get(key)
    preview = False
    if parts is None:
        case = Case.objects.published().filter(slug=slug).first()
        if case is not None:
            parts = _detail_parts(case, request)
            cache.set(key, parts, fragment_timeout())
        elif request.user.is_staff and request.user.has_perm("cases.view_case"):
            # Staff preview an unpublished (or scheduled) case; never cached.
            case = Case.objects.in_page_order().with_related().filter(slug=slug).first()
            if case is None:
                raise Http404
            parts = _detail_parts(case, request, preview=True)
            preview = True
        else:
            raise Http404
    context = {
        **parts,
        "main": mark_safe(parts["main"]),  # noqa: S308
        "nav": mark_safe(parts.get("nav", "")),  # noqa: S308
        "preview": preview,
    }
    return render(request, "cases/victory_detail.html", context)
