from django.contrib import admin

from carte_blanche.jobs.models import JobOffer


@admin.register(JobOffer)
class JobOfferAdmin(admin.ModelAdmin):
    list_display = ("title", "employer", "contract_kind", "commune", "state", "published_at", "closes_on")
    list_filter = ("state", "contract_kind", "part_time")
    search_fields = ("title", "employer__name")
    readonly_fields = ("state", "published_at", "state_changed_at", "state_changed_by", "created_by")
