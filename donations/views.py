import re
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.confirmation import ConfirmByPostView
from core.csrf import cached_form_post
from core.formats import format_date
from core.http import client_ip, ip_bucket
from core.ratelimit import hit_all
from core.space import space_email_add, space_emails, space_required
from core.submissions import submission_claim, submission_limited
from core.tokens import token_issue, token_use
from donations import debit_calendar, limits, selectors, services, states, tax
from donations.forms import (
    GiftForm,
    SpaceBankForm,
    SpaceCancelForm,
    SpaceChangeForm,
    SpaceContactForm,
    SpacePauseForm,
)
from donations.models import GiftSettings, Mandate, Receipt, sepa_creditor
from donations.offer import gift_offer
from donations.pdf import mandate_pdf
from donations.receipt_pdf import receipt_pdf
from donations.tasks import MANDATE_PURPOSE


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


# The page shown once the donor has confirmed (name, RUM, masked IBAN) is reached through
# a token of its own that lives one hour: a shared or bookmarked address shows, after
# that, a thank-you without anything personal.
SUMMARY_PURPOSE = "mandate-summary"
SUMMARY_HOURS = 1
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")  # core.tokens: 32 random bytes, URL-safe


@method_decorator(never_cache, name="dispatch")
class MandateConfirmView(ConfirmByPostView):
    model = Mandate
    purpose = MANDATE_PURPOSE
    template_name = "donations/mandate_confirm.html"

    def check_object(self, obj):
        if not isinstance(obj, Mandate) or obj.state in states.FINAL:
            return None
        return obj

    def is_confirmed(self, obj) -> bool:
        return obj.state != Mandate.State.PENDING

    def confirm(self, request, obj):
        services.mandate_confirm(mandate=obj)
        return redirect(self.get_success_url(obj))

    def get_success_url(self, obj) -> str:
        token = token_issue(purpose=SUMMARY_PURPOSE, target=obj, hours=SUMMARY_HOURS)
        return reverse("donations:mandate-done", args=[token])


@require_safe
@never_cache
def mandate_done(request, token):
    """The summary once the donor has confirmed: amounts, holder, RUM, masked IBAN,
    schedule; for an hour (``SUMMARY_HOURS``). After that the same address gives a
    thank-you without personal data; an address that was never ours, the 404 page."""
    if not TOKEN_SHAPE.fullmatch(token):
        raise Http404
    mandate = token_use(purpose=SUMMARY_PURPOSE, raw=token, consume=False)
    if not isinstance(mandate, Mandate) or mandate.state not in states.CHANGEABLE:
        return render(request, "donations/mandate_done.html", {"mandate": None})
    mandate = Mandate.objects.with_donor().get(pk=mandate.pk)
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


# --- The donor's part of the personal space (core/space.py) ------------------------------


def _space_mandate(request, pk: int) -> Mandate:
    return get_object_or_404(selectors.space_mandates(request.space_emails), pk=pk)


def _space_form_page(request, form, *, mandate=None, title, intro="", button, extra=None):
    context = {"form": form, "mandate": mandate, "title": title, "intro": intro, "button": button}
    return render(request, "donations/space_form.html", {**context, **(extra or {})})


def _back_to_space(request, message: str):
    messages.success(request, message)
    return redirect("core:space")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@space_required
