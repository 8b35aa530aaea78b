from django.apps import AppConfig


class GdprConfig(AppConfig):
    name = "carte_blanche.gdpr"
    verbose_name = "Droits de la personne (RGPD)"
