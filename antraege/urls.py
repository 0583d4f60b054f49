"""Application form, confirmation and the secret status pages."""

from django.urls import path, register_converter

from . import views


class TokenConverter:
    """Status tokens: URL-safe base64, 43 characters for 32 random bytes."""

    regex = r"[A-Za-z0-9_-]{32,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")

app_name = "antraege"

urlpatterns = [
    path("", views.antrag_form, name="form"),
    path("start/", views.antrag_start, name="start"),
    path("entwurf/<token:token>/", views.entwurf_fortsetzen, name="entwurf"),
    path("eingereicht/", views.antrag_eingereicht, name="eingereicht"),
    path("statuslink/", views.statuslink_anfordern, name="statuslink_anfordern"),
    path("status/<token:token>/", views.antrag_status, name="status"),
    path("status/<token:token>/zurueckziehen/", views.antrag_zurueckziehen, name="zurueckziehen"),
    path("status/<token:token>/anlage/<int:anlage_id>/", views.anlage_download, name="anlage"),
    path("status/<token:token>/antworten/", views.antrag_korrigieren, name="korrigieren"),
    path("status/<token:token>/nachweis/", views.nachweis_einreichen, name="nachweis"),
]
