"""Application form and status pages."""

from django.urls import path

from . import views

app_name = "antraege"

urlpatterns = [
    path("", views.antrag_placeholder, name="form"),
]