def space_change(request, pk):
    """A new amount or debit day, applied after the 14-day notice and emailed."""
    mandate = _space_mandate(request, pk)
    if mandate.state not in states.CHANGEABLE:
        return _back_to_space(request, _("Ce don mensuel ne peut plus être modifié."))
    latest = max(mandate.terms.all(), key=lambda row: row.effective_from)
    gift_settings = GiftSettings.load()
    form = SpaceChangeForm(
        request.POST if request.method == "POST" else None,
        gift_settings=gift_settings,
        initial={"amount": int(latest.amount), "debit_day": latest.debit_day},
    )
    if request.method == "POST" and form.is_valid():
        event = services.mandate_change(
            mandate=mandate,
            amount=Decimal(form.cleaned_data["amount"]),
            debit_day=form.cleaned_data["debit_day"],
            actor=states.DONOR,
        )
        if event is None:
            return _back_to_space(request, _("Rien n'a changé : ce sont déjà vos conditions."))
        return _back_to_space(
            request,
            _(
                "C'est noté : votre don change à partir du %(date)s (nous devons vous prévenir "
                "14 jours avant). Un e-mail vous le confirme."
            )
            % {"date": format_date(event.effective_on, translation.get_language() or "fr")},
        )
    return _space_form_page(
        request,
        form,
        mandate=mandate,
        title=_("Modifier mon don mensuel"),
        intro=_(
            "Le changement prend effet 14 jours après votre demande : c'est le délai de "
            "prévenance des prélèvements SEPA. Un e-mail vous le confirme."
        ),
        button=_("Enregistrer le changement"),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@space_required
def space_pause(request, pk):
    mandate = _space_mandate(request, pk)
    if not mandate.can_move(states.PAUSED, states.DONOR):
        return _back_to_space(request, _("Ce don mensuel ne peut pas être mis en pause."))
    form = SpacePauseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        mandate = services.mandate_pause(
            mandate=mandate, actor=states.DONOR, months=form.cleaned_data["months"]
        )
        date = format_date(mandate.paused_until, translation.get_language() or "fr")
        return _back_to_space(
            request, _("Votre don est en pause ; il reprendra le %(date)s.") % {"date": date}
        )
    return _space_form_page(
        request,
        form,
        mandate=mandate,
        title=_("Mettre mon don en pause"),
        intro=_(
            "Aucun prélèvement pendant la pause ; il reprend ensuite de lui-même. Un "
            "prélèvement déjà transmis à la banque a lieu quand même."
        ),
        button=_("Mettre en pause"),
    )


@never_cache
@require_POST
@space_required
def space_resume(request, pk):
    mandate = _space_mandate(request, pk)
    if mandate.state != states.PAUSED:
        return _back_to_space(request, _("Ce don mensuel n'est pas en pause."))
    services.mandate_resume(mandate=mandate, actor=states.DONOR)
    return _back_to_space(request, _("Votre don mensuel reprend."))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@space_required
def space_cancel(request, pk):
    mandate = _space_mandate(request, pk)
    if not mandate.can_move(states.CANCELLED, states.DONOR):
        return _back_to_space(request, _("Ce don mensuel est déjà arrêté."))
    form = SpaceCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.mandate_donor_cancel(mandate=mandate)
        return _back_to_space(
            request,
            _("Votre don mensuel est arrêté : plus aucun prélèvement. Merci pour votre soutien."),
        )
    return _space_form_page(
        request,
        form,
        mandate=mandate,
        title=_("Arrêter mon don mensuel"),
        intro=_(
            "Plus aucun prélèvement ne sera fait. Un prélèvement déjà transmis à la banque a "
            "lieu quand même ; vos reçus fiscaux restent disponibles ici."
        ),
        button=_("Arrêter mon don mensuel"),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@space_required
@sensitive_variables()
@sensitive_post_parameters()
def space_bank(request, pk):
    """A new account for the same mandate: the mandate's text accepted again, recorded
    as an amendment the next debit carries to the bank."""
    mandate = _space_mandate(request, pk)
    if mandate.state not in states.CHANGEABLE:
        return _back_to_space(request, _("Ce don mensuel ne peut plus être modifié."))
    form = SpaceBankForm(
        request.POST if request.method == "POST" else None,
        initial={"account_holder": mandate.account_holder},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.mandate_bank_change(
            mandate=mandate,
            iban=data["iban"],
            bic=data["bic"],
            account_holder=data["account_holder"],
            actor=states.DONOR,
        )
        return _back_to_space(request, _("Votre nouveau compte est enregistré."))
    response = _space_form_page(
        request,
        form,
        mandate=mandate,
        title=_("Changer de compte bancaire"),
        intro=_("Les prélèvements suivants se feront sur ce compte, sous le même mandat."),
        button=_("J'accepte le mandat pour ce compte"),
        extra={"creditor": sepa_creditor(), "rum": mandate.rum, "mandate_text": True},
    )
    add_never_cache_headers(response)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@space_required
def space_contact(request):
    """The postal address printed on tax receipts to come, and the email."""
    donors = list(selectors.space_donors(request.space_emails))
    if not donors:
        return redirect("core:space")
    latest = max(donors, key=lambda donor: donor.pk)
    form = SpaceContactForm(
        request.POST if request.method == "POST" else None,
        initial={field: getattr(latest, field) for field in SpaceContactForm.base_fields},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        email = data.pop("email").strip()
        services.donor_contact_update(donors=donors, data=data)
        if email.lower() == latest.email.strip().lower():
            return _back_to_space(request, _("Vos coordonnées sont à jour."))
        # A new address is taken only once its owner opens the link sent to it.
        services.donor_email_change_request(donor=latest, email=email)
        return _back_to_space(
            request,
            _(
                "Vos coordonnées sont à jour. Pour la nouvelle adresse e-mail, ouvrez le lien "
                "que nous venons d'y envoyer : elle remplacera l'ancienne à ce moment-là."
            ),
        )
    return _space_form_page(
        request,
        form,
        title=_("Mon adresse et mon e-mail"),
        intro=_("Votre adresse postale figure sur vos reçus fiscaux à venir."),
        button=_("Enregistrer"),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def space_email_confirm(request, token):
    """The link sent to a donor's new address: one button, whose POST makes it theirs."""
    target = token_use(purpose=services.EMAIL_CHANGE, raw=token, consume=False)
    if target is None:
        response = render(request, "core/space_invalid.html", status=404)
    elif request.method == "POST":
        donor_pk, email = target.split("|", 1)
        if token_use(purpose=services.EMAIL_CHANGE, raw=token) is None:
            response = render(request, "core/space_invalid.html", status=404)
        else:
            services.donor_email_change_confirm(donor_pk=int(donor_pk), email=email)
            if space_emails(request):
                space_email_add(request, email)
            response = render(request, "donations/email_changed.html", {"done": True})
    else:
        response = render(request, "donations/email_changed.html")
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_safe
@space_required
def space_mandate_pdf(request, pk):
    """The signed mandate, as emailed when it was signed (the IBAN masked)."""
    mandate = _space_mandate(request, pk)
    if mandate.signed_at is None:
        raise Http404
    response = HttpResponse(mandate_pdf(mandate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mandat-{mandate.rum}.pdf"'
    return response


@never_cache
@require_safe
@space_required
def space_receipt_pdf(request, pk):
    receipt = get_object_or_404(
        Receipt.objects.filter(donor__in=selectors.space_donors(request.space_emails)), pk=pk
    )
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt.filename}"'
    return response
