"""The procedures catalogue in the browser: live search with a typo, a procedure, a coordinator's edit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_finds_a_procedure_with_a_typo_without_reloading(page):
    login(page, "agent")
    page.get_by_role("link", name="Démarches").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue des démarches")
    assert_accessible(page, "catalogue")
    page.evaluate("window.__sansRechargement = true")
    page.get_by_label("Une démarche, un organisme, un mot").press_sequentially("pasport", delay=40)
    results = page.locator("#resultats-demarches")
    expect(results).to_contain_text("passeport")
    assert page.evaluate("window.__sansRechargement") is True
    assert_accessible(page, "catalogue, résultats")
    results.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("passeport")
    expect(page.get_by_role("main")).to_contain_text("Pièces à apporter")
    assert_accessible(page, "démarche")


def test_public_theme_page_without_login(page):
    page.goto("/demarches/themes/retraite/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Retraite")
    assert_accessible(page, "thème")


def test_coordinator_edits_a_procedure_and_sees_the_new_version(page):
    login(page, "coordination")
    page.goto("/demarches/rsa-demande/")
    page.get_by_role("link", name="Modifier cette démarche").click()
    assert_accessible(page, "modifier une démarche")
    delay = page.get_by_label("Délai habituel")
    delay.fill("1 mois en moyenne dans le Lot")
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    expect(page.get_by_role("main")).to_contain_text("1 mois en moyenne dans le Lot")
    expect(page.get_by_role("main")).to_contain_text("Version 2")
