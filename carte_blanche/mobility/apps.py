from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "carte_blanche.mobility"
    verbose_name = "Mobilité solidaire"

    def ready(self):
        from carte_blanche.appointments.hooks import register as on_appointment_change
        from carte_blanche.consent.access import register_relationship
        from carte_blanche.mobility.following import follow_appointment
        from carte_blanche.mobility.relations import persons_carried_by
        from carte_blanche.mobility.timeline import ride_items
        from carte_blanche.visits.timeline import register

        on_appointment_change(follow_appointment)
        register_relationship("volunteer_driver", persons_carried_by)
        register(ride_items, kinds={"ride": "Transport solidaire"})
