"""The emailed link that confirms with a POST.

Opening the link shows a page with one button; only the POST confirms, so mail
scanners that follow links cannot confirm on the person's behalf. The link carries a
token of ``core.tokens`` (random, stored as a digest, one use, expiring): the POST spends
it. Apps subclass :class:`ConfirmByPostView` and say which purpose the token serves and
what confirming does.
"""

from datetime import timedelta

from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from core.tokens import token_recently_used, token_use

# A spent link still leads to what it did for this long: a double click on the button, or
# the email's link opened again right after, is not told « this link is no longer valid ».
REPEAT_GRACE = timedelta(minutes=10)


@method_decorator(never_cache, name="dispatch")
class ConfirmByPostView(View):
    model = None
    purpose = ""  # the token's purpose (core.tokens), e.g. "signature"
    template_name = ""  # the page with the button; gets ``object``, ``token``, ``already``
    invalid_template_name = "core/confirmation_invalid.html"

    def get_queryset(self):
        """How the token's object is read (``select_related``, ``only``): once, with the
        token. ``None``: the model's default manager."""
        return None

    def check_object(self, obj):
        """The object a token names, or ``None`` if it may no longer be confirmed."""
        return obj if isinstance(obj, self.model) else None

    def get_object(self, token: str, *, consume: bool = False):
        return self.check_object(
            token_use(
                purpose=self.purpose, raw=token, consume=consume, queryset=self.get_queryset()
            )
        )

    def get_recent_object(self, token: str):
        """The object of a token spent a moment ago (see ``REPEAT_GRACE``)."""
        return self.check_object(
            token_recently_used(
                purpose=self.purpose,
                raw=token,
                within=REPEAT_GRACE,
                queryset=self.get_queryset(),
            )
        )

    def is_confirmed(self, obj) -> bool:
        return obj.confirmed_at is not None

    def confirm(self, request, obj):
        """Do the confirmation (call the app's service); return a response."""
        raise NotImplementedError

    def get_success_url(self, obj) -> str:
        raise NotImplementedError

    def invalid(self, request):
        return render(request, self.invalid_template_name, status=404)

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # A personal link: never cached, never indexed.
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get(self, request, token):
        obj = self.get_object(token)
        already = obj is None
        if already:
            obj = self.get_recent_object(token)
            if obj is None:
                return self.invalid(request)
        context = {"object": obj, "token": token, "already": already or self.is_confirmed(obj)}
        return render(request, self.template_name, context)

    def post(self, request, token):
        # The token is spent in the transaction that confirms: if confirming fails, the
        # link still works.
        with transaction.atomic():
            obj = self.get_object(token, consume=True)
            if obj is None:
                obj = self.get_recent_object(token)
                if obj is None:
                    return self.invalid(request)
                return redirect(self.get_success_url(obj))
            if self.is_confirmed(obj):
                return redirect(self.get_success_url(obj))
            return self.confirm(request, obj)
