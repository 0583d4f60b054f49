"""Funded projects for residents: the list, one page per project, its photo, the Atom feed."""

from django.urls import path, register_converter

from .views import projekte


class AktenzeichenConverter:
    """AP-2026-0001: the project's public name in addresses (nothing else reaches a lookup)."""

    regex = r"AP-[0-9]{4}-[0-9]{4,6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(AktenzeichenConverter, "aktenzeichen")

app_name = "projekte"

urlpatterns = [
    path("", projekte.liste, name="liste"),
    path("feed.atom", projekte.feed, name="feed"),
    path("<aktenzeichen:aktenzeichen>/", projekte.profil, name="profil"),
    path("<aktenzeichen:aktenzeichen>/foto.jpg", projekte.foto, name="foto"),
]
