from django.contrib import admin

from carte_blanche.appointments.models import Permanence


@admin.register(Permanence)
class PermanenceAdmin(admin.ModelAdmin):
    # Appointments name persons: they stay out of the admin, like the files themselves.
    list_display = ["title", "operator", "mode", "service_point"]
    list_filter = ["operator", "mode"]
