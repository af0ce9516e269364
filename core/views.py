import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import space as space_rules
from core import unsubscribe as unsubscribe_rules
from core.errors import too_many_requests
from core.forms import SpaceEraseForm, SpaceLinkForm
from core.http import client_ip, ip_bucket
from core.mail import absolute_url
from core.models import PrivacyRequest
from core.personal_data import person_erase, person_export_journaled
from core.ratelimit import hit_all
from core.space import space_emails, space_required
from core.tokens import token_use


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


# --- The personal space (core/space.py) -------------------------------------------------


def _space_limited(request, limits_) -> bool:
    return not hit_all(limits_, ip_bucket(client_ip(request)))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def space(request):
    """``/don/mon-don/``: the space itself when open in this session, else the form that
    asks for a link. The answer to the form is the same whether the address is known."""
    emails = space_emails(request)
    if emails and request.method != "POST":
        response = render(request, "core/space.html", {"space_emails": emails})
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    status = 200
    if request.method == "POST":
        form = SpaceLinkForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            network_ok = hit_all(space_rules.LINK_PER_NETWORK, ip_bucket(client_ip(request)))
            address_ok = hit_all(space_rules.LINK_PER_ADDRESS, space_rules.normalise(email))
            if network_ok and address_ok:
                space_rules.space_link_request(email=email)
                return redirect("core:space-sent")
            form.add_error(None, _("Trop de demandes en peu de temps : réessayez dans une heure."))
            status = 429
    else:
        form = SpaceLinkForm()
    response = render(
        request,
        "core/space_request.html",
        {"form": form, "ended": request.GET.get("fin") == "1"},
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(space_rules.LINK_PER_ADDRESS[0].window)
    return response


@never_cache
@require_safe
def space_sent(request):
    return render(request, "core/space_sent.html", {"hours": space_rules.LINK_HOURS})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def space_link_open(request, token):
    """The emailed link: a page with one button; only its POST spends the token and opens
    the space (mail scanners follow links, they do not press buttons)."""
    if _space_limited(request, space_rules.OPEN_PER_NETWORK):
        return too_many_requests(request, retry_after=space_rules.OPEN_PER_NETWORK[0].window)
    email = token_use(purpose=space_rules.PURPOSE, raw=token, consume=request.method == "POST")
    if email is None:
        response = render(request, "core/space_invalid.html", status=404)
    elif request.method == "POST":
        space_rules.space_open(request, email)
        return redirect("core:space")
    else:
        response = render(request, "core/space_open.html")
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_POST
def space_leave(request):
    space_rules.space_close(request)
    return redirect(reverse("core:space") + "?fin=1")


@never_cache
@require_POST
@space_required
def space_export(request):
    """Everything the site holds about the person, as one JSON file (journaled)."""
    documents = [
        person_export_journaled(
            email=email, channel=PrivacyRequest.Channel.SELF, identity_checked=True
        )
        for email in request.space_emails
    ]
    body = json.dumps(
        documents[0] if len(documents) == 1 else documents,
        indent=2,
        ensure_ascii=False,
        cls=DjangoJSONEncoder,
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@space_required
def space_erase(request):
    """Erase everything (what the law requires us to keep stays, and the page says why)."""
    form = SpaceEraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        results = []
        for email in request.space_emails:
            results += person_erase(
                email=email, channel=PrivacyRequest.Channel.SELF, identity_checked=True
            )
        space_rules.space_close(request)
        done = [line for _decl, result in results for line in result.done]
        kept = [item for _decl, result in results for item in result.kept]
        return render(request, "core/space_erased.html", {"done": done, "kept": kept})
    return render(request, "core/space_erase.html", {"form": form})


# --- One-click unsubscribe (core/unsubscribe.py) ----------------------------------------


@csrf_exempt  # RFC 8058: the mail provider POSTs with no CSRF token; the signed token is the proof
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """The newsletter's unsubscribe link: a GET shows one button (mail scanners follow
    links); a POST, from that button or from the mail provider's one-click, withdraws."""
    row = unsubscribe_rules.unsubscribe_target(token)
    if row is None:
        response = render(request, "core/unsubscribe.html", {"invalid": True}, status=404)
    elif request.method == "POST":
        unsubscribe_rules.newsletter_withdraw(row=row)
        response = render(request, "core/unsubscribe.html", {"done": True})
    else:
        response = render(request, "core/unsubscribe.html")
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
