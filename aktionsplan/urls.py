"""URL map: public pages in German at the root, English under /en/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from quartiere import views as quartiere_views

from . import views
from .kern import zweifaktor
from .kern.seitencache import oeffentlich

handler400 = "aktionsplan.views.bad_request"
handler404 = "aktionsplan.views.page_not_found"
handler500 = "aktionsplan.views.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", quartiere_views.home, name="home"),
    path("aktionsraeume/", include("quartiere.urls")),
    path("antrag/", include("antraege.urls")),
    path("projekte/", include("antraege.urls_projekte")),
    path(
        "impressum/",
        oeffentlich(TemplateView.as_view(template_name="pages/impressum.html")),
        name="impressum",
    ),
    path("datenschutz/", views.datenschutz, name="datenschutz"),
    path(
        "barrierefreiheit/",
        oeffentlich(TemplateView.as_view(template_name="pages/barrierefreiheit.html")),
        name="barrierefreiheit",
    ),
    path(
        "leichte-sprache/",
        oeffentlich(TemplateView.as_view(template_name="pages/leichte_sprache.html")),
        name="leichte_sprache",
    ),
    path("admin/zwei-faktor/", include((zweifaktor.urlpatterns, "zweifaktor"))),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
