"""URLs of the volunteer driver's side of the solidarity mobility service (included by web/urls.py)."""

from django.urls import path

from carte_blanche.web import mobility_driver_views as views

urlpatterns = [
    path("conducteur/", views.driver_rides, name="driver_rides"),
    path(
        "conducteur/propositions/<int:proposal_id>/<slug:answer>/",
        views.driver_answer,
        name="driver_answer",
    ),
    path("conducteur/disponibilites/", views.driver_availability, name="driver_availability"),
    path("conducteur/inscription/", views.driver_signup, name="driver_signup"),
    path("conducteur/inscription/merci/", views.driver_signup_thanks, name="driver_signup_thanks"),
    path("conducteur/releves/<int:year>/<int:month>.pdf", views.driver_statement_pdf, name="driver_statement_pdf"),
    path("trajets/p/<slug:token>/", views.ride_answer, name="ride_answer"),
    path("mobilite/releves/<int:year>/<int:month>.csv", views.mileage_export_csv, name="mileage_export_csv"),
    path(
        "mobilite/releves/<int:year>/<int:month>/<int:driver_id>.pdf",
        views.mileage_statement_pdf,
        name="mileage_statement_pdf",
    ),
]
