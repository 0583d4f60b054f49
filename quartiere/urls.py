"""Public pages of the Aktionsräume."""

from django.urls import path

from . import views

app_name = "quartiere"

urlpatterns = [
    path("", views.aktionsraum_list, name="list"),
    path("<slug:slug>/", views.aktionsraum_detail, name="detail"),
]
