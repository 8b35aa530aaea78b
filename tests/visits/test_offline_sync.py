"""The offline queue's server side: the idempotency key, the JSON answers, the service worker's URL."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.visits import actions
from carte_blanche.visits.actions import record_visit
from carte_blanche.visits.models import Channel, Outcome, Visit

pytestmark = pytest.mark.django_db

NEW = "/visites/nouvelle/"
SYNC = {"HTTP_X_REQUESTED_WITH": "carte-blanche-sync"}


def _visit(by, **overrides):
    fields = {
        "structure": by.structure,
        "channel": Channel.IN_PERSON,
        "procedures": [],
        "outcomes": [Outcome.ANSWERED],
        "minutes": 10,
    }
    return record_visit(by=by, **(fields | overrides))


def _visit_entries(person):
    return JournalEntry.objects.filter(event=JournalEvent.VISIT_RECORDED, person_id=person.pk).count()


def _sync(client, **data):
    payload = {"channel": "in_person", "outcomes": ["answered"], "duration": "10"} | data
    return client.post(NEW, payload, **SYNC)


def test_the_same_client_key_twice_records_one_visit_and_one_journal_entry(agent, sebastien, rsa):
    key = uuid.uuid4().hex
    first = _visit(agent, person=sebastien, procedures=[rsa], client_key=key)
    second = _visit(agent, person=sebastien, procedures=[rsa], client_key=key, minutes=30)
    assert first.pk == second.pk
    assert (first.duplicate, second.duplicate) == (False, True)
    assert Visit.objects.filter(client_key=key).count() == 1
    assert Visit.objects.get(client_key=key).minutes == 10
    assert _visit_entries(sebastien) == 1


def test_visits_without_a_key_are_never_merged(agent):
    _visit(agent)
    _visit(agent)
    assert Visit.objects.filter(client_key="").count() == 2


def test_the_key_belongs_to_the_agent(agent, bus_agent):
    key = uuid.uuid4().hex
    mine = _visit(agent, client_key=key)
    theirs = _visit(bus_agent, client_key=key)
    assert mine.pk != theirs.pk and not theirs.duplicate


def test_the_database_refuses_a_second_row_with_the_same_key(agent):
    key = uuid.uuid4().hex
    visit = _visit(agent, client_key=key)
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(agent=agent, structure=visit.structure, outcomes=["answered"], minutes=5, client_key=key)


def test_a_race_on_the_key_returns_the_row_that_won(agent, sebastien, monkeypatch):
    """The other request committed between the first look-up and the insert: no error, no second visit."""
    key = uuid.uuid4().hex
    winner = _visit(agent, person=sebastien, client_key=key)
    looked_up = []
    real_lookup = actions.recorded_visit

    def too_early(by, client_key):
        looked_up.append(client_key)
        # The first look-up misses (the winner was not committed yet); the one after the IntegrityError finds it.
        return None if len(looked_up) == 1 else real_lookup(by, client_key)

    monkeypatch.setattr(actions, "recorded_visit", too_early)
    with transaction.atomic():  # as in the view: the savepoint keeps the outer transaction usable
        again = _visit(agent, person=sebastien, client_key=key)
        assert Visit.objects.filter(agent=agent).count() >= 1
    assert again.pk == winner.pk and again.duplicate
    assert Visit.objects.filter(client_key=key).count() == 1
    assert _visit_entries(sebastien) == 1
    assert len(looked_up) == 2


def test_the_form_carries_a_fresh_client_key(verified_client, agent):
    client = verified_client(agent)
    first = client.get(NEW).context["form"]["client_key"].value()
    second = client.get(NEW).context["form"]["client_key"].value()
    assert first and second and first != second
    page = client.get(NEW).content.decode()
    assert 'name="client_key"' in page and "visit-offline.js" in page
    assert 'aria-live="polite"' in page


def test_the_ordinary_form_passes_the_key_and_a_second_post_changes_nothing(verified_client, agent, sebastien):
    client = verified_client(agent)
    key = uuid.uuid4().hex
    data = {"personne": sebastien.pk, "channel": "in_person", "outcomes": ["answered"], "duration": "10"}
    first = client.post(NEW, data | {"client_key": key, "resolved": "oui"})
    second = client.post(NEW, data | {"client_key": key, "resolved": "oui"})
    assert first.status_code == second.status_code == 302
    assert Visit.objects.filter(client_key=key).count() == 1
    assert _visit_entries(sebastien) == 1
    assert "déjà enregistrée" in client.get(second.url).content.decode()


def test_sync_answers_json_created_then_duplicate(verified_client, agent, sebastien):
    client = verified_client(agent)
    key = uuid.uuid4().hex
    created = _sync(client, personne=sebastien.pk, client_key=key, note="Hors connexion")
    assert created.status_code == 201
    assert created["Content-Type"].startswith("application/json")
    visit = Visit.objects.get(client_key=key)
    assert created.json() == {"status": "created", "id": visit.pk}
    reads = JournalEntry.objects.filter(person_id=sebastien.pk).count()

    again = _sync(client, personne=sebastien.pk, client_key=key, note="Hors connexion")
    assert again.status_code == 200
    assert again.json() == {"status": "duplicate", "id": visit.pk}
    assert Visit.objects.filter(client_key=key).count() == 1
    assert _visit_entries(sebastien) == 1
    # The duplicate is answered before the file is read: nothing more in the person's journal.
    assert JournalEntry.objects.filter(person_id=sebastien.pk).count() == reads


def test_sync_of_an_anonymous_visit(verified_client, agent):
    client = verified_client(agent)
    key = uuid.uuid4().hex
    response = _sync(client, client_key=key, channel="phone", duration="5")
    assert response.status_code == 201 and response.json()["status"] == "created"
    visit = Visit.objects.get(client_key=key)
    assert visit.person is None and visit.channel == Channel.PHONE and visit.minutes == 5


def test_sync_of_invalid_data_answers_422_in_french(verified_client, agent):
    client = verified_client(agent)
    response = client.post(NEW, {"channel": "in_person", "client_key": uuid.uuid4().hex}, **SYNC)
    assert response.status_code == 422
    data = response.json()
    assert data["status"] == "invalid"
    assert data["errors"]["outcomes"] == ["Cochez au moins une suite donnée à la visite."]
    assert "Indiquez le temps passé" in data["errors"]["duration"][0]
    assert "Ce qui a été fait : Cochez au moins une suite" in data["message"]
    assert "é" in response.content.decode()  # readable French, not \\u escapes
    assert not Visit.objects.exists()


def test_sync_about_an_unknown_file_answers_422(verified_client, agent):
    client = verified_client(agent)
    response = _sync(client, personne="999999", client_key=uuid.uuid4().hex)
    assert response.status_code == 422
    assert "n'existe plus" in response.json()["message"]


def test_sync_needs_the_csrf_token(agent, sebastien):
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(enforce_csrf_checks=True)
    device, _ = TOTPDevice.objects.get_or_create(user=agent, name="test", defaults={"confirmed": True})
    client.force_login(agent)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    key = uuid.uuid4().hex
    data = {"channel": "in_person", "outcomes": ["answered"], "duration": "10", "client_key": key}
    assert client.post(NEW, data, **SYNC).status_code == 403
    token = client.get(NEW).context["csrf_token"]
    response = client.post(NEW, data, HTTP_X_CSRFTOKEN=str(token), **SYNC)
    assert response.status_code == 201
    assert Visit.objects.filter(client_key=key).count() == 1


def test_sync_with_an_ended_session_is_sent_to_the_login_page(client):
    response = _sync(client, client_key=uuid.uuid4().hex)
    assert response.status_code == 302 and "/comptes/connexion/" in response.url
    assert not Visit.objects.exists()


def test_an_invalid_client_key_is_refused(verified_client, agent):
    client = verified_client(agent)
    response = _sync(client, client_key="<script>")
    assert response.status_code == 422
    assert "clé d'envoi" in response.json()["message"]


def test_the_service_worker_is_javascript_served_under_the_visits(client, demo):
    url = reverse("web:visit_service_worker")
    assert url == "/visites/sw.js"
    response = client.get(url)  # no login: the worker holds no data, and must update after a session ends
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/visites/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'addEventListener("fetch"' in body and "carte-blanche-hors-ligne" in body
