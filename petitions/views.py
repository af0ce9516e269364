from urllib.parse import quote, urlencode

from django.contrib import messages
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.confirmation import ConfirmByPostView
from core.csrf import cached_form_post
from core.http import client_ip, ip_bucket
from core.mail import absolute_url
from core.models import PrivacyRequest
from core.pagecache import pages_version_recent
from core.ratelimit import hit_all
from core.space import space_required
from core.submissions import submission_claim_counted
from petitions import limits, services
from petitions.counts import petition_count
from petitions.forms import ResendForm, SignatureForm
from petitions.models import Petition, Signature
from petitions.services import (
    client_bucket_hash,
    signature_confirm,
    signature_create,
    signature_resend_confirmation,
)
from petitions.tasks import SIGNATURE_PURPOSE

TOO_MANY_FROM_NETWORK = gettext_lazy(
    "Beaucoup de signatures partent en ce moment de votre connexion. "
    "Merci de patienter une minute, puis d'envoyer de nouveau le formulaire."
)
SEND_AGAIN = gettext_lazy(
    "Pour vérifier que ce formulaire vient bien de vous, vérifiez vos informations "
    "et envoyez-le de nouveau."
)
TOO_MANY_FOR_EMAIL = gettext_lazy(
    "Cette adresse e-mail a déjà servi plusieurs fois en peu de temps. "
    "Merci de réessayer dans une heure."
)


def _query(params):
    return urlencode(params, quote_via=quote)


SIGNING_FIELDS = ("pk", "slug", "status", "opens_at", "closes_at")
SIGNING_KEPT = 64  # petitions whose signing columns a process keeps
# ("slug", slug) of a published petition, or ("pk", pk) of any -> (pages version, row)
_signing_petitions: dict[tuple[str, object], tuple[object, Petition]] = {}


def _published(slug):
    return get_object_or_404(Petition.objects.published().select_related("case"), slug=slug)


def _petition_for_signing(*, slug=None, pk=None) -> Petition:
    """The five columns signing and confirming need (``SIGNING_FIELDS``): the published
    petition of ``slug``, or any petition by ``pk``. Kept in this process while the
    ``pages`` version stays the same: any petition saved bumps it (``petitions.signals``),
    and a process reads it again at most every ``PAGE_CACHE_LOCAL_SECONDS`` (the page with
    the form is no fresher). The row is shared between requests: read it, never change it."""
    key = ("slug", slug) if slug is not None else ("pk", pk)
    version = pages_version_recent()
    kept = _signing_petitions.get(key)
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    petitions = Petition.objects.published() if slug is not None else Petition.objects.all()
    petition = get_object_or_404(petitions.only(*SIGNING_FIELDS), **{key[0]: key[1]})
    if version is not None:
        if len(_signing_petitions) >= SIGNING_KEPT:
            _signing_petitions.clear()
        _signing_petitions[key] = (version, petition)
    return petition


@require_safe
def petition_list(request):
    petitions = Petition.objects.open().with_confirmed_total()
    return render(request, "petitions/petition_list.html", {"petitions": petitions})


def _detail(request, petition, form, *, status=200, limited_message=""):
    context = {
        "petition": petition,
        "count": petition_count(petition.pk),
        "is_open": petition.is_open(),
        "form": form,
        "limited_message": limited_message,
    }
    return render(request, "petitions/petition_detail.html", context, status=status)


def _limited(request, petition, form, which):
    """The form again with the limit's message, a 429 saying when to come back."""
    message = TOO_MANY_FOR_EMAIL if which is limits.SIGN_PER_EMAIL else TOO_MANY_FROM_NETWORK
    response = _detail(request, petition, form, status=429, limited_message=message)
    response["Retry-After"] = str(min(limit.window for limit in which))
    return response


@require_safe
def petition_detail(request, slug):
    petition = _published(slug)
    return _detail(request, petition, SignatureForm())


