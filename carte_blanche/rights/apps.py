from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "carte_blanche.rights"
    verbose_name = "Droits"

    def ready(self):
        from carte_blanche.rights.timeline import rights_items
        from carte_blanche.visits.timeline import register

        register(rights_items, kinds={"rights_check": "Vérification des droits"})
