from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carte_blanche.accounts"
    verbose_name = "Comptes"
