"""The pages: registration, case file, asking, inbox, reply with the library, statistics; who sees what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carte_blanche.employers.models import Employer
from carte_blanche.hrdesk.casefile import register_section, unregister_section
from carte_blanche.hrdesk.models import Answer, HrQuestion
from carte_blanche.hrdesk.starter_answers import CDD_RENEWAL
from carte_blanche.territory.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vault(settings, tmp_path):
    settings.DOCUMENTS_ROOT = str(tmp_path / "vault")


def logged(client, user):
    client.force_login(user)
    return client


def test_employer_registers_a_company_with_french_errors(client, other_boss):
    logged(client, other_boss)
    url = reverse("web:hrdesk_employer_register")
    commune = Commune.objects.by_insee("46042")
    bad = {"siret": "84612345300018", "name": "Garage", "naf_code": "45", "headcount": 25, "commune": commune.pk}
    response = client.post(url, bad)
    body = response.content.decode()
    assert response.status_code == 200 and "clé de contrôle" in body and "moins de 11 salariés" in body
    assert not Employer.objects.filter(name="Garage").exists()
    good = {**bad, "siret": "732 829 320 00074", "naf_code": "45.20A", "headcount": 4}
    response = client.post(url, good)
    employer = Employer.objects.get(siret="73282932000074")
    assert response.url == reverse("web:hrdesk_casefile", args=[employer.pk])
    assert employer.members.filter(pk=other_boss.pk).exists()


def test_employer_home_links_to_the_case_file(client, employer, company):
    body = logged(client, employer).get(reverse("web:home")).content.decode()
    assert reverse("web:hrdesk_casefile", args=[company.pk]) in body
    assert reverse("web:hrdesk_question_create") in body and "Mes questions RH" in body


def test_case_file_shows_questions_and_registered_sections(client, employer, company, other_boss, hr_advisor):
    def section(employer, user):
        return f"<h2>Simulations de {employer.name}</h2>" if user.role != "hr_advisor" else None

    register_section(section)
    try:
        body = logged(client, employer).get(reverse("web:hrdesk_casefile", args=[company.pk])).content.decode()
        assert "Renouveler le CDD" in body and "Simulations de Aide à domicile" in body
        advisor_body = logged(client, hr_advisor).get(reverse("web:hrdesk_casefile", args=[company.pk]))
        assert advisor_body.status_code == 200 and "Simulations" not in advisor_body.content.decode()
    finally:
        unregister_section(section)
    assert logged(client, other_boss).get(reverse("web:hrdesk_casefile", args=[company.pk])).status_code == 404


def test_employer_asks_and_sees_only_its_own(client, employer, company, other_boss, other_company):
    logged(client, employer)
    pdf = SimpleUploadedFile("cdd.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        reverse("web:hrdesk_question_create"),
        {
            "theme": "contract",
            "subject": "Période d'essai d'un CDD",
            "body": "Quelle période d'essai pour un CDD de 4 mois ?",
            "attachments": [pdf],
        },
    )
    question = HrQuestion.objects.get(subject="Période d'essai d'un CDD")
    assert response.url == reverse("web:hrdesk_question_detail", args=[question.pk])
    detail = client.get(response.url).content.decode()
    assert "cdd.pdf" in detail and "Réponse attendue avant le" in detail
    attachment = question.attachments.get()
    download = client.get(reverse("web:hrdesk_attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    logged(client, other_boss)
    assert client.get(reverse("web:hrdesk_question_detail", args=[question.pk])).status_code == 404
    assert client.get(reverse("web:hrdesk_attachment_download", args=[attachment.pk])).status_code == 404
    assert "Période d'essai" not in client.get(reverse("web:hrdesk_question_list")).content.decode()


def test_question_form_errors_in_french(client, employer, company):
    response = logged(client, employer).post(reverse("web:hrdesk_question_create"), {"theme": "", "subject": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "Ce champ est obligatoire" in body


def test_an_employer_without_company_is_sent_to_register(client, other_boss):
    response = logged(client, other_boss).get(reverse("web:hrdesk_question_create"))
    assert response.url == reverse("web:hrdesk_employer_register")


def test_advisor_inbox_late_first_then_takes_and_answers_with_the_library(client, ask, hr_advisor, employer):
    from datetime import timedelta

    from django.utils import timezone

    first = ask(subject="Première question")
    late = ask(subject="Question en retard")
    HrQuestion.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=3))
    logged(client, hr_advisor)
    body = client.get(reverse("web:hrdesk_question_list")).content.decode()
    assert body.index("Question en retard") < body.index("Première question") and "1 en retard" in body
    url = reverse("web:hrdesk_question_detail", args=[first.pk])
    client.post(url, {"transition": "take"})
    results = client.get(url, {"q": "renouvellement", "theme": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert CDD_RENEWAL in results and "<h1>" not in results
    answer = Answer.objects.get(title=CDD_RENEWAL)
    page = client.get(url, {"reponse": answer.pk}).content.decode()
    assert 'name="library_answer"' in page and "deux fois au plus" in page
    client.post(url, {"transition": "answer", "text": "Oui, deux fois.", "library_answer": answer.pk})
    first.refresh_from_db()
    assert first.status == "answered" and first.assigned_to == hr_advisor
    logged(client, employer)
    assert "Oui, deux fois." in client.get(url).content.decode()


def test_illegal_post_changes_nothing(client, question, employer):
    url = reverse("web:hrdesk_question_detail", args=[question.pk])
    response = logged(client, employer).post(url, {"transition": "answer", "text": "Je me réponds."}, follow=True)
    assert "Seul un conseiller" in response.content.decode() or response.status_code == 403
    question.refresh_from_db()
    assert question.status == "asked"


def test_coordinator_reads_but_does_not_act(verified_client, coordinator, question):
    client = verified_client(coordinator)
    url = reverse("web:hrdesk_question_detail", args=[question.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"transition": "take"}).status_code == 403
    assert client.get(reverse("web:hrdesk_stats")).status_code == 200


def test_library_pages_and_versions(client, hr_advisor, employer):
    logged(client, hr_advisor)
    answer = Answer.objects.get(title=CDD_RENEWAL)
    assert CDD_RENEWAL in client.get(reverse("web:hrdesk_library"), {"q": "cdd"}).content.decode()
    client.post(
        reverse("web:hrdesk_answer_edit", args=[answer.pk]),
        {"theme": answer.theme, "title": answer.title, "body": answer.body + "\n\nMise à jour.", "sources": ""},
    )
    answer.refresh_from_db()
    assert answer.version == 2
    detail = client.get(reverse("web:hrdesk_answer_detail", args=[answer.pk])).content.decode()
    assert "Texte de la version 1" in detail
    logged(client, employer)
    assert client.get(reverse("web:hrdesk_library")).status_code == 403
    assert client.get(reverse("web:hrdesk_stats")).status_code == 403


def test_stats_page(client, hr_advisor):
    body = logged(client, hr_advisor).get(reverse("web:hrdesk_stats"), {"du": "2020-01-01"}).content.decode()
    assert "Premières réponses dans le délai" in body and "Ensemble" in body


@pytest.mark.parametrize(
    "name",
    ["hrdesk_question_list", "hrdesk_library", "hrdesk_stats", "hrdesk_employer_register", "hrdesk_question_create"],
)
def test_other_roles_are_refused(verified_client, caf_referent, name):
    assert verified_client(caf_referent).get(reverse(f"web:{name}")).status_code == 403


def test_navigation(client, employer, hr_advisor):
    assert reverse("web:hrdesk_question_list") in logged(client, employer).get(reverse("web:home")).content.decode()
    body = logged(client, hr_advisor).get(reverse("web:home")).content.decode()
    assert reverse("web:hrdesk_library") in body and reverse("web:hrdesk_stats") in body
