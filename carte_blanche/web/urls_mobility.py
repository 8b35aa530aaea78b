"""URLs of the solidarity-mobility service for agents and the coordinator (included by web/urls.py)."""

from django.urls import path

from carte_blanche.web import mobility_views

urlpatterns = [
    path("mobilite/", mobility_views.mobility_plan, name="mobility_plan"),
    path("mobilite/repartir/", mobility_views.mobility_dispatch, name="mobility_dispatch"),
    path("mobilite/conducteurs/", mobility_views.driver_list, name="mobility_drivers"),
    path("mobilite/conducteurs/<int:driver_id>/decision/", mobility_views.driver_validate, name="driver_validate"),
    path("mobilite/offres/", mobility_views.mobility_offers, name="mobility_offers"),
    path("mobilite/indicateurs/", mobility_views.mobility_indicators, name="mobility_indicators"),
    path("mobilite/transports/<int:ride_id>/", mobility_views.ride_detail, name="ride_detail"),
    path("mobilite/transports/<int:ride_id>/annuler/", mobility_views.ride_cancel, name="ride_cancel"),
    path(
        "mobilite/propositions/<int:proposal_id>/telephone/",
        mobility_views.proposal_phone_answer,
        name="proposal_phone_answer",
    ),
    path("personnes/<int:person_id>/mobilite/", mobility_views.person_mobility, name="person_mobility"),
    path("rendez-vous/<int:appointment_id>/transport/", mobility_views.appointment_ride, name="appointment_ride"),
]
