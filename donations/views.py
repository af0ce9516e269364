from django.shortcuts import render


def gift(request):
    return render(request, "donations/gift.html")
