from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "carte_blanche.consent"
    verbose_name = "Consentements"
