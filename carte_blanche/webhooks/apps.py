from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "carte_blanche.webhooks"
    verbose_name = "Webhooks et « dites-le-nous une fois »"
