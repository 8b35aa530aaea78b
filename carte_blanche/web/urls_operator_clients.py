"""URLs of the operators' systems (coordinators; included by web/urls.py)."""

from django.urls import path

from carte_blanche.web import operator_client_views

urlpatterns = [
    path("integrations/clients/", operator_client_views.operator_client_list, name="operator_client_list"),
    path(
        "integrations/clients/<int:client_pk>/renouveler/",
        operator_client_views.operator_client_rotate,
        name="operator_client_rotate",
    ),
    path(
        "integrations/clients/<int:client_pk>/revoquer/",
        operator_client_views.operator_client_revoke,
        name="operator_client_revoke",
    ),
]
