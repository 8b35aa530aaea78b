from django.urls import path

from carte_blanche.web import catalogue_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("personnes/", views.person_search, name="person_search"),
    path("personnes/nouvelle/", views.person_create, name="person_create"),
    path("personnes/<int:person_id>/", views.person_detail, name="person_detail"),
    path("personnes/<int:person_id>/modifier/", views.person_edit, name="person_edit"),
    path("personnes/<int:person_id>/consentements/", views.consent_grant, name="consent_grant"),
    path("consentements/code/<int:request_id>/", views.consent_code, name="consent_code"),
    path("consentements/<int:consent_id>/retrait/", views.consent_revoke, name="consent_revoke"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("territoire/", views.territory, name="territory"),
    path("demarches/", catalogue_views.procedure_search, name="procedure_search"),
    path("demarches/themes/<slug:slug>/", catalogue_views.theme_detail, name="theme_detail"),
    path("demarches/<slug:slug>/", catalogue_views.procedure_detail, name="procedure_detail"),
    path("demarches/<slug:slug>/modifier/", catalogue_views.procedure_edit, name="procedure_edit"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
]
