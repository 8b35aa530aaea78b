from django.contrib import admin

from carte_blanche.referrals.models import ServiceLevel


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ("operator", "working_days", "manager_email")
