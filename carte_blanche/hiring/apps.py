from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "carte_blanche.hiring"
    verbose_name = "Simulateur du coût d'une embauche"

    def ready(self) -> None:
        from carte_blanche.hiring.casefile_section import simulations_section
        from carte_blanche.hrdesk.casefile import register_section

        register_section(simulations_section)
