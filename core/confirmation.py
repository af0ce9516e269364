"""The emailed link that confirms with a POST.

Opening the link shows a page with one button; only the POST confirms, so mail
scanners that follow links cannot confirm on the person's behalf. Apps subclass
:class:`ConfirmByPostView` and say how to find the object and what confirming does.
"""

from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from core.tokens import token_digest


@method_decorator(never_cache, name="dispatch")
class ConfirmByPostView(View):
    model = None
    purpose = ""  # e.g. "signature"; see core.tokens
    template_name = ""  # the page with the button; gets ``object``, ``token``, ``already``
    invalid_template_name = "core/confirmation_invalid.html"

    def get_object(self, token: str):
        if not token or len(token) > 128:
            return None
        return self.model._default_manager.filter(token_digest=token_digest(token)).first()

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
        if obj is None:
            return self.invalid(request)
        context = {"object": obj, "token": token, "already": self.is_confirmed(obj)}
        return render(request, self.template_name, context)

    def post(self, request, token):
        obj = self.get_object(token)
        if obj is None:
            return self.invalid(request)
        if self.is_confirmed(obj):
            return redirect(self.get_success_url(obj))
        return self.confirm(request, obj)
