from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "carte_blanche.catalogue"
    verbose_name = "Catalogue des démarches"
