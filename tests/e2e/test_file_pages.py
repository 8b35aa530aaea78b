"""The pages around a person's file that the main journeys do not walk through: the edit form,
the consent by SMS code, the consent form sent back with an error, and a 404 for an agent."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _roseline():
    from carte_blanche.people.models import Person

    return Person.objects.get(first_names="Roseline")


def _open_consent_form(page, person_id: int):
    page.goto(f"/personnes/{person_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Roseline Vayssière")
    consents = page.locator("#consentements")
    consents.get_by_text("Enregistrer un nouveau consentement").click()
    return consents


def _edit_roseline(page, new_phone: str):
    roseline = _roseline()
    login(page, "agent")
    page.goto(f"/personnes/{roseline.pk}/")
    page.get_by_role("link", name="Modifier le dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier le dossier de Roseline Vayssière")
    assert re.search(rf"/personnes/{roseline.pk}/modifier/\?finalite=accompaniment$", page.url)
    expect(page.get_by_label("Téléphone")).to_have_value(roseline.phone)
    page.get_by_label("Téléphone").fill(new_phone)
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_role("status")).to_contain_text("Dossier mis à jour.")
    return roseline


def test_agent_corrects_roseline_phone_once(page):
    from carte_blanche.journal.models import JournalEntry, JournalEvent

    roseline = _roseline()
    login(page, "agent")
    page.goto(f"/personnes/{roseline.pk}/")
    page.get_by_role("link", name="Modifier le dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier le dossier de Roseline Vayssière")
    assert re.search(rf"/personnes/{roseline.pk}/modifier/\?finalite=accompaniment$", page.url)
    # Only what the agent may read for this purpose is on the form: identity, contact and the
    # health category Roseline shared with France services, no income field.
    expect(page.get_by_label("Téléphone")).to_have_value(roseline.phone)
    expect(page.get_by_label("Prénoms")).to_have_value("Roseline")
    expect(page.locator("#id_autonomy_gir")).to_have_count(1)
    expect(page.locator("#id_monthly_resources")).to_have_count(0)
    expect(page.locator("#id_housing_status")).to_have_count(0)
    assert_accessible(page, "modifier le dossier de Roseline")

    page.get_by_label("Téléphone").fill("05 36 49 10 09")
    page.get_by_role("button", name="Enregistrer les modifications").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Roseline Vayssière")
    expect(page.get_by_role("status")).to_contain_text("Dossier mis à jour.")
    contact = page.locator("section", has=page.get_by_role("heading", name="Coordonnées"))
    expect(contact).to_contain_text("+33536491009")
    expect(contact).not_to_contain_text(roseline.phone)
    assert_accessible(page, "dossier de Roseline après modification")
    roseline.refresh_from_db()
    assert roseline.phone == "+33536491009"
    # The journal names the changed fields, never their values.
    entry = JournalEntry.objects.filter(event=JournalEvent.PERSON_UPDATED, person_id=roseline.pk).get()
    assert "phone" in entry.details["fields"]
    assert "+33536491009" not in str(entry.details) and "10 09" not in str(entry.details)


def test_saving_the_edit_form_as_shown_changes_only_what_was_typed(page):
    from carte_blanche.journal.models import JournalEntry, JournalEvent

    roseline = _edit_roseline(page, "05 36 49 10 09")
    entry = JournalEntry.objects.filter(event=JournalEvent.PERSON_UPDATED, person_id=roseline.pk).get()
    roseline.refresh_from_db()
    assert roseline.has_complementary_health is True
    assert entry.details == {"fields": ["phone"]}


def test_agent_records_a_consent_by_sms_code(page):
    from carte_blanche.consent.models import Consent, ConsentMethod
    from carte_blanche.messaging import sms

    roseline = _roseline()
    assert Consent.objects.filter(person=roseline, operator__slug="cpam-lot").count() == 0
    sms.outbox.clear()
    login(page, "agent")
    consents = _open_consent_form(page, roseline.pk)
    consents.get_by_label("Organisme autorisé").select_option(label="CPAM du Lot")
    tick(consents, "Identité", exact=True)
    tick(consents, "Accès aux droits")
    tick(consents, "Par un code envoyé par SMS")
    tick(consents, "J'ai expliqué à la personne")
    consents.get_by_role("button", name="Enregistrer le consentement").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Consentement par SMS — Roseline Vayssière")
    assert re.search(r"/consentements/code/\d+/\?finalite=accompaniment$", page.url)
    expect(page.get_by_role("status")).to_contain_text("Code envoyé par SMS")
    expect(page.get_by_role("main")).to_contain_text("se terminant par 03")
    assert_accessible(page, "code de consentement par SMS")

    # The live server runs in this process: its in-memory SMS backend filled this very outbox.
    assert len(sms.outbox) == 1 and sms.outbox[0].to == roseline.phone
    code = re.search(r"code est (\d{6})", sms.outbox[0].text).group(1)
    assert not Consent.objects.filter(person=roseline, operator__slug="cpam-lot").exists()
    page.get_by_label("Code à 6 chiffres reçu par la personne").fill(code)
    page.get_by_role("button", name="Valider le consentement").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Roseline Vayssière")
    expect(page.get_by_role("status")).to_contain_text("Consentement enregistré pour CPAM du Lot.")
    row = page.locator("#consentements tbody tr", has_text="CPAM du Lot")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Identité")
    expect(row).to_contain_text("Accès aux droits")
    expect(row).to_contain_text("Code reçu par SMS")
    consent = Consent.objects.active().get(person=roseline, operator__slug="cpam-lot")
    assert consent.method == ConsentMethod.SMS_CODE and consent.recorded_by.username == "agent"


def test_consent_form_without_a_category_comes_back_with_an_error(page):
    from carte_blanche.consent.models import Consent
    from carte_blanche.territory.models import Operator

    roseline = _roseline()
    before = Consent.objects.filter(person=roseline).count()
    login(page, "agent")
    consents = _open_consent_form(page, roseline.pk)
    consents.get_by_label("Organisme autorisé").select_option(label="CPAM du Lot")
    tick(consents, "Accès aux droits")
    tick(consents, "J'ai expliqué à la personne")
    with page.expect_response(lambda r: r.request.method == "POST" and "/consentements/" in r.url) as posted:
        consents.get_by_role("button", name="Enregistrer le consentement").click()
    assert posted.value.status == 400

    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer un consentement — Roseline Vayssière")
    expect(page.locator("#id_categories-erreurs")).to_have_text("Ce champ est obligatoire.")
    # What was chosen is kept.
    cpam = Operator.objects.get(slug="cpam-lot")
    expect(page.get_by_label("Organisme autorisé")).to_have_value(str(cpam.pk))
    assert_accessible(page, "formulaire de consentement, avec erreur")
    assert Consent.objects.filter(person=roseline).count() == before


def test_unknown_file_is_a_404_for_an_agent(page):
    from carte_blanche.journal.models import JournalEntry, JournalEvent

    login(page, "agent")
    response = page.goto("/personnes/99999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(page.get_by_role("main")).to_contain_text("Aucun dossier ne porte ce numéro.")
    assert_accessible(page, "page 404 (agent)")
    page.get_by_role("link", name="Revenir à l'accueil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire")
    # Probing an id leaves a trace, even when no file has it.
    refusal = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ_REFUSED, person_id=None).last()
    assert refusal.details["requested_person_id"] == 99999999
    assert refusal.details["reason"] == "personne inconnue"
