"""URLs of the hiring pages (included by web/urls.py)."""

from django.urls import path

from carte_blanche.web import hiring_views

urlpatterns: list = [
    path("employeur/simulateur/", hiring_views.hiring_simulator, name="hiring_simulator"),
]
