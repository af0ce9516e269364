from django.shortcuts import render


def home(request):
    return render(request, "core/home.html")


def legal_notice(request):
    return render(request, "core/legal_notice.html")


def privacy(request):
    return render(request, "core/privacy.html")
