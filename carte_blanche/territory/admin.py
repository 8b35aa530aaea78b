from django.contrib import admin

from carte_blanche.territory.models import Commune, Epci, Operator, ServicePoint, Structure


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["name", "siren"]
    search_fields = ["name", "siren"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "epci", "population"]
    list_filter = ["epci"]
    list_select_related = ["epci"]
    search_fields = ["name", "insee_code"]
    # The GeoJSON outline is large and edited by `load_territory`, not by hand.
    exclude = ["geometry"]


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ["name", "operator", "commune", "geo_precision"]
    list_filter = ["operator", "geo_precision"]
    list_select_related = ["operator", "commune"]
    search_fields = ["name", "address", "commune__name"]
    autocomplete_fields = ["operator", "commune"]


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "operator"]
    list_filter = ["kind", "operator"]
    list_select_related = ["commune", "operator"]
    search_fields = ["name", "commune__name"]
    autocomplete_fields = ["commune", "operator", "service_point"]