@require_POST
@sensitive_variables()
@sensitive_post_parameters()
@never_cache
@cached_form_post
def petition_sign(request, slug):
    """Sign: origin, limits, honeypot, timing, then the service; the same page follows every
    success. The form comes from a cached page without a CSRF token (core.csrf)."""
    # Only what signing needs: a page shown again (a mistake, a limit) reads it all.
    petition = _petition_for_signing(slug=slug)
    if not petition.is_open():
        return redirect(petition)
    form = SignatureForm(request.POST)
    if request.form_needs_token:
        form.add_error(None, SEND_AGAIN)
        return _detail(request, _published(slug), form, status=403)
    bucket = ip_bucket(client_ip(request))
    if form.is_robot:
        return redirect("petitions:check-email", slug=petition.slug)
    if not form.is_valid():
        if not hit_all(limits.SIGN_PER_NETWORK, bucket):
            return _limited(request, _published(slug), form, limits.SIGN_PER_NETWORK)
        return _detail(request, _published(slug), form)
    data = form.cleaned_data
    # The same address on the same petition within minutes (a double click, a form sent
    # ten times): the same page, no second email, none of the signer's limits used.
    # The network's limits, then the address's, are counted for a first submission only.
    email = data["email"].strip().lower()
    submission, refused = submission_claim_counted(
        kind="petitions.sign",
        content=[str(petition.pk), email],
        limits=[(limits.SIGN_PER_NETWORK, bucket), (limits.SIGN_PER_EMAIL, email)],
    )
    if submission.repeat:
        if submission.limited:
            return _limited(request, _published(slug), form, limits.SIGN_PER_EMAIL)
        return redirect("petitions:check-email", slug=petition.slug)
    if refused is not None:
        return _limited(request, _published(slug), form, refused)
    signature_create(
        petition=petition,
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        country=data["country"],
        postal_code=data["postal_code"],
        language=translation.get_language() or "fr",
        newsletter=data["newsletter"],
        newsletter_consent_text=str(form.fields["newsletter"].label),
        share_name=data["share_name"],
        notify_outcome=data["notify_outcome"],
        ip_hash=client_bucket_hash(bucket),
    )
    return redirect("petitions:check-email", slug=petition.slug)


@require_safe
def petition_check_email(request, slug):
    petition = _published(slug)
    return render(request, "petitions/check_email.html", {"petition": petition})


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables()
@sensitive_post_parameters()
def petition_resend(request, slug):
    """Send the confirmation link again; the answer never tells whether the address signed."""
    petition = _published(slug)
    if request.method != "POST":
        return render(
            request, "petitions/resend.html", {"petition": petition, "form": ResendForm()}
        )
    form = ResendForm(request.POST)
    context = {"petition": petition, "form": form}
    if not hit_all(limits.RESEND_PER_NETWORK, ip_bucket(client_ip(request))):
        context["limited_message"] = TOO_MANY_FROM_NETWORK
        return render(request, "petitions/resend.html", context, status=429)
    if not form.is_valid():
        return render(request, "petitions/resend.html", context)
    email = form.cleaned_data["email"]
    if not hit_all(limits.RESEND_PER_EMAIL, email.strip().lower()):
        context["limited_message"] = TOO_MANY_FOR_EMAIL
        return render(request, "petitions/resend.html", context, status=429)
    signature = petition.signatures.pending().for_email(email).first()
    if signature is not None:
        signature_resend_confirmation(signature=signature)
    return redirect("petitions:check-email", slug=petition.slug)


class SignatureConfirmView(ConfirmByPostView):
    model = Signature
    purpose = SIGNATURE_PURPOSE
    template_name = "petitions/confirm.html"

    def get_queryset(self):
        if self.request.method == "POST":
            # Confirming needs three columns; the petition's slug (the page that follows)
            # comes from the process's memory (get_success_url).
            return Signature.objects.only("pk", "confirmed_at", "petition_id")
        # The page with the button shows the petition's title.
        return Signature.objects.select_related("petition")

    def confirm(self, request, obj):
        signature_confirm(signature=obj)
        return redirect(self.get_success_url(obj))

    def get_success_url(self, obj):
        slug = _petition_for_signing(pk=obj.petition_id).slug
        return reverse("petitions:thanks", kwargs={"slug": slug})


@require_safe
def petition_thanks(request, slug):
    petition = _published(slug)
    url = absolute_url(petition.get_absolute_url())
    message = _("J'ai signé : %(title)s") % {"title": petition.title}
    share = [
        ("mail", _("Par e-mail"), "mailto:?" + _query({"subject": message, "body": url})),
        (
            "whatsapp",
            _("Sur WhatsApp"),
            "https://wa.me/?" + _query({"text": f"{message} {url}"}),
        ),
        (
            "facebook",
            _("Sur Facebook"),
            "https://www.facebook.com/sharer/sharer.php?" + _query({"u": url}),
        ),
        (
            "bluesky",
            _("Sur Bluesky"),
            "https://bsky.app/intent/compose?" + _query({"text": f"{message} {url}"}),
        ),
        (
            "x",
            _("Sur X"),
            "https://twitter.com/intent/tweet?" + _query({"text": message, "url": url}),
        ),
    ]
    context = {
        "petition": petition,
        "count": petition_count(petition.pk),
        "share": share,
        "share_url": url,
    }
    return render(request, "petitions/thanks.html", context)


# --- The signer's part of the personal space (core/space.py) -----------------------------


@never_cache
@require_POST
@space_required
def space_withdraw(request, pk):
    """Withdraw one signature (the count lowers if it was confirmed)."""
    signature = get_object_or_404(
        Signature.objects.identified().alias(email_lower=Lower("email")),
        pk=pk,
        email_lower__in=request.space_emails,
    )
    title = signature.petition.title
    services.signature_withdraw(signature=signature, channel=PrivacyRequest.Channel.SELF)
    messages.success(request, _("Votre signature de « %(title)s » est retirée.") % {"title": title})
    return redirect("core:space")
