from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    name = "carte_blanche.satisfaction"
    verbose_name = "Satisfaction"
