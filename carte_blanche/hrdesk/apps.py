from django.apps import AppConfig


class HrdeskConfig(AppConfig):
    name = "carte_blanche.hrdesk"
    verbose_name = "Questions RH des employeurs"
