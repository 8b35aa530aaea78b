from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "carte_blanche.api"
    verbose_name = "API"
