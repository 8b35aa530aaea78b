"""The counter pages of a rights check: the situation form, the result, the summary for the person."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.rights import engine
from carte_blanche.rights.models import RightsCheck
from tests.rights.conftest import hand_result, save_hand_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_compute(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("nothing may be computed here")

    monkeypatch.setattr(engine, "compute", refuse)
    monkeypatch.setattr(engine, "compute_one", refuse)


def situation_data(sarah, **overrides) -> dict:
    """What the agent sends for Sarah: one salary amount typed (the same each month), Léna, the rent."""
    lena = sarah.household.get()
    data = {
        "membres-TOTAL_FORMS": "2",
        "membres-INITIAL_FORMS": "2",
        "membres-MIN_NUM_FORMS": "1",
        "membres-MAX_NUM_FORMS": "15",
        "membres-0-member_id": "demandeur",
        "membres-0-role": "demandeur",
        "membres-0-first_name": "Sarah",
        "membres-0-birth_date": sarah.birth_date.isoformat(),
        "membres-0-activity": "actif",
        "membres-0-work_time": "temps_partiel",
        "membres-0-monthly_hours": "104",
        "membres-0-contract": "cdd",
        "membres-0-school": "inconnue",
        "membres-0-salaire_m3": "1080",
        "membres-1-member_id": f"m{lena.pk}",
        "membres-1-role": "enfant",
        "membres-1-first_name": "Léna",
        "membres-1-birth_date": lena.birth_date.isoformat(),
        "membres-1-activity": "inactif",
        "membres-1-school": "inconnue",
        "housing_status": "locataire_vide",
        "rent": "480",
        "commune": sarah.commune.insee_code,
        "childcare": "aucun",
        "other_parent_pays_maintenance": "non",
        "action": "calculer",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_is_prefilled_from_the_file(verified_client, agent, sarah):
    client = verified_client(agent)
    page = client.get(reverse("web:rights_check_create", args=[sarah.pk])).content.decode()
    assert "Vérifier les droits de Sarah Fournié" in page
    assert 'value="Léna"' in page and 'value="480.0"' in page
    assert re.search(r'<option value="46105"\s+selected', page)
    assert 'name="membres-TOTAL_FORMS" value="2"' in page
    assert "Enregistrer ces informations dans le dossier" in page
    assert "Prime d&#x27;activité" in page  # among the benefits already received, to tick
    assert JournalEntry.objects.filter(
        event=JournalEvent.PERSON_READ, person_id=sarah.pk, purpose="rights_check", actor_id=agent.pk
    ).exists()


def test_the_person_file_links_to_the_check_and_lists_past_checks(verified_client, agent, sarah):
    save_hand_check(sarah, by=agent, result=hand_result(eligible={"ppa": 286.81, "aide_logement": 309.0}))
    page = verified_client(agent).get(reverse("web:person_detail", args=[sarah.pk])).content.decode()
    assert reverse("web:rights_check_create", args=[sarah.pk]) in page
    assert '<h2 id="titre-droits">Droits</h2>' in page
    assert "2, environ 595,81 € par mois" in page


def test_others_are_refused(verified_client, agent, caf_referent, sarah, roseline, no_compute):
    assert verified_client(caf_referent).get(reverse("web:rights_check_create", args=[sarah.pk])).status_code == 403
    client = verified_client(agent)
    # Roseline shared nothing of her household and resources with France services for a rights check.
    response = client.get(reverse("web:rights_check_create", args=[roseline.pk]))
    assert response.status_code == 403
    assert client.get(reverse("web:rights_check_create", args=[999999])).status_code == 404
    assert client.get(reverse("web:rights_member_row")).status_code == 200
    assert verified_client(caf_referent).get(reverse("web:rights_member_row")).status_code == 403


def test_invalid_input_shows_the_field_error_and_saves_nothing(verified_client, agent, sarah, no_compute):
    client = verified_client(agent)
    url = reverse("web:rights_check_create", args=[sarah.pk])
    # A form error (no birth date) and an engine error (part-time without hours), both on their fields.
    response = client.post(
        url, situation_data(sarah, **{"membres-1-birth_date": "", "membres-0-monthly_hours": "", "save_to_file": "on"})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rien n'a été calculé" in page
    assert 'id="id_membres-1-birth_date-erreurs"' in page
    assert "Ce champ est obligatoire." in page
    assert 'href="#id_membres-1-birth_date"' in page

    response = client.post(url, situation_data(sarah, **{"membres-0-monthly_hours": ""}))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_membres-0-monthly_hours-erreurs"' in page
    assert "indiquez les heures payées par mois" in page
    response = client.post(url, situation_data(sarah, rent="", commune="46105"))
    assert 'id="id_rent-erreurs"' in response.content.decode()

    assert not RightsCheck.objects.exists()
    sarah.refresh_from_db()
    assert str(sarah.monthly_rent) == "480.00"
    assert not JournalEntry.objects.filter(event=JournalEvent.PERSON_UPDATED, person_id=sarah.pk).exists()


def test_adding_a_member_works_with_and_without_javascript(verified_client, agent, sarah, no_compute):
    client = verified_client(agent)
    url = reverse("web:rights_check_create", args=[sarah.pk])
    page = client.post(url, situation_data(sarah, action="ajouter")).content.decode()
    assert 'name="membres-TOTAL_FORMS" value="3"' in page and 'name="membres-2-birth_date"' in page
    assert "Ce champ est obligatoire." not in page and 'value="Léna"' in page
    assert not RightsCheck.objects.exists()

    fragment = client.get(
        reverse("web:rights_member_row"), {"membres-TOTAL_FORMS": "2"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'name="membres-2-birth_date"' in fragment and "Personne 3" in fragment
    assert 'hx-swap-oob="true"' in fragment and 'value="3"' in fragment
    assert "<html" not in fragment

    # A row added and left blank is not a member.
    data = situation_data(sarah, **{"membres-TOTAL_FORMS": "3", "membres-2-role": "enfant"})
    data.update({"membres-2-activity": "inactif", "membres-2-school": "inconnue"})
    response = client.post(url, {**data, "membres-0-birth_date": ""})
    assert 'id="id_membres-2-birth_date-erreurs"' not in response.content.decode()


def test_a_check_from_the_counter_to_the_printed_summary(verified_client, agent, sarah):
    client = verified_client(agent)
    response = client.post(
        reverse("web:rights_check_create", args=[sarah.pk]), situation_data(sarah, save_to_file="on", rent="495")
    )
    check = RightsCheck.objects.get(person=sarah)
    assert response.status_code == 302 and response.url == reverse("web:rights_check_detail", args=[check.pk])
    salary = check.situation["members"][0]["incomes"][0]
    assert salary == {"kind": "salaire", "last_3_months": [1080.0, 1080.0, 1080.0], "last_12_months": 12960.0}
    sarah.refresh_from_db()
    assert str(sarah.monthly_rent) == "495.00" and str(sarah.monthly_resources) == "1080.00"

    page = client.get(response.url).content.decode()
    unclaimed = page.split("Droits probables non demandés")[1].split("Déjà perçus")[0]
    assert "Prime d&#x27;activité" in unclaimed and "€ par mois" in unclaimed
    assert check.openfisca_version in page

    pdf = client.get(reverse("web:rights_check_pdf", args=[check.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_result_page_sorts_rights_and_leads_to_the_procedures(verified_client, agent, sarah, no_compute):
    result = hand_result(eligible={"ppa": 1234.5, "ars": 416.4, "css": 16.0}, received={"css"})
    check = save_hand_check(sarah, by=agent, result=result)
    page = verified_client(agent).get(reverse("web:rights_check_detail", args=[check.pk])).content.decode()
    sections = re.split(r"<h2 id=\"titre-", page)
    unclaimed = next(s for s in sections if s.startswith("non-demandes"))
    received = next(s for s in sections if s.startswith("percus"))
    to_check = next(s for s in sections if s.startswith("a-verifier"))
    not_eligible = next(s for s in sections if s.startswith("sans-droit"))
    # The monthly total counts the yearly ARS for a twelfth: 1234,50 + 34,70.
    assert "1\xa0269,20 € par mois" in unclaimed
    assert "1\xa0234,50 € par mois" in unclaimed and "416,40 € par an" in unclaimed
    assert "Montant avant CRDS" in unclaimed  # the caveat
    assert "Complémentaire santé solidaire" in received and "Complémentaire santé solidaire" not in unclaimed
    assert "Prestation de compensation du handicap" in to_check and "MDPH" in to_check
    assert "Allocation de solidarité spécifique" in not_eligible and "Ressources trop élevées." in not_eligible
    # Each unclaimed right leads to the catalogue's procedure, a referral and an appointment.
    assert "/demarches/" in unclaimed
    assert f"{reverse('web:referral_create', args=[sarah.pk])}?demarche=" in unclaimed
    assert f"{reverse('web:appointment_book', args=[sarah.pk])}?operateur=" in unclaimed
    assert check.openfisca_version in page


def test_the_result_needs_the_same_access_as_the_check(verified_client, agent, caf_referent, sarah, roseline):
    check = save_hand_check(sarah, by=agent, result=hand_result(eligible={"ppa": 100.0}))
    assert verified_client(caf_referent).get(reverse("web:rights_check_detail", args=[check.pk])).status_code == 403
    for consent in sarah.consents.filter(operator=agent.acting_operator, category="household_income"):
        from carte_blanche.consent.actions import revoke_consent

        revoke_consent(consent, by=agent)
    client = verified_client(agent)
    assert client.get(reverse("web:rights_check_detail", args=[check.pk])).status_code == 403
    assert client.get(reverse("web:rights_check_pdf", args=[check.pk])).status_code == 403
    assert client.get(reverse("web:rights_check_detail", args=[999999])).status_code == 404
