"""The mobility plan, the dispatcher and the indicators through the API, with a personal token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carte_blanche.accounts.tokens import issue_token
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.mobility import actions
from carte_blanche.territory.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_on_commit_at_once(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def bearer(user):
    return {"Authorization": f"Bearer {issue_token(user, 'Logiciel de test')[1]}"}


@pytest.fixture
def tuesday_ride(agent, sebastien):
    today = timezone.localdate()
    day = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)
    return actions.request_ride(
        sebastien, by=agent, day=day, purpose="health", origin_commune=sebastien.commune,
        destination_commune=Commune.objects.get(insee_code="46042"), arrive_after=dt.time(9, 30),
        arrive_before=dt.time(10), return_after=dt.time(11), return_before=dt.time(11, 30),
    )  # fmt: skip


def test_the_coordinator_reads_the_day_runs_the_dispatcher_and_reads_indicators(
    client, mobility_coordinator, tuesday_ride
):
    headers = bearer(mobility_coordinator)
    day = tuesday_ride.day.isoformat()
    rides = client.get(f"/api/v1/mobility/rides?day={day}", headers=headers).json()
    assert [r["direction"] for r in rides] == ["outbound", "return"]
    assert rides[0]["person"] == "CAYLA Sébastien" and rides[0]["origin_insee"] == "46171"
    assert JournalEntry.objects.filter(
        event=JournalEvent.PERSON_READ, actor_id=mobility_coordinator.pk, details__channel="api"
    ).exists()
    run = client.post("/api/v1/mobility/dispatch", {"day": day}, content_type="application/json", headers=headers)
    assert run.status_code == 200 and run.json()["legs"] == 2
    assert run.json()["served"] + run.json()["unserved"] == 2
    figures = client.get(f"/api/v1/mobility/indicators?start={day}&end={day}", headers=headers).json()
    assert figures["requests"] == 1 and figures["legs"] == 2


def test_other_roles_are_refused_and_bad_periods_explained(client, driver, coordinator, agent, tuesday_ride):
    day = tuesday_ride.day.isoformat()
    assert client.get(f"/api/v1/mobility/rides?day={day}", headers=bearer(agent)).status_code == 200
    refused = client.post("/api/v1/mobility/dispatch", {"day": day}, content_type="application/json",
                          headers=bearer(agent))  # fmt: skip
    assert refused.status_code == 403 and refused.json()["code"]
    ok = client.get(f"/api/v1/mobility/indicators?start={day}&end={day}", headers=bearer(coordinator))
    assert ok.status_code == 200
    bad = client.get(f"/api/v1/mobility/indicators?start={day}&end=2000-01-01", headers=bearer(coordinator))
    assert bad.status_code == 422 and "Période invalide" in bad.json()["message"]
    client.force_login(driver)  # drivers have no tokens; their web session reaches the API
    assert client.get(f"/api/v1/mobility/rides?day={day}").status_code == 403
