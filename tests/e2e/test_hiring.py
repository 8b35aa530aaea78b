"""Sarah's employer compares keeping her on a part-time CDD with a part-time CDI (104 hours a month)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def choose(scope, label: str) -> None:
    """Pick a DSFR radio button the way a user does: click its drawn label."""
    radio = scope.get_by_label(label, exact=True)
    scope.page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def test_the_employer_compares_a_part_time_cdd_with_a_cdi(new_page):
    from carte_blanche.rights import engine

    engine.warm_up()  # the live server runs in this process: build OpenFisca now, not within a click's timeout
    page = new_page()
    login(page, "employeur")
    page.get_by_role("link", name="Simuler une embauche").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Simuler le coût d'une embauche")
    assert_accessible(page, "simulateur du coût d'une embauche")

    for prefix, contract in (("a", "CDD"), ("b", "CDI")):
        scenario = page.locator(f"#scenario-{prefix}")
        choose(scenario, "Salaire brut mensuel")
        scenario.get_by_label("Montant mensuel (€)").fill("1300")
        choose(scenario, "Temps partiel")
        scenario.get_by_label("Heures payées par mois (temps partiel)").fill("104")
        choose(scenario, contract)
    compare = page.get_by_label("Comparer avec un second scénario")
    if not compare.is_checked():
        page.locator(f"label[for='{compare.get_attribute('id')}']").click()
    expect(compare).to_be_checked()

    page.set_default_timeout(60_000)
    page.get_by_role("button", name="Calculer", exact=True).click()
    expect(page.get_by_role("heading", name="Résultats")).to_be_visible()
    page.set_default_timeout(10_000)
    table = page.locator("table").first
    expect(table).to_contain_text("CDD")
    expect(table).to_contain_text("CDI")
    expect(table).to_contain_text("Écart")
    expect(table.get_by_role("rowheader", name="Coût total employeur", exact=False).first).to_be_visible()
    assert_accessible(page, "comparaison de deux scénarios d'embauche")
