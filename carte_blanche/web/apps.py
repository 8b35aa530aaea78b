from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "carte_blanche.web"
    verbose_name = "Interface web"
