"""URLs of the local job offers (included by web/urls.py)."""

from django.urls import path

from carte_blanche.web import job_views

urlpatterns = [
    path("offres/", job_views.job_offer_list, name="job_offer_list"),
    path("offres/nouvelle/", job_views.job_offer_create, name="job_offer_create"),
    path("offres/recherche/", job_views.job_search, name="job_search"),
    path("offres/<int:offer_id>/", job_views.job_offer_detail, name="job_offer_detail"),
    path("offres/<int:offer_id>/modifier/", job_views.job_offer_edit, name="job_offer_edit"),
    path("offres/<int:offer_id>/etat/", job_views.job_offer_transition, name="job_offer_transition"),
    path("personnes/<int:person_id>/offres/", job_views.job_search_for_person, name="job_search_for_person"),
]
