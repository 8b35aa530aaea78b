"""The person's own export (included by web/urls.py)."""

from django.urls import path

from carte_blanche.web import gdpr_views

urlpatterns = [
    path("mes-donnees/export.json", gdpr_views.my_data_json, name="my_data_json"),
    path("mes-donnees/export.pdf", gdpr_views.my_data_pdf, name="my_data_pdf"),
]
