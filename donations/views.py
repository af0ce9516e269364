from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_safe

from core.confirmation import ConfirmByPostView
from core.csrf import cached_form_post
from core.http import client_ip, ip_bucket
from core.ratelimit import hit_all
from core.submissions import submission_claim, submission_limited
from core.tokens import confirmation_token, token_digest
from donations import debit_calendar, limits, services, states, tax
from donations.forms import GiftForm
from donations.models import GiftSettings, Mandate, sepa_creditor
from donations.offer import gift_offer


@require_http_methods(["GET", "HEAD", "POST"])
@cached_form_post
@sensitive_variables()
@sensitive_post_parameters()
def gift(request):
    """The gift form: on success a pending mandate and an email with the confirmation
    link; a second submission of the same form shows the same result.

    Every local variable is hidden from error reports, in this view and in everything it
    calls (the form's cleaning, the services): the bank details pass through them all.
    The page after an error gives back what the donor typed, the IBAN included, so it can
    be corrected rather than typed again; it is never stored by a cache (``never_cache``
    on every answer to a POST). The empty form of a GET holds nothing personal: the
    full-page cache keeps it, and its CSRF check is ``core.csrf``'s.
    """
    response = _gift(request)
    if request.method == "POST":
        add_never_cache_headers(response)
    return response


def _gift(request):
    gift_settings, tiers = gift_offer()
    if request.method == "POST":
        form = GiftForm(request.POST, tiers=tiers, gift_settings=gift_settings)
        if request.form_needs_token:
            form.add_error(
                None,
                _(
                    "Pour vérifier que ce formulaire vient bien de vous, vérifiez vos "
                    "informations et envoyez-le de nouveau."
                ),
            )
        submission = _submission(form) if form.is_valid() else None
        if submission is not None and not _over_limits(request, form, submission):
            data = form.cleaned_data
            mandate, _created = services.mandate_create(
                donor_data=form.donor_data,
                amount=data["amount"],
                debit_day=data["debit_day"],
                account_holder=data["account_holder"],
                iban=data["iban"],
                bic=data["bic"],
                language=translation.get_language() or "fr",
                idempotency_key=submission.key,
                newsletter_consent_text=str(form.fields["newsletter"].label),
            )
            sent = signing.dumps(mandate.pk, salt=GIFT_SENT_SALT)
            return redirect(reverse("donations:gift-sent") + "?" + urlencode({"don": sent}))
        amount_problem = ""
    else:
        typed_free = (request.GET.get("free_amount") or "").strip()
        initial, amount_problem = GiftForm.initial_for_amount(
            typed_free or request.GET.get("amount"), tiers, gift_settings, free=bool(typed_free)
        )
        form = GiftForm(initial=initial, tiers=tiers, gift_settings=gift_settings)
    status = 200
    if form.is_bound and form.has_error(NON_FIELD_ERRORS, code="too_many"):
        status = 429
    elif request.form_needs_token:
        status = 403  # not taken: the same form again, with a token (core.csrf)
    chosen = form.chosen_amount()
    response = render(
        request,
        "donations/gift.html",
        {
            "form": form,
            "net_cost": tax.net_cost(chosen, gift_settings.tax_rate) if chosen else None,
            "amount_problem": amount_problem,
            "tiers": tiers,
            "gift_settings": gift_settings,
            "creditor": sepa_creditor(),
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(limits.GIFT_PER_EMAIL[0].window)
    return response


def _submission(form):
    """The same address, amount and account within a few minutes: one gift (core.submissions)."""
    data = form.cleaned_data
    iban = "".join(str(data["iban"]).split()).upper()
    content = [data["email"].strip().lower(), str(data["amount"]), iban]
    return submission_claim(kind="donations.gift", content=content)


def _over_limits(request, form, submission) -> bool:
    """Each form sent emails someone: a few an hour per address, more per network.
    A repeat of a form already accepted is not counted: it creates nothing and sends nothing.
    """
    if submission.repeat and not submission.limited:
        return False
    if not submission.repeat:
        network_ok = hit_all(limits.GIFT_PER_NETWORK, ip_bucket(client_ip(request)))
        email_ok = hit_all(limits.GIFT_PER_EMAIL, form.cleaned_data["email"].strip().lower())
        if network_ok and email_ok:
            return False
        submission_limited(submission)
    form.add_error(
        None,
        ValidationError(
            _("Trop de demandes en peu de temps : réessayez dans une heure."), code="too_many"
        ),
    )
    return True


GIFT_SENT_SALT = "donations.gift-sent"
GIFT_SENT_MAX_AGE = 2 * 24 * 3600


@require_safe
@never_cache
def gift_sent(request):
    """ "Check your mailbox", with the amount and day the donor is about to confirm (the
    mandate named by a signed id in the address, if it is still pending)."""
    mandate = None
    try:
        pk = signing.loads(
            request.GET.get("don", ""), salt=GIFT_SENT_SALT, max_age=GIFT_SENT_MAX_AGE
        )
    except signing.BadSignature:
        pk = None
    if isinstance(pk, int):
        mandate = Mandate.objects.pending().filter(pk=pk).first()
    return render(request, "donations/gift_sent.html", {"mandate": mandate})


@method_decorator(never_cache, name="dispatch")
class MandateConfirmView(ConfirmByPostView):
    model = Mandate
    purpose = "mandate"
    template_name = "donations/mandate_confirm.html"

    def get_object(self, token):
        mandate = super().get_object(token)
        if mandate is not None and mandate.state in states.FINAL:
            return None
        return mandate

    def is_confirmed(self, obj) -> bool:
        return obj.state != Mandate.State.PENDING

    def confirm(self, request, obj):
        services.mandate_confirm(mandate=obj)
        return redirect(self.get_success_url(obj))

    def get_success_url(self, obj) -> str:
        token = confirmation_token(purpose=self.purpose, pk=obj.pk)
        return reverse("donations:mandate-done", args=[token])


@require_safe
@never_cache
def mandate_done(request, token):
    """The summary once the donor has confirmed: amounts, RUM, masked IBAN, schedule."""
    if len(token) > 128:
        raise Http404
    mandate = (
        Mandate.objects.with_donor()
        .filter(token_digest=token_digest(token), state__in=states.CHANGEABLE)
        .first()
    )
    if mandate is None:
        raise Http404
    gift_settings = GiftSettings.load()
    return render(
        request,
        "donations/mandate_done.html",
        {
            "mandate": mandate,
            "net_cost": mandate.net_cost(gift_settings.tax_rate),
            "tax_rate_percent": gift_settings.tax_rate_percent,
            "schedule": debit_calendar.debit_dates(mandate.first_debit_on, mandate.debit_day, 3),
            "creditor": sepa_creditor(),
        },
    )
