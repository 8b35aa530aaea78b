from django.apps import AppConfig


class BusConfig(AppConfig):
    name = "carte_blanche.bus"
    verbose_name = "Bus France services"
