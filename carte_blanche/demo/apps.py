from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "carte_blanche.demo"
    verbose_name = "Démonstration"
