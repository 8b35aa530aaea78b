"""axe-core on the pages the journeys do not already check: each role's home, the territory,
the public privacy page, the second login (code only) and the lockout page.

The journeys (test_journeys.py) check the login, two-factor enrolment, agent, CAF referent and
resident homes, the search results, the person files, the new file form (blank and with
errors), and the 403 and 404 pages; test_file_pages.py checks the edit form, the SMS code
page, the consent form sent back with an error and the 404 page as an agent.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, assert_accessible, current_totp, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("username", "greeting", "says"),
    [
        ("agent-bus", "Bonjour Julien", "Bus France services du Grand Cahors"),
        ("coordination", "Bonjour Anne", "Le territoire en chiffres"),
        ("coord-mobilite", "Bonjour Thomas", "Coordination de la mobilité solidaire"),
        ("conducteur", "Bonjour Bernard", "Vous conduisez des habitants sans moyen de transport"),
        ("employeur", "Bonjour Stéphanie", "Espace employeur du centre de service RH"),
        ("conseiller-rh", "Bonjour Karim", "Conseiller du centre de service RH"),
    ],
)
def test_role_home_page(page, username, greeting, says):
    login(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text(greeting)
    expect(page.get_by_role("main")).to_contain_text(says)
    assert_accessible(page, f"accueil {username}")


def test_territory_page(page):
    login(page, "conducteur")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Territoire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le territoire")
    expect(page.get_by_role("heading", name="Points de service permanents")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Cahors")
    assert_accessible(page, "territoire")


def test_privacy_page_without_login(page):
    page.goto("/")
    assert "/comptes/connexion/" in page.url
    page.get_by_role("contentinfo").get_by_role("link", name="Données personnelles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos données personnelles")
    expect(page.get_by_role("heading", name="Retirer votre accord")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    assert_accessible(page, "données personnelles")


def test_second_login_asks_only_for_the_code(page):
    login(page, "coord-mobilite")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")

    page.get_by_label("Identifiant").fill("coord-mobilite")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    expect(page.get_by_role("img", name="QR code d'activation de la double authentification")).to_have_count(0)
    page.get_by_label("Code à 6 chiffres").fill(_wrong_code("coord-mobilite"))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Code incorrect ou expiré")).to_be_visible()
    assert_accessible(page, "double authentification, code refusé")

    # After a wrong code django-otp refuses any code for a second (then 2, 4, 8…): wait like a user would.
    time.sleep(1.2)
    page.get_by_label("Code à 6 chiffres").fill(current_totp("coord-mobilite"))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Thomas")


def _wrong_code(username: str) -> str:
    """A code that none of the steps the device accepts now (previous, current, next) shows."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    accepted = set()
    for shift in (-1, 0, 1):
        totp.time = time.time() + shift * device.step
        accepted.add(f"{totp.token():06d}")
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def test_lockout_page_after_repeated_failures(page):
    page.goto("/comptes/connexion/")
    for _ in range(5):
        page.get_by_label("Identifiant").fill("employeur")
        page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
        page.get_by_role("button", name="Se connecter").click()
        if page.get_by_role("heading", name="Connexion bloquée temporairement").count():
            break
        expect(page.get_by_text("Identifiant ou mot de passe incorrect.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion bloquée temporairement")
    expect(page.get_by_role("main")).to_contain_text("Réessayez dans 15 minutes")
    assert_accessible(page, "connexion bloquée")

    # Even the right password is refused now.
    page.get_by_role("link", name="Revenir à la page de connexion").click()
    page.get_by_label("Identifiant").fill("employeur")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion bloquée temporairement")
