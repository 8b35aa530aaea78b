"""The main journeys, in Chromium: what an agent, a partner referent and a resident see and do."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/e2e-roseline.png"


def _person(first_names):
    from carte_blanche.people.models import Person

    return Person.objects.get(first_names=first_names)


def _user(username):
    from carte_blanche.accounts.models import User

    return User.objects.get(username=username)


def test_agent_finds_roseline_with_the_live_search(page):
    login(page, "agent", check_accessibility=True)
    assert_accessible(page, "accueil agent")

    # The search as a page of its own (the address htmx pushes into the history).
    page.goto("/personnes/?q=rosel")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher une personne")
    expect(page.locator("#resultats caption")).to_contain_text("1 personne trouvée")
    assert_accessible(page, "recherche de personnes avec résultats")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Accueil").click()
    expect(page.locator("#resultats")).to_be_empty()
    # htmx binds the field once the page has loaded: keys typed before that would send nothing.
    page.wait_for_load_state("load")

    # Mark the document: a full page load would lose the mark.
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Nom, prénom ou téléphone").press_sequentially("rosel")
    results = page.locator("#resultats")
    expect(results.get_by_role("table")).to_be_visible()
    expect(results.locator("caption")).to_contain_text("1 personne trouvée pour « rosel »")
    expect(results.get_by_role("link", name="VAYSSIÈRE Roseline")).to_be_visible()
    assert page.evaluate("window.__sameDocument === true"), "la recherche a rechargé la page"
    assert_accessible(page, "accueil agent avec résultats de recherche")

    results.get_by_role("link", name="VAYSSIÈRE Roseline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roseline Vayssière")
    identity = page.locator("section", has=page.get_by_role("heading", name="Identité", exact=True))
    expect(identity).to_contain_text("Vayssière")
    expect(identity).to_contain_text("Bouscarel")
    expect(page.get_by_role("heading", name="Coordonnées")).to_be_visible()
    expect(page.get_by_role("heading", name="Santé et autonomie")).to_be_visible()
    journal = page.locator("section", has=page.get_by_role("heading", name="Qui a consulté ces données"))
    expect(journal.get_by_role("table")).to_contain_text("Claire Delpech")
    expect(journal.get_by_role("table")).to_contain_text("Consultation du dossier")
    assert_accessible(page, "dossier de Roseline (agent)")
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_agent_opens_a_file_then_records_and_withdraws_a_consent(page):
    from carte_blanche.consent.models import Consent
    from carte_blanche.people.models import Person

    login(page, "agent")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Ouvrir un dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ouvrir un dossier")
    assert_accessible(page, "ouvrir un dossier")

    page.get_by_label("Civilité").select_option(label="Madame")
    page.get_by_label("Prénoms").fill("Camille")
    page.get_by_label("Nom d'usage").fill("Testut")
    page.locator("#id_birth_date").fill("1990-05-17")
    page.get_by_role("combobox", name="Commune", exact=True).select_option(label="Cahors (46042)")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.locator("#id_foyer-0-first_name").fill("Jules")
    page.locator("#id_foyer-0-birth_date").fill("2019-09-01")
    page.locator("#id_foyer-0-relationship").select_option(label="Enfant")
    page.locator("label[for='id_foyer-0-is_dependent']").click()  # DSFR draws the box on the label
    expect(page.locator("#id_foyer-0-is_dependent")).to_be_checked()
    page.get_by_role("button", name="Ouvrir le dossier").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Testut")
    person = Person.objects.get(last_name="Testut")
    assert re.search(rf"/personnes/{person.pk}/$", page.url)
    expect(page.get_by_role("status")).to_contain_text("Dossier ouvert.")
    expect(page.locator("#id_birth_date")).to_have_count(0)
    assert list(person.household.values_list("first_name", flat=True)) == ["Jules"]
    assert person.phone == "+33612345678"

    consents = page.locator("#consentements")
    expect(consents).to_contain_text("Aucun consentement.")
    consents.get_by_text("Enregistrer un nouveau consentement").click()
    consents.get_by_label("Organisme autorisé").select_option(label="CPAM du Lot")
    tick(consents, "Identité", exact=True)
    tick(consents, "Coordonnées et autonomie numérique")
    tick(consents, "Accès aux droits")
    tick(consents, "J'ai expliqué à la personne")
    consents.get_by_role("button", name="Enregistrer le consentement").click()

    expect(page.get_by_role("status")).to_contain_text("Consentement enregistré pour CPAM du Lot.")
    rows = page.locator("#consentements tbody tr", has_text="CPAM du Lot")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Identité")).to_contain_text("Accès aux droits")
    expect(rows.filter(has_text="Identité")).to_contain_text("jusqu'au")
    assert Consent.objects.active().filter(person=person, operator__slug="cpam-lot").count() == 2
    assert_accessible(page, "dossier après un consentement")

    page.get_by_role("button", name="Retirer le consentement Identité donné à CPAM du Lot").click()
    expect(page.get_by_role("status")).to_contain_text("Consentement retiré : CPAM du Lot n'a plus accès")
    identity_row = page.locator("#consentements tbody tr", has_text="CPAM du Lot").filter(has_text="Identité")
    expect(identity_row).to_contain_text("retiré le")
    expect(identity_row.get_by_role("button", name="Retirer")).to_have_count(0)
    assert Consent.objects.active().filter(person=person, operator__slug="cpam-lot").count() == 1


def test_caf_referent_is_refused_roseline_in_the_page_and_the_api(page):
    from carte_blanche.journal.models import JournalEntry, JournalEvent

    roseline = _person("Roseline")
    referent = _user("referent-caf")
    login(page, "referent-caf", check_accessibility=True)
    expect(page.get_by_role("main")).to_contain_text("Référent Caisse d'allocations familiales du Lot")
    expect(page.get_by_role("main")).to_contain_text("FOURNIÉ Sarah")
    expect(page.get_by_role("main")).not_to_contain_text("Roseline")
    assert_accessible(page, "accueil référent CAF")

    response = page.goto(f"/personnes/{roseline.pk}/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    text = page.locator("body").inner_text()
    for secret in (
        roseline.first_names,
        roseline.last_name,
        roseline.last_name.upper(),
        roseline.birth_name,
        roseline.phone,
        "05 36 49 10 03",
        roseline.birth_date.strftime("%d/%m/%Y"),
        str(roseline.birth_date.year),
    ):
        assert secret not in text, f"la page de refus montre {secret!r}"
    assert roseline.birth_date.isoformat() not in page.content()
    assert_accessible(page, "page 403")
    assert JournalEntry.objects.filter(
        event=JournalEvent.PERSON_READ_REFUSED, person_id=roseline.pk, actor_id=referent.pk
    ).exists()

    api = page.request.get(f"/api/v1/persons/{roseline.pk}?purpose=case_management")
    assert api.status == 403
    body = api.json()
    assert body["code"] == "access_denied"
    assert roseline.last_name not in api.text() and roseline.phone not in api.text()
    refusals = JournalEntry.objects.filter(
        event=JournalEvent.PERSON_READ_REFUSED, person_id=roseline.pk, actor_id=referent.pk
    )
    assert refusals.count() == 2 and refusals.filter(details__channel="api").exists()

    response = page.goto("/personnes/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    assert_accessible(page, "page 404")


def test_resident_sees_who_read_her_file_and_withdraws_a_consent(new_page):
    from carte_blanche.consent.models import Consent

    sarah = _person("Sarah")
    referent_page = new_page()
    login(referent_page, "referent-caf")
    referent_page.get_by_role("link", name="FOURNIÉ Sarah").click()
    expect(referent_page.get_by_role("heading", level=1)).to_have_text("Sarah Fournié")
    expect(referent_page.get_by_role("heading", name="Foyer, logement et ressources")).to_be_visible()
    expect(referent_page.get_by_role("heading", name="Coordonnées")).to_have_count(0)
    expect(referent_page.get_by_role("heading", name="Qui a consulté ces données")).to_have_count(0)
    assert_accessible(referent_page, "dossier de Sarah (référent CAF)")

    page = new_page()
    login(page, "sarah", check_accessibility=True)
    assert "/comptes/2fa/" not in page.url
    assert_accessible(page, "accueil habitante")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mes données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sarah Fournié")
    expect(page.get_by_text("Finalité de la consultation")).to_contain_text("Consultation par la personne elle-même")
    journal = page.locator("section", has=page.get_by_role("heading", name="Qui a consulté ces données"))
    read_by_caf = journal.locator("tbody tr", has_text="Nathalie Cayrou")
    expect(read_by_caf.first).to_contain_text("Consultation du dossier")
    expect(read_by_caf.first).to_contain_text("Instruction d'un dossier par l'organisme")
    assert_accessible(page, "mes données (Sarah)")

    page.get_by_role(
        "button", name="Retirer le consentement Identité donné à CAF du Lot pour Instruction d'un dossier"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Consentement retiré : CAF du Lot n'a plus accès")
    withdrawn = page.locator("#consentements tbody tr", has_text="CAF du Lot").filter(
        has_text="Instruction d'un dossier"
    )
    expect(withdrawn.filter(has_text="Identité")).to_contain_text("retiré le")
    consent = Consent.objects.get(
        person=sarah, operator__slug="caf-lot", category="identity", purpose="case_management"
    )
    assert consent.revoked_at is not None

    # The CAF no longer sees who she is for this purpose; the income it may still see.
    referent_page.reload()
    expect(referent_page.get_by_role("heading", name="Identité", exact=True)).to_have_count(0)
    expect(referent_page.get_by_role("heading", name="Foyer, logement et ressources")).to_be_visible()


def test_bad_input_on_the_new_file_form_shows_french_errors_and_creates_nothing(page):
    from carte_blanche.journal.models import JournalEntry, JournalEvent
    from carte_blanche.people.models import Person

    persons = Person.objects.count()
    created = JournalEntry.objects.filter(event=JournalEvent.PERSON_CREATED).count()
    login(page, "agent")
    page.goto("/personnes/nouvelle/")
    page.get_by_label("Nom d'usage").fill("Sansprénom")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.locator("#id_birth_date").fill(tomorrow.isoformat())
    page.get_by_label("Téléphone").fill("06 12")
    page.get_by_label("Numéro de sécurité sociale").fill("123")
    page.get_by_role("button", name="Ouvrir le dossier").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ouvrir un dossier")
    expect(page.locator("#id_first_names-erreurs")).to_have_text("Ce champ est obligatoire.")
    expect(page.locator("#id_commune-erreurs")).to_have_text("Ce champ est obligatoire.")
    expect(page.locator("#id_birth_date-erreurs")).to_have_text("La date de naissance ne peut pas être dans le futur.")
    expect(page.locator("#id_phone-erreurs")).to_contain_text("Ce numéro de téléphone n'existe pas")
    expect(page.locator("#id_nir-erreurs")).to_contain_text("15 caractères")
    expect(page.get_by_label("Prénoms")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Prénoms")).to_have_attribute("aria-describedby", "id_first_names-erreurs")
    # What was typed is kept.
    expect(page.get_by_label("Nom d'usage")).to_have_value("Sansprénom")
    assert_accessible(page, "ouvrir un dossier, avec erreurs")

    assert Person.objects.count() == persons
    assert JournalEntry.objects.filter(event=JournalEvent.PERSON_CREATED).count() == created
    assert not Person.objects.filter(last_name="Sansprénom").exists()
