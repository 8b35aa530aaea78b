from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "carte_blanche.contracts"
    verbose_name = "Projets de contrat de travail"

    def ready(self):
        from carte_blanche.contracts.casefile import contracts_section
        from carte_blanche.hrdesk.casefile import register_section

        register_section(contracts_section)
