"""The admin site: Django's, with a second factor on every request.

``core.apps.AdminConfig`` replaces ``django.contrib.admin`` in ``INSTALLED_APPS``, so ``admin.site``
and ``@admin.register`` are this site. Its login has two steps:

1. ``/admin/login/``: Django's password form (django-axes locks it after 5 failures per
   account and address);
2. ``/admin/second-factor/``: the authenticator's code or a recovery code
   (``/admin/second-factor/enrol/`` first for an account without a device).

``has_permission`` asks for both on every admin request.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core import two_factor
from core.errors import error_page


def method_decorator_never_cache_sensitive(view):
    """Never cached, and the code typed never appears in an error report."""
    return method_decorator(never_cache)(method_decorator(sensitive_post_parameters())(view))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Tapez le code.")},
    )


WRONG_CODE = _(
    "Ce code n'est pas le bon (ou il a expiré) : tapez celui que l'application affiche "
    "maintenant, ou un code de secours."
)


class AdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and two_factor.second_factor_done(request)

    def get_urls(self):
        return [
            path("second-factor/", self.second_factor_view, name="second-factor"),
            path("second-factor/enrol/", self.enrol_view, name="second-factor-enrol"),
            path(
                "second-factor/recovery-codes/",
                self.admin_view(self.recovery_codes_view),
                name="second-factor-recovery-codes",
            ),
            *super().get_urls(),
        ]

    @method_decorator_never_cache_sensitive
    def login(self, request, extra_context=None):
        """The password step; a staff member who has given it goes on to the second step."""
        if self._needs_second_step(request):
            return self._to_second_step(request)
        response = super().login(request, extra_context)
        if request.method == "POST" and self._needs_second_step(request):
            return self._to_second_step(request)
        return response

    @staticmethod
    def _needs_second_step(request):
        user = request.user
        return (
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and not two_factor.second_factor_done(request)
        )

    def _next_url(self, request):
        url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
        return reverse("admin:index", current_app=self.name)

    def _to_second_step(self, request):
        name = "admin:second-factor"
        if not two_factor.has_device(request.user):
            name = "admin:second-factor-enrol"
        target = reverse(name, current_app=self.name)
        next_url = self._next_url(request)
        return redirect(f"{target}?{REDIRECT_FIELD_NAME}={next_url}")

    def _staff_or_login(self, request):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect(reverse("admin:login", current_app=self.name))
        return None

    def _context(self, request, **extra):
        return {
            **self.each_context(request),
            "next": self._next_url(request),
            REDIRECT_FIELD_NAME: self._next_url(request),
            **extra,
        }

    @method_decorator_never_cache_sensitive
    def second_factor_view(self, request):
        """The second step: a code from the authenticator app, or a recovery code."""
        if response := self._staff_or_login(request):
            return response
        if two_factor.second_factor_done(request):
            return redirect(self._next_url(request))
        if not two_factor.has_device(request.user):
            return self._to_second_step(request)
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if not two_factor.second_step_allowed(request.user):
                return error_page(request, 429, reason="second-factor", retry_after=15 * 60)
            if two_factor.code_verify(request, form.cleaned_data["code"]):
                return redirect(self._next_url(request))
            form.add_error("code", WRONG_CODE)
        context = self._context(request, form=form, title=_("Deuxième étape"))
        return TemplateResponse(request, "admin/second_factor/verify.html", context)

    @method_decorator_never_cache_sensitive
    def enrol_view(self, request):
        """An account without a device: scan the QR code, then type the code it shows."""
        if response := self._staff_or_login(request):
            return response
        if two_factor.has_device(request.user) and not two_factor.second_factor_done(request):
            # Replacing a device needs the second factor first (or an administrator's reset).
            return self._to_second_step(request)
        device = two_factor.enrolment_device(request.user)
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if not two_factor.second_step_allowed(request.user):
                return error_page(request, 429, reason="second-factor", retry_after=15 * 60)
            codes = two_factor.device_confirm(request, device, form.cleaned_data["code"])
            if codes is not None:
                context = self._context(request, codes=codes, title=_("Codes de secours"))
                return TemplateResponse(request, "admin/second_factor/recovery_codes.html", context)
            form.add_error("code", WRONG_CODE)
        context = self._context(
            request,
            form=form,
            title=_("Activer la double authentification"),
            secret=two_factor.device_secret(device),
            qr_code=two_factor.device_qr_data_uri(device),
        )
        return TemplateResponse(request, "admin/second_factor/enrol.html", context)

    @method_decorator_never_cache_sensitive
    def recovery_codes_view(self, request):
        """New recovery codes (the old ones stop working), shown once."""
        if request.method != "POST":
            context = self._context(request, codes=None, title=_("Codes de secours"))
            return TemplateResponse(request, "admin/second_factor/recovery_codes.html", context)
        codes = two_factor.recovery_codes_new(request.user)
        context = self._context(request, codes=codes, title=_("Codes de secours"))
        return TemplateResponse(request, "admin/second_factor/recovery_codes.html", context)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer once an account is locked from an address: the 429 page, in
    French, saying when to come back (``AXES_LOCKOUT_CALLABLE``)."""
    return error_page(request, 429, reason="lockout", retry_after=15 * 60)
