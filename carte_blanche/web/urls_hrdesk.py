"""URLs of the hrdesk pages (included by web/urls.py, in the ``web`` namespace)."""

from django.urls import path

from carte_blanche.web import hrdesk_views

urlpatterns: list = [
    path("rh/entreprise/", hrdesk_views.employer_register, name="hrdesk_employer_register"),
    path("rh/entreprises/<int:employer_id>/", hrdesk_views.casefile, name="hrdesk_casefile"),
    path("rh/questions/", hrdesk_views.question_list, name="hrdesk_question_list"),
    path("rh/questions/nouvelle/", hrdesk_views.question_create, name="hrdesk_question_create"),
    path("rh/questions/<int:question_id>/", hrdesk_views.question_detail, name="hrdesk_question_detail"),
    path("rh/pieces/<int:attachment_id>/", hrdesk_views.attachment_download, name="hrdesk_attachment_download"),
    path("rh/reponses/", hrdesk_views.library, name="hrdesk_library"),
    path("rh/reponses/nouvelle/", hrdesk_views.answer_create, name="hrdesk_answer_create"),
    path("rh/reponses/<int:answer_id>/", hrdesk_views.answer_detail, name="hrdesk_answer_detail"),
    path("rh/reponses/<int:answer_id>/modifier/", hrdesk_views.answer_edit, name="hrdesk_answer_edit"),
    path("rh/statistiques/", hrdesk_views.stats, name="hrdesk_stats"),
]
