"""URLs of the contracts pages (included by web/urls.py)."""

from django.urls import path

from carte_blanche.web import contract_views

urlpatterns = [
    path("contrats/", contract_views.contract_list, name="contract_list"),
    path("contrats/nouveau/", contract_views.contract_create, name="contract_create"),
    path("contrats/rattacher/", contract_views.contract_link, name="contract_link"),
    path("contrats/<int:draft_id>/", contract_views.contract_detail, name="contract_detail"),
    path("contrats/<int:draft_id>/modifier/", contract_views.contract_edit, name="contract_edit"),
    path("contrats/<int:draft_id>/contrat.pdf", contract_views.contract_pdf, name="contract_pdf"),
    path("contrats/<int:draft_id>/contrat.odt", contract_views.contract_odt_download, name="contract_odt"),
]
