"""On the bus without network: two visits wait on the tablet, then arrive once each when it returns."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTES = ("Hors connexion, première visite", "Hors connexion, seconde visite")

# An item as the page script queues it, to replay a sending whose answer was lost.
REPLAY = """async ([key, note]) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("carte-blanche-hors-ligne", 1);
    request.onupgradeneeded = () => request.result.createObjectStore("visites", { keyPath: "client_key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const transaction = db.transaction("visites", "readwrite");
    transaction.objectStore("visites").put({
      client_key: key, agent: document.querySelector("form[data-hors-ligne]").dataset.agent,
      url: new URL("/visites/nouvelle/", location.href).href,
      fields: [["channel", "in_person"], ["outcomes", "answered"], ["duration", "10"], ["note", note],
               ["client_key", key]],
      csrf: "", queued_at: new Date().toISOString(), state: "waiting", error: "",
    });
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
  });
  db.close();
  window.dispatchEvent(new Event("online"));
}"""


def _visits():
    from carte_blanche.visits.models import Visit

    return list(Visit.objects.order_by("pk").values("note", "client_key", "channel", "minutes", "outcomes"))


def test_visits_recorded_offline_are_sent_once_when_the_network_returns(page):
    login(page, "agent")
    page.goto("/visites/nouvelle/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer une visite")
    # The service worker installs and takes the page (clients.claim) while the network is there.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert page.locator("input[name='client_key']").input_value()
    status = page.locator("#etat-hors-ligne")

    page.context.set_offline(True)
    page.wait_for_function("() => navigator.onLine === false")

    first_key = page.locator("input[name='client_key']").input_value()
    tick(page, "Réponse apportée sur place")
    tick(page, "10 min")
    page.get_by_label("Note (facultatif)").fill(NOTES[0])
    page.get_by_role("button", name="Enregistrer la visite").click()
    expect(status).to_contain_text("Hors connexion : visite enregistrée sur la tablette", timeout=5_000)
    expect(status).to_contain_text("1 visite en attente d'envoi")
    # The form is empty again, with a new key, for the next person.
    expect(page.get_by_label("Note (facultatif)")).to_have_value("")
    second_key = page.locator("input[name='client_key']").input_value()
    assert second_key and second_key != first_key

    tick(page, "Par téléphone")
    tick(page, "Fait avec la personne")
    tick(page, "5 min", exact=True)
    page.get_by_label("Note (facultatif)").fill(NOTES[1])
    page.get_by_role("button", name="Enregistrer la visite").click()
    expect(status).to_contain_text("2 visites en attente d'envoi", timeout=5_000)
    assert _visits() == []
    assert_accessible(page, "visite hors connexion")

    page.context.set_offline(False)
    expect(status).to_contain_text("2 visites envoyées", timeout=15_000)
    expect(status).not_to_contain_text("en attente")
    visits = _visits()
    assert [v["note"] for v in visits] == list(NOTES)
    assert [v["client_key"] for v in visits] == [first_key, second_key]
    assert (visits[0]["channel"], visits[0]["minutes"], visits[0]["outcomes"]) == ("in_person", 10, ["answered"])
    assert (visits[1]["channel"], visits[1]["minutes"], visits[1]["outcomes"]) == ("phone", 5, ["done_with"])

    # Nothing is sent again at the next showing of the form.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer une visite")
    page.wait_for_load_state("networkidle")
    expect(status).to_have_text("")
    assert len(_visits()) == 2

    # A sending whose answer was lost comes back with the same key: still one visit.
    page.evaluate(REPLAY, [first_key, NOTES[0]])
    expect(status).to_contain_text("1 visite envoyée", timeout=10_000)
    assert [v["note"] for v in _visits()] == list(NOTES)
    assert_accessible(page, "visites envoyées")


def test_a_visit_whose_sending_fails_is_kept_by_the_service_worker(page):
    """The tablet believes it is online but the POST gets no network: the worker queues the visit."""
    from carte_blanche.people.models import Person

    sebastien = Person.objects.get(first_names="Sébastien")
    login(page, "agent")
    page.goto(f"/visites/nouvelle/?personne={sebastien.pk}")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()  # this opening goes through the worker, which keeps the page for later
    expect(page.get_by_text("Visite de Sébastien Cayla")).to_be_visible()
    page.context.set_offline(True)
    # A weak signal (one bar on the bus): the browser still says "online", the request fails.
    page.evaluate("() => Object.defineProperty(navigator, 'onLine', { get: () => true })")
    tick(page, "Réponse apportée sur place")
    tick(page, "10 min")
    page.get_by_label("Note (facultatif)").fill("Envoi coupé")
    page.get_by_role("button", name="Enregistrer la visite").click()

    # The worker answers with the form kept in its cache, and the visit waits on the tablet.
    status = page.locator("#etat-hors-ligne")
    expect(status).to_contain_text("Hors connexion : visite enregistrée sur la tablette", timeout=10_000)
    expect(status).to_contain_text("1 visite en attente d'envoi")
    expect(page.get_by_text("Visite de Sébastien Cayla")).to_be_visible()
    assert _visits() == []

    page.context.set_offline(False)
    expect(status).to_contain_text("1 visite envoyée", timeout=15_000)
    from carte_blanche.visits.models import Visit

    visit = Visit.objects.get()
    assert visit.person_id == sebastien.pk and visit.note == "Envoi coupé"


def test_a_visit_refused_at_sending_is_kept_to_be_corrected(page):
    login(page, "agent")
    page.goto("/visites/nouvelle/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.wait_for_function("() => navigator.onLine === false")
    # No outcome ticked: the server will refuse it.
    tick(page, "10 min")
    page.get_by_label("Note (facultatif)").fill("À compléter")
    page.get_by_role("button", name="Enregistrer la visite").click()
    status = page.locator("#etat-hors-ligne")
    expect(status).to_contain_text("1 visite en attente d'envoi", timeout=5_000)

    page.context.set_offline(False)
    expect(status).to_contain_text("1 visite à corriger", timeout=15_000)
    to_fix = page.get_by_role("region", name="Visites à corriger")
    expect(to_fix).to_contain_text("Ce qui a été fait : Cochez au moins une suite donnée à la visite.")
    assert _visits() == []
    assert_accessible(page, "visites à corriger")

    to_fix.get_by_role("button", name="Reprendre dans le formulaire").click()
    expect(status).to_contain_text("Visite reprise dans le formulaire")
    expect(to_fix).to_be_hidden()
    expect(page.get_by_label("Note (facultatif)")).to_have_value("À compléter")
    expect(page.get_by_label("10 min")).to_be_checked()
    tick(page, "Réponse apportée sur place")
    page.get_by_role("button", name="Enregistrer la visite").click()
    expect(page.get_by_role("heading", level=1, name="Bonjour")).to_be_visible()
    assert [v["note"] for v in _visits()] == ["À compléter"]
