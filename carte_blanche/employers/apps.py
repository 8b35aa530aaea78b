from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "carte_blanche.employers"
    verbose_name = "Employeurs (centre de service RH)"
