"""The notification layer: channel choice and fallbacks, once per key, failures kept, the timeline."""

from types import SimpleNamespace

import pytest
from django.core import mail

from carte_blanche.messaging import sms
from carte_blanche.messaging.models import Channel, Notification, NotificationStatus
from carte_blanche.messaging.notify import choose_channel, mark_done, notify_person, notify_user
from carte_blanche.messaging.templates import TEMPLATES, render

pytestmark = pytest.mark.django_db

VALUES = {"id": 7, "operator": "CAF du Lot", "operator_name": "Caisse d'allocations familiales du Lot"}


class BrokenBackend:
    def send(self, to, text):
        raise ConnectionError("passerelle SMS injoignable")


def person(preferred, *, phone="", email="", address=""):
    return SimpleNamespace(preferred_channel=preferred, phone=phone, email=email, address=address)


@pytest.mark.parametrize(
    ("who", "letter_ok", "expected"),
    [
        (person("sms", phone="+33600000000"), True, Channel.SMS),
        (person("email", email="a@example.org"), True, Channel.EMAIL),
        (person("phone", phone="+33600000000", address="1 rue"), True, Channel.PHONE),
        (person("letter", phone="+33600000000", address="1 rue"), True, Channel.LETTER),
        (person("sms", address="1 rue"), True, Channel.LETTER),  # no phone: a letter
        (person("email", phone="+33600000000", address="1 rue"), True, Channel.LETTER),  # no e-mail: a letter
        (person("email", phone="+33600000000"), True, Channel.PHONE),  # no address either: a call
        (person("letter", phone="+33600000000", address="1 rue"), False, Channel.PHONE),  # too late for a letter
    ],
)
def test_the_channel_follows_the_preference_then_falls_back(who, letter_ok, expected):
    assert choose_channel(who, letter_ok=letter_ok) == expected


def test_templates_render_and_fit_in_an_sms():
    subject, body = render("referral.answer", **VALUES)
    assert subject == "Votre demande auprès de CAF du Lot"
    assert body.startswith("Carte Blanche : CAF du Lot a répondu")
    with pytest.raises(KeyError):
        render("referral.answer")
    for template in TEMPLATES.values():
        assert len(template.body) < sms.MAX_LENGTH - 100


def test_the_same_key_sends_once(sarah):
    assert sarah.preferred_channel == "sms" and sarah.phone
    sms.outbox.clear()
    first = notify_person(sarah, "referral.answer", key="test:1", values=VALUES, related=("referral", 7))
    second = notify_person(sarah, "referral.answer", key="test:1", values=VALUES, related=("referral", 7))
    assert first.pk == second.pk
    assert Notification.objects.filter(idempotency_key="test:1").count() == 1
    assert len(sms.outbox) == 1 and sms.outbox[0].to == sarah.phone
    first.refresh_from_db()
    assert (first.channel, first.status, first.related_kind, first.related_id) == ("sms", "sent", "referral", 7)
    assert first.sent_at is not None and first.person == sarah and first.body == sms.outbox[0].text


def test_email_to_a_person_and_to_a_user(bus_agent, sarah):
    sarah.preferred_channel = "email"
    mail.outbox.clear()
    to_person = notify_person(sarah, "referral.refuse", key="test:p", values=VALUES)
    to_agent = notify_user(bus_agent, "referral.agent.answer", key="test:u", values=VALUES)
    assert [m.to for m in mail.outbox] == [[sarah.email], [bus_agent.email]]
    assert mail.outbox[1].subject == "Réponse à votre orientation n° 7 (CAF du Lot)"
    assert to_person.status == to_agent.status == NotificationStatus.SENT
    assert to_agent.recipient_user == bus_agent and to_agent.person is None


def test_a_failure_is_recorded_not_raised(settings, sarah, bus_agent):
    settings.SMS_BACKEND = f"{__name__}.BrokenBackend"
    failed = notify_person(sarah, "referral.answer", key="test:broken", values=VALUES)
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.FAILED and failed.sent_at is None
    assert "passerelle SMS injoignable" in failed.error
    # Retrying with the same key does not send again: a new attempt needs a new key.
    assert notify_person(sarah, "referral.answer", key="test:broken", values=VALUES).pk == failed.pk
    bus_agent.email = ""
    no_address = notify_user(bus_agent, "referral.agent.answer", key="test:nomail", values=VALUES)
    assert no_address.status == NotificationStatus.FAILED and "adresse" in no_address.error


def test_letters_and_calls_wait_for_an_agent(roseline, sebastien, bus_agent):
    sms.outbox.clear()
    letter = notify_person(roseline, "referral.answer", key="test:letter", values=VALUES)
    call = notify_person(sebastien, "referral.answer", key="test:call", values=VALUES)
    assert (letter.channel, letter.status) == ("letter", "to_print")
    assert (call.channel, call.status) == ("phone", "to_call")
    assert sms.outbox == [] and letter.sent_at is None
    done = mark_done(letter, by=bus_agent)
    assert done.status == NotificationStatus.DONE and done.done_by == bus_agent and done.done_at is not None
    assert set(Notification.objects.to_do()) == {call}


def test_messages_sent_appear_in_the_timeline_of_agents_and_the_person(sarah, bus_agent, resident_sarah, caf_referent):
    from carte_blanche.consent.access import access_person
    from carte_blanche.messaging.timeline import notification_items
    from carte_blanche.visits.timeline import timeline_for

    notify_person(sarah, "referral.answer", key="test:tl", values=VALUES)
    notify_person(sarah, "referral.refuse", key="test:tl-failed", values=VALUES)
    Notification.objects.filter(idempotency_key="test:tl-failed").update(status=NotificationStatus.FAILED)
    record = access_person(bus_agent, sarah.pk, "accompaniment")
    items = [item for item in timeline_for(record, bus_agent) if item.kind == "notification"]
    assert [item.title for item in items] == ["Message envoyé par SMS : Votre demande auprès de CAF du Lot"]
    assert items[0].kind_label == "Message" and "a répondu à votre demande" in items[0].detail
    own = access_person(resident_sarah, sarah.pk, "self")
    assert len([i for i in timeline_for(own, resident_sarah) if i.kind == "notification"]) == 1
    assert notification_items(record, caf_referent) == []
