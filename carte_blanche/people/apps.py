from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "carte_blanche.people"
    verbose_name = "Usagers"
