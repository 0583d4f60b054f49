"""Public pages of the Aktionsräume."""

from django.urls import path

from . import views

app_name = "quartiere"

urlpatterns = [
    path("", views.aktionsraum_list, name="list"),
    path("<slug:slug>/", views.aktionsraum_detail, name="detail"),
    path("<slug:slug>/dokumente/<int:pk>/", views.dokument, name="dokument"),
    path(
        "<slug:slug>/dokumente/<int:pk>/v<int:version>/<str:name>",
        views.dokument_fassung,
        name="dokument_fassung",
    ),
]
