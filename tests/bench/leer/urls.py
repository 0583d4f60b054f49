"""The bare project's one URL."""

from django.http import HttpResponse
from django.urls import path


def leer(request):
    return HttpResponse("ok")


urlpatterns = [path("", leer)]
