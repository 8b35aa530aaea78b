from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "carte_blanche.journal"
    verbose_name = "Journal des accès"
