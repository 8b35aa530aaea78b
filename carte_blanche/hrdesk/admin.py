from django.contrib import admin

from carte_blanche.hrdesk.models import ServiceLevel


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ("theme", "first_answer_hours", "coordinator_after_hours")
