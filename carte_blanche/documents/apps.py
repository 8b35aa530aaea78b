from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "carte_blanche.documents"
    verbose_name = "Pièces justificatives"
