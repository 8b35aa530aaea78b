"""Letters to print and calls to make: the agent's list, the printable letter, "Fait"; other structures see nothing."""

import pytest
from django.urls import reverse

from carte_blanche.messaging.models import Notification, NotificationStatus
from carte_blanche.referrals.actions import send_referral, transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(bus_agent, caf_referent, sebastien, django_capture_on_commit_callbacks):
    sebastien.preferred_channel = "letter"
    sebastien.save()
    referral = send_referral(sebastien, operator=caf_referent.operator, question="Droit au RSA ?", by=bus_agent)
    with django_capture_on_commit_callbacks(execute=True):
        transition(referral, "answer", by=caf_referent, text="Droit ouvert.")
    return Notification.objects.get(person=sebastien, related_kind="referral", related_id=referral.pk)


def test_the_agent_lists_prints_and_marks_done(letter, bus_agent, sebastien, verified_client):
    assert letter.status == NotificationStatus.TO_PRINT
    client = verified_client(bus_agent)
    page = client.get(reverse("web:notification_list")).content.decode()
    assert "Courriers et appels" in page and f"{sebastien.last_name.upper()} {sebastien.first_names}" in page
    assert reverse("web:notification_letter", args=[letter.pk]) in page
    printable = client.get(reverse("web:notification_letter", args=[letter.pk])).content.decode()
    assert sebastien.address in printable and sebastien.last_name.upper() in printable
    assert "Objet : Votre demande auprès de CAF du Lot" in printable and "cb-letter" in printable
    assert client.get(reverse("web:notification_done", args=[letter.pk])).status_code == 405
    response = client.post(reverse("web:notification_done", args=[letter.pk]))
    assert response.status_code == 302 and response.url == reverse("web:notification_list")
    letter.refresh_from_db()
    assert letter.status == NotificationStatus.DONE and letter.done_by == bus_agent and letter.done_at
    assert "Aucun courrier à imprimer" in client.get(reverse("web:notification_list")).content.decode()


def test_another_structure_sees_nothing(letter, agent, bus_agent, caf_referent, sebastien, verified_client):
    assert agent.structure_id != bus_agent.structure_id
    client = verified_client(agent)
    page = client.get(reverse("web:notification_list")).content.decode()
    assert sebastien.last_name.upper() not in page and "Aucun courrier à imprimer" in page
    assert client.get(reverse("web:notification_letter", args=[letter.pk])).status_code == 404
    assert client.post(reverse("web:notification_done", args=[letter.pk])).status_code == 404
    letter.refresh_from_db()
    assert letter.status == NotificationStatus.TO_PRINT
    assert verified_client(caf_referent).get(reverse("web:notification_list")).status_code == 403


def test_the_menu_entry_is_for_agents(bus_agent, caf_referent, verified_client):
    assert "Courriers et appels" in verified_client(bus_agent).get(reverse("web:home")).content.decode()
    assert "Courriers et appels" not in verified_client(caf_referent).get(reverse("web:home")).content.decode()


def test_the_letter_as_an_a4_pdf(letter, bus_agent, agent, sebastien, verified_client):
    from carte_blanche.journal.models import JournalEntry, JournalEvent

    response = verified_client(bus_agent).get(reverse("web:notification_letter_pdf", args=[letter.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")
    read = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, person_id=sebastien.pk).last()
    assert read.actor_id == bus_agent.pk
    assert verified_client(agent).get(reverse("web:notification_letter_pdf", args=[letter.pk])).status_code == 404
