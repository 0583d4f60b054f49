"""The portal's URLs plus the bare one-line view that `make bench` compares every page with."""

from django.http import HttpResponse
from django.urls import path

from aktionsplan.urls import *  # noqa: F403
from aktionsplan.urls import urlpatterns as portal


def leer(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/leer/", leer), *portal]
