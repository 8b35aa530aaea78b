"""Contract pages: who may write a company's drafts, the form, generation (PDF, ODT) and its refusal."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from carte_blanche.contracts.actions import GenerationBlocked, generate, save_draft
from carte_blanche.contracts.models import ContractDraft
from tests.contracts.conftest import replacement_cdd, sarah_cdi

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    import html

    return html.unescape(response.content.decode())


def form_data(**changes) -> dict:
    data = {
        "kind": "cdi", "time": "partiel", "employer_name": "Aide à domicile du Quercy",
        "employer_address": "12 rue Wilson, 46000 Cahors",
        "collective_agreement": "Branche de l'aide, de l'accompagnement, des soins et des services à domicile",
        "employee_first_names": "Sarah", "employee_last_name": "Fournié", "employee_birth_date": "1990-03-28",
        "employee_address": "5 chemin des Vignes, 46320 Flaujac-Poujols", "job_title": "Aide à domicile",
        "qualification": "Catégorie A", "category": "employe", "workplace": "Cahors",
        "start_date": "2026-12-01", "trial_value": "1", "trial_unit": "mois", "gross_monthly_salary": "1300",
        "monthly_hours": "104", "heures_lundi": "6", "heures_mardi": "6", "heures_mercredi": "6",
        "heures_jeudi": "6", "distribution_changes": "absence d'un autre salarié.",
        "schedule_notice": "planning écrit mensuel.", "complementary_percent": "10", "action": "enregistrer",
    }  # fmt: skip
    data.update(changes)
    return data


def test_the_employer_drafts_sarahs_part_time_cdi(client, employer, company):
    client.force_login(employer)
    page = client.get(reverse("web:contract_create") + f"?entreprise={company.pk}&temps=partiel")
    body = text_of(page)
    assert page.status_code == 200
    assert company.name in body and company.siret in body and "Répartition des heures" in body
    assert "Motif du CDD" not in body  # the CDD's fields only for a CDD
    response = client.post(reverse("web:contract_create") + f"?entreprise={company.pk}", form_data())
    contract = ContractDraft.objects.get(employer=company)
    assert response.status_code == 302 and response["Location"] == reverse("web:contract_detail", args=[contract.pk])
    assert contract.part_time and contract.kind == "cdi"
    assert contract.draft.distribution == {"lundi": 6.0, "mardi": 6.0, "mercredi": 6.0, "jeudi": 6.0}
    assert contract.data["employer_siret"] == company.siret
    detail = text_of(client.get(response["Location"]))
    assert "Déclaration préalable à l'embauche (DPAE)" in detail
    assert "Visite d'information et de prévention" in detail
    assert "Télécharger le contrat (PDF)" in detail
    assert contract.share_code in detail


def test_changing_the_kind_redraws_the_form_without_saving(client, employer, company):
    client.force_login(employer)
    url = reverse("web:contract_create") + f"?entreprise={company.pk}"
    page = client.post(url, form_data(kind="cdd", action="actualiser"))
    assert page.status_code == 200 and "Motif du CDD" in text_of(page)
    assert not ContractDraft.objects.exists()
    # HTMX: the same view, the same page; htmx keeps only the form.
    page = client.post(url, form_data(kind="cdd", action="actualiser"), HTTP_HX_REQUEST="true")
    assert "Motif du CDD" in text_of(page)


def test_problems_are_shown_on_the_fields(client, employer, company):
    client.force_login(employer)
    contract = save_draft(employer, company, sarah_cdi(trial_value=3, distribution={}))
    page = text_of(client.get(reverse("web:contract_edit", args=[contract.pk])))
    assert "L1221-19" in page and "L3123-6" in page
    assert 'aria-invalid="true"' in page


def test_the_pdf_holds_every_clause(client, employer, sarah_contract, monkeypatch):
    import html

    import weasyprint

    rendered = []
    real = weasyprint.HTML

    def recording(*args, **kwargs):  # the HTML WeasyPrint turns into the PDF
        rendered.append(kwargs["string"])
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", recording)
    client.force_login(employer)
    response = client.get(reverse("web:contract_pdf", args=[sarah_contract.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 5000
    text = " ".join(html.unescape(rendered[0]).split())
    for clause in (
        "Contrat de travail à durée indéterminée à temps partiel",
        "Sarah Fournié",
        "84612345300017",
        "104 heures par mois",
        "lundi : 6 h",
        "jeudi : 6 h",
        "heures complémentaires",
        "Période d'essai",
        "1 300 €",
        "IDCC 2941",
        "DPAE",
        "pas une consultation juridique",
    ):
        assert clause in text, clause
    assert ContractDraft.objects.get(pk=sarah_contract.pk).generated_at is not None


def _odt_text(body: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.namelist()[0] == "mimetype"
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    from xml.dom.minidom import parseString

    for name in ("content.xml", "styles.xml", "META-INF/manifest.xml"):
        parseString(archive.read(name))  # well-formed XML
    return archive.read("content.xml").decode()


def test_the_editable_file_is_an_opendocument_text_with_the_clauses(client, employer, sarah_contract):
    client.force_login(employer)
    response = client.get(reverse("web:contract_odt", args=[sarah_contract.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert "attachment" in response["Content-Disposition"]
    text = _odt_text(response.content)
    assert "Contrat de travail à durée indéterminée à temps partiel" in text
    assert "priorité d'accès aux emplois à temps complet" in text and "Sarah Fournié" in text


def test_a_cdd_contract_states_its_reason_term_and_end_allowance(employer, company):
    contract = save_draft(employer, company, replacement_cdd())
    generated = generate(employer, contract)
    text = " ".join(p for s in generated.text.sections for p in s.paragraphs)
    assert "L1242-2, 1°" in text and "Julie Martin" in text and "31/05/2027" in text and "L1243-8" in text
    assert any(item.title == "Transmettre le CDD" for item in generated.checklist)


def test_generation_is_refused_while_blocking_problems_remain(client, employer, company):
    contract = save_draft(employer, company, replacement_cdd(replaced_on_strike=True))
    with pytest.raises(GenerationBlocked) as blocked:
        generate(employer, contract)
    assert any("L1242-6" in p.message for p in blocked.value.problems)
    contract.refresh_from_db()
    assert contract.generated_at is None and any(p["field"] == "replaced_on_strike" for p in contract.problems)
    client.force_login(employer)
    for name in ("web:contract_pdf", "web:contract_odt"):
        response = client.get(reverse(name, args=[contract.pk]))
        assert response.status_code == 302 and response["Location"] == reverse("web:contract_edit", args=[contract.pk])
    page = text_of(client.get(reverse("web:contract_edit", args=[contract.pk])))
    assert "L1242-6" in page


def test_an_employer_sees_only_its_own_company(client, employer, other_company, company):
    other = save_draft(employer.__class__.objects.get(username="conseiller-rh"), other_company, sarah_cdi())
    client.force_login(employer)
    for name in ("web:contract_detail", "web:contract_edit", "web:contract_pdf", "web:contract_odt"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 403
    assert client.get(reverse("web:contract_create") + f"?entreprise={other_company.pk}").status_code == 404
    listing = text_of(client.get(reverse("web:contract_list")))
    assert other_company.name not in listing


def test_the_hr_advisor_writes_for_any_company(client, hr_advisor, other_company):
    client.force_login(hr_advisor)
    response = client.post(
        reverse("web:contract_create") + f"?entreprise={other_company.pk}", form_data(employer_name="Boulangerie")
    )
    assert response.status_code == 302
    contract = ContractDraft.objects.get(employer=other_company)
    assert contract.created_by == hr_advisor
    assert client.get(reverse("web:contract_list") + f"?entreprise={other_company.pk}").status_code == 200


@pytest.mark.parametrize("username", ["sarah", "referent-caf", "agent"])
def test_residents_partners_and_agents_cannot_write_contracts(
    verified_client, username, sarah_contract, django_user_model
):
    client = verified_client(django_user_model.objects.get(username=username))
    assert client.get(reverse("web:contract_list")).status_code == 403
    assert client.get(reverse("web:contract_edit", args=[sarah_contract.pk])).status_code == 403
    assert client.get(reverse("web:contract_pdf", args=[sarah_contract.pk])).status_code == 403
    # An agent reads a draft only once it is linked to a file they may read for a rights check.
    assert client.get(reverse("web:contract_detail", args=[sarah_contract.pk])).status_code == 403


def test_the_company_case_file_lists_its_drafts(employer, company, sarah_contract, caf_referent):
    from carte_blanche.hrdesk.casefile import sections_for

    html = " ".join(sections_for(company, employer))
    assert "Projets de contrat de travail" in html and f"Projet n° {sarah_contract.pk}" in html
    assert not any("Projets de contrat" in s for s in sections_for(company, caf_referent))
