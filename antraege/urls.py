"""Application form, confirmation and the secret status pages."""

from django.urls import path, register_converter

from .views import formular, nachweis, offene_daten, status, termine


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
    path("", formular.antrag_form, name="form"),
    path("start/", formular.antrag_start, name="start"),
    # The Projektkonferenzen as a calendar: the whole programme and one Aktionsraum.
    path("termine.ics", termine.kalender, name="termine"),
    path("termine/<slug:slug>.ics", termine.kalender, name="termine_aktionsraum"),
    # Open data: the funded projects and the yearly figures, CSV and JSON.
    path("offene-daten/", offene_daten.uebersicht, name="offene_daten"),
    path(
        "offene-daten/<slug:name>.<str:format>",
        offene_daten.datensatz,
        name="offene_daten_datensatz",
    ),
    path("entwurf/<token:token>/", formular.entwurf_fortsetzen, name="entwurf"),
    path("eingereicht/", formular.antrag_eingereicht, name="eingereicht"),
    path("statuslink/", status.statuslink_anfordern, name="statuslink_anfordern"),
    path("status/<token:token>/", status.antrag_status, name="status"),
    path("status/<token:token>/zurueckziehen/", status.antrag_zurueckziehen, name="zurueckziehen"),
    path("status/<token:token>/anlage/<int:anlage_id>/", status.anlage_download, name="anlage"),
    path("status/<token:token>/antworten/", status.rueckfrage_beantworten, name="antworten"),
    path(
        "status/<token:token>/antworten/angaben/",
        status.antrag_korrigieren,
        name="korrigieren",
    ),
    path("status/<token:token>/nachweis/", nachweis.nachweis_einreichen, name="nachweis"),
    path("status/<token:token>/projektseite/", status.projektbericht, name="projektbericht"),
    path(
        "status/<token:token>/projektseite/herausnehmen/",
        status.vorstellung_zurueckziehen,
        name="vorstellung_zurueckziehen",
    ),
]
