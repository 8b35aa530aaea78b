from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "carte_blanche.ui"
    verbose_name = "Interface"
