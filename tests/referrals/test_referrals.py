"""Referrals: consent required, the lifecycle's named transitions, partners kept apart, late ones escalate."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from carte_blanche.catalogue.models import Procedure
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.messaging import sms
from carte_blanche.referrals.actions import send_referral, transition
from carte_blanche.referrals.escalation import escalate_overdue
from carte_blanche.referrals.models import Referral, ServiceLevel
from carte_blanche.referrals.states import IllegalTransition, Status
from carte_blanche.referrals.workdays import add_working_days

pytestmark = pytest.mark.django_db

QUESTION = "Sébastien n'a plus aucune ressource depuis la fin de l'ASS : peut-il ouvrir un droit au RSA ?"


@pytest.fixture
def rsa():
    return Procedure.objects.get(slug="rsa-demande")


@pytest.fixture
def referral(bus_agent, caf_referent, sebastien, rsa):
    return send_referral(sebastien, operator=caf_referent.operator, question=QUESTION, procedure=rsa, by=bus_agent)


def test_sending_sets_a_deadline_in_working_days_and_journals(referral, caf_referent):
    assert referral.state is Status.SENT
    assert referral.deadline == add_working_days(timezone.localdate(), 5)
    entry = JournalEntry.objects.filter(event=JournalEvent.REFERRAL_SENT).last()
    assert entry.person_id == referral.person_id and entry.details["referral_id"] == referral.pk


def test_the_operators_service_level_sets_the_deadline(bus_agent, caf_referent, sebastien):
    ServiceLevel.objects.create(operator=caf_referent.operator, working_days=10)
    referral = send_referral(sebastien, operator=caf_referent.operator, question=QUESTION, by=bus_agent)
    assert referral.deadline == add_working_days(timezone.localdate(), 10)


def test_no_consent_no_referral(agent, cpam_referent, roseline):
    with pytest.raises(ValidationError, match="Recueillez d'abord son consentement"):
        send_referral(roseline, operator=cpam_referent.operator, question=QUESTION, by=agent)
    assert not Referral.objects.exists()


def test_only_agents_send(caf_referent, sebastien):
    with pytest.raises(PermissionDenied):
        send_referral(sebastien, operator=caf_referent.operator, question=QUESTION, by=caf_referent)


def test_the_whole_lifecycle(referral, caf_referent, bus_agent, sebastien, django_capture_on_commit_callbacks):
    sms.outbox.clear()
    transition(referral, "accept", by=caf_referent)
    with django_capture_on_commit_callbacks(execute=True):
        transition(referral, "request_info", by=caf_referent, text="Merci de préciser la date de fin de l'ASS.")
    transition(referral, "provide_info", by=bus_agent, text="Fin des droits ASS le 30 septembre.")
    with django_capture_on_commit_callbacks(execute=True):
        done = transition(referral, "answer", by=caf_referent, text="Droit ouvert : rendez-vous pris le 3 décembre.")
    assert done.state is Status.ANSWERED and done.answered_at is not None
    closed = transition(done, "close", by=bus_agent)
    assert closed.state is Status.CLOSED
    kinds = list(closed.messages.values_list("kind", flat=True))
    assert kinds == ["question", "info_request", "info", "answer"]
    transitions = JournalEntry.objects.filter(event=JournalEvent.REFERRAL_TRANSITION, person_id=sebastien.pk)
    assert [e.details["transition"] for e in transitions.order_by("seq")] == [
        "accept", "request_info", "provide_info", "answer", "close",
    ]  # fmt: skip
    # The agent was told by e-mail of the request for information and of the answer.
    assert [m.to for m in mail.outbox] == [[bus_agent.email], [bus_agent.email]]
    assert mail.outbox[-1].subject.startswith("Réponse à votre orientation")
    # Sébastien prefers the phone: no SMS is sent; the call to make is in the agent's list.
    assert sms.outbox == []
    from carte_blanche.messaging.models import Notification

    calls = Notification.objects.filter(person=sebastien, related_kind="referral", related_id=referral.pk)
    assert [(n.channel, n.status) for n in calls] == [("phone", "to_call")]


def test_illegal_moves_and_missing_texts_change_nothing(referral, caf_referent, bus_agent):
    with pytest.raises(IllegalTransition):
        transition(referral, "close", by=bus_agent)
    with pytest.raises(ValidationError, match="motif"):
        transition(referral, "refuse", by=caf_referent, text="  ")
    referral.refresh_from_db()
    assert referral.state is Status.SENT


def test_another_operator_can_neither_act_nor_see(referral, cpam_referent, caf_referent, verified_client):
    with pytest.raises(PermissionDenied):
        transition(referral, "accept", by=cpam_referent)
    assert not Referral.objects.visible_to(cpam_referent).exists()
    assert Referral.objects.visible_to(caf_referent).count() == 1
    client = verified_client(cpam_referent)
    assert client.get(reverse("web:referral_detail", args=[referral.pk])).status_code == 404
    inbox = client.get(reverse("web:referral_inbox")).content.decode()
    assert "Cayla" not in inbox.upper().title() and "CAYLA" not in inbox


def test_late_referrals_escalate_to_referents_then_the_manager(referral, caf_referent):
    ServiceLevel.objects.create(operator=caf_referent.operator, working_days=5, manager_email="direction@caf.example")
    caf_referent.email = "referente@caf.example"
    caf_referent.save()
    mail.outbox.clear()
    day_after = add_working_days(referral.deadline, 1)
    assert escalate_overdue(referral.deadline) == {"reminded": 0, "manager": 0}
    assert escalate_overdue(day_after) == {"reminded": 1, "manager": 0}
    assert mail.outbox[-1].to == ["referente@caf.example"]
    assert escalate_overdue(day_after) == {"reminded": 0, "manager": 0}  # not twice
    assert escalate_overdue(add_working_days(referral.deadline, 2)) == {"reminded": 0, "manager": 1}
    assert "direction@caf.example" in mail.outbox[-1].to
    referral.refresh_from_db()
    assert referral.escalation_level == 2 and referral.is_overdue(day_after)


def test_answered_referrals_do_not_escalate(referral, caf_referent):
    transition(referral, "answer", by=caf_referent, text="Réponse faite.")
    assert escalate_overdue(referral.deadline + dt.timedelta(days=30)) == {"reminded": 0, "manager": 0}


def test_the_inbox_and_the_answer_from_the_web(referral, caf_referent, verified_client):
    client = verified_client(caf_referent)
    inbox = client.get(reverse("web:referral_inbox")).content.decode()
    assert "CAYLA Sébastien" in inbox and "Demander le revenu de solidarité active" in inbox
    page = client.get(reverse("web:referral_detail", args=[referral.pk])).content.decode()
    assert "plus aucune ressource depuis la fin" in page and "Prendre en charge" in page
    client.post(reverse("web:referral_detail", args=[referral.pk]), {"transition": "answer", "text": "Dossier ouvert."})
    referral.refresh_from_db()
    assert referral.state is Status.ANSWERED


def test_late_referrals_show_in_red_in_the_inbox(referral, caf_referent, verified_client):
    Referral.objects.filter(pk=referral.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    inbox = verified_client(caf_referent).get(reverse("web:referral_inbox"), {"late": "on"}).content.decode()
    assert "en retard" in inbox and "CAYLA" in inbox


def test_agent_sends_from_the_person_file(verified_client, bus_agent, caf_referent, sebastien):
    client = verified_client(bus_agent)
    form = client.get(reverse("web:referral_create", args=[sebastien.pk]) + "?demarche=rsa-demande")
    assert form.context["form"].initial["operator"] == caf_referent.operator
    response = client.post(
        reverse("web:referral_create", args=[sebastien.pk]),
        {"operator": caf_referent.operator_id, "procedure": Procedure.objects.get(slug="rsa-demande").pk,
         "question": QUESTION},
    )  # fmt: skip
    assert response.status_code == 302
    assert Referral.objects.get().person_id == sebastien.pk


def test_refused_without_consent_in_the_form(verified_client, agent, cpam_referent, roseline):
    response = verified_client(agent).post(
        reverse("web:referral_create", args=[roseline.pk]),
        {"operator": cpam_referent.operator_id, "question": QUESTION},
    )
    assert response.status_code == 200 and "consentement" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_person_who_prefers_sms_is_told_by_sms(referral, caf_referent, sebastien, django_capture_on_commit_callbacks):
    sebastien.preferred_channel = "sms"
    sebastien.save()
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition(referral, "answer", by=caf_referent, text="Droit ouvert.")
    assert sms.outbox[-1].to == sebastien.phone
    assert sms.outbox[-1].text == (
        "Carte Blanche : CAF du Lot a répondu à votre demande. Votre agent France services peut vous l'expliquer."
    )


def test_referrals_appear_in_the_timeline_of_those_who_may_see_them(referral, bus_agent, cpam_referent, caf_referent):
    from carte_blanche.consent.access import access_person
    from carte_blanche.visits.timeline import timeline_for

    record = access_person(bus_agent, referral.person_id, "accompaniment")
    titles = [item.title for item in timeline_for(record, bus_agent) if item.kind == "referral"]
    assert titles == ["Orientation vers CAF du Lot : Demander le revenu de solidarité active (RSA)"]
    caf_record = access_person(caf_referent, referral.person_id, "referral")
    assert [i.kind for i in timeline_for(caf_record, caf_referent)].count("referral") == 1


def test_closing_a_referral_asks_the_person_whether_it_was_resolved(referral, caf_referent, bus_agent):
    from carte_blanche.satisfaction.models import SatisfactionSurvey

    transition(referral, "answer", by=caf_referent, text="Droit ouvert.")
    transition(referral, "close", by=bus_agent)
    survey = SatisfactionSurvey.objects.get(about_kind="referral", about_id=referral.pk)
    # Sébastien prefers the phone: the question waits for his next visit.
    assert survey.channel == "counter" and survey.answered_at is None
