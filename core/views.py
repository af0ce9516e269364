from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token


def home(request):
    return render(request, "core/home.html")


def legal_notice(request):
    return render(request, "core/legal_notice.html")


def privacy(request):
    return render(request, "core/privacy.html")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # A standalone page rendered without the request: no context processor (database,
    # URL resolving, the appeal banner) runs, so whatever broke the page cannot break this.
    return HttpResponseServerError(render_to_string("500.html"))
