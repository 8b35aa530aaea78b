from django.apps import AppConfig


class OperatorApiConfig(AppConfig):
    name = "carte_blanche.operator_api"
    verbose_name = "API des systèmes des organismes"
