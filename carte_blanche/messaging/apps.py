from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "carte_blanche.messaging"
    verbose_name = "Messages sortants"
