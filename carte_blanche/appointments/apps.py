from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "carte_blanche.appointments"
    verbose_name = "Rendez-vous"

    def ready(self):
        from carte_blanche.appointments.timeline import appointment_items
        from carte_blanche.visits.timeline import register

        register(appointment_items, kinds={"appointment": "Rendez-vous"})
