from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "carte_blanche.visits"
    verbose_name = "Visites"

    def ready(self):
        from carte_blanche.visits import timeline

        timeline.register(timeline.visit_items, kinds={"visit": "Visite"})
