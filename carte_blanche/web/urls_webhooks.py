"""URLs of the operators' webhooks and of the partners' inbox of changes (included by web/urls.py)."""

from django.urls import path

from carte_blanche.web import webhook_views

urlpatterns = [
    path("integrations/webhooks/", webhook_views.webhook_list, name="webhook_list"),
    path("integrations/webhooks/<int:subscription_id>/etat/", webhook_views.webhook_toggle, name="webhook_toggle"),
    path("integrations/envois/<int:delivery_id>/relancer/", webhook_views.delivery_retry, name="delivery_retry"),
    path("organisme/mises-a-jour/", webhook_views.partner_updates, name="partner_updates"),
    path(
        "organisme/mises-a-jour/<int:propagation_id>/lu/", webhook_views.partner_update_seen, name="partner_update_seen"
    ),
]
