from django.http import Http404
from django.shortcuts import render


def victory_list(request):
    return render(request, "cases/victory_list.html")


def victory_detail(request, slug):
    raise Http404
