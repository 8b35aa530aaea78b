"""The person downloads everything the platform holds on them; nobody else can."""

from __future__ import annotations

import json

import pytest

from carte_blanche.journal.models import JournalEntry, JournalEvent

pytestmark = pytest.mark.django_db


def test_sarah_downloads_her_data_as_json_and_pdf(client, resident_sarah, sarah):
    client.force_login(resident_sarah)
    page = client.get(f"/personnes/{sarah.pk}/?finalite=self").content.decode()
    assert "Télécharger mes données (PDF)" in page
    response = client.get("/mes-donnees/export.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person_id"] == sarah.pk
    assert data["file"]["Identité"]["first_names"] == "Sarah"
    assert data["consents"] and all("operator" in c for c in data["consents"])
    assert data["journal"] and data["household"]
    read = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, person_id=sarah.pk).last()
    assert read.details["channel"] == "export"
    pdf = client.get("/mes-donnees/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_no_one_else_downloads_a_persons_export(verified_client, agent, caf_referent, client):
    for user in (agent, caf_referent):
        assert verified_client(user).get("/mes-donnees/export.json").status_code == 403
    client.logout()
    assert client.get("/mes-donnees/export.json").status_code == 302  # to the login page
