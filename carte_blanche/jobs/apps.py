from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "carte_blanche.jobs"
    verbose_name = "Offres d'emploi locales"

    def ready(self):
        from carte_blanche.hrdesk.casefile import register_section
        from carte_blanche.jobs.casefile import offers_section

        register_section(offers_section)
