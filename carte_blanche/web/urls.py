from django.urls import path

from carte_blanche.web import (
    appointment_views,
    catalogue_views,
    document_views,
    notification_views,
    referral_views,
    rights_task_views,
    rights_views,
    satisfaction_views,
    urls_bus,
    urls_contracts,
    urls_gdpr,
    urls_hiring,
    urls_hrdesk,
    urls_jobs,
    urls_mobility,
    urls_mobility_driver,
    urls_operator_clients,
    urls_webhooks,
    views,
    visit_views,
)

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
    path("personnes/<int:person_id>/documents/", document_views.document_list, name="document_list"),
    path("documents/<int:document_id>/telecharger/", document_views.document_download, name="document_download"),
    path("personnes/<int:person_id>/orienter/", referral_views.referral_create, name="referral_create"),
    path("personnes/<int:person_id>/droits/", rights_views.rights_check_create, name="rights_check_create"),
    path("droits/membre/", rights_views.rights_member_row, name="rights_member_row"),
    path("droits/<int:check_id>/", rights_views.rights_check_detail, name="rights_check_detail"),
    path("droits/<int:check_id>/vu/", rights_task_views.rights_check_reviewed, name="rights_check_reviewed"),
    path("droits/<int:check_id>/resume.pdf", rights_views.rights_check_pdf, name="rights_check_pdf"),
    path("orientations/", referral_views.referral_inbox, name="referral_inbox"),
    path("orientations/<int:referral_id>/", referral_views.referral_detail, name="referral_detail"),
    path("permanences/", appointment_views.permanence_list, name="permanence_list"),
    path("permanences/nouvelle/", appointment_views.permanence_create, name="permanence_create"),
    path("personnes/<int:person_id>/rendez-vous/", appointment_views.appointment_book, name="appointment_book"),
    path("rendez-vous/", appointment_views.appointment_list, name="appointment_list"),
    path("rendez-vous/calendrier.ics", appointment_views.appointment_calendar, name="appointment_calendar"),
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path(
        "notifications/<int:notification_id>/courrier/",
        notification_views.notification_letter,
        name="notification_letter",
    ),
    path(
        "notifications/<int:notification_id>/courrier.pdf",
        notification_views.notification_letter_pdf,
        name="notification_letter_pdf",
    ),
    path("notifications/<int:notification_id>/fait/", notification_views.notification_done, name="notification_done"),
    path("visites/", visit_views.visit_list, name="visit_list"),
    path("visites/nouvelle/", visit_views.visit_create, name="visit_create"),
    path("visites/demarches/", visit_views.visit_procedures, name="visit_procedures"),
    path("visites/sw.js", visit_views.visit_service_worker, name="visit_service_worker"),
    path("territoire/", views.territory, name="territory"),
    path("demarches/", catalogue_views.procedure_search, name="procedure_search"),
    path("demarches/themes/<slug:slug>/", catalogue_views.theme_detail, name="theme_detail"),
    path("demarches/<slug:slug>/", catalogue_views.procedure_detail, name="procedure_detail"),
    path("demarches/<slug:slug>/modifier/", catalogue_views.procedure_edit, name="procedure_edit"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("avis/merci/", satisfaction_views.satisfaction_thanks, name="satisfaction_thanks"),
    path("avis/<slug:token>/", satisfaction_views.satisfaction_answer, name="satisfaction_answer"),
]

# The HR centre's pages, one module per app (employers' questions, hiring-cost simulator, contract drafts,
# local job offers).
urlpatterns += urls_hrdesk.urlpatterns + urls_hiring.urlpatterns + urls_contracts.urlpatterns
urlpatterns += urls_jobs.urlpatterns
urlpatterns += urls_mobility.urlpatterns
urlpatterns += urls_mobility_driver.urlpatterns
urlpatterns += urls_bus.urlpatterns
urlpatterns += urls_webhooks.urlpatterns
urlpatterns += urls_operator_clients.urlpatterns
urlpatterns += urls_gdpr.urlpatterns
