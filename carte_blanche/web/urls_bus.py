"""URLs of the bus France services: the public timetable and the coordinator's tour (included by web/urls.py)."""

from django.urls import path

from carte_blanche.web import bus_views

urlpatterns = [
    path("bus/", bus_views.bus_tour, name="bus_tour"),
    path("bus/passages.ics", bus_views.bus_tour_ics, name="bus_tour_ics"),
    path("bus/gtfs.zip", bus_views.bus_gtfs, name="bus_gtfs"),
    path("bus/services.json", bus_views.bus_services_json, name="bus_services_json"),
    path("bus/communes/<str:insee>/", bus_views.bus_commune, name="bus_commune"),
    path("bus/communes/<str:insee>/passages.ics", bus_views.bus_commune_ics, name="bus_commune_ics"),
    path("bus/communes/<str:insee>/affiche.pdf", bus_views.bus_poster_pdf, name="bus_poster_pdf"),
    path("bus/desinscription/<str:token>/", bus_views.bus_unsubscribe, name="bus_unsubscribe"),
    path("bus/tournees/", bus_views.tour_plans, name="tour_plans"),
    path("bus/tournees/<int:plan_id>/", bus_views.tour_plan_detail, name="tour_plan_detail"),
    path("bus/tournees/<int:plan_id>/publier/", bus_views.tour_plan_publish, name="tour_plan_publish"),
    path("bus/arrets/", bus_views.stop_list, name="bus_stops"),
    path("bus/arrets/<int:stop_id>/", bus_views.stop_edit, name="bus_stop_edit"),
    path("bus/indicateurs/", bus_views.bus_indicators, name="bus_indicators"),
]
