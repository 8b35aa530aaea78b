from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "carte_blanche.territory"
    verbose_name = "Territoire"
