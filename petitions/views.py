from django.http import Http404
from django.shortcuts import render


def petition_list(request):
    return render(request, "petitions/petition_list.html")


def petition_detail(request, slug):
    raise Http404
