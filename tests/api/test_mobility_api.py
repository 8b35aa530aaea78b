"""The mobility API: the SMS provider's webhook for the drivers' replies, and the public offers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carte_blanche.api.mobility import parse_reply
from carte_blanche.messaging.models import Notification
from carte_blanche.mobility.models import MobilityOffer
from carte_blanche.mobility.states import LegStatus, ProposalStatus
from tests.mobility.factories import make_driver, make_ride, outbound, propose

pytestmark = pytest.mark.django_db

URL = "/api/v1/mobility/sms-replies"
SECRET = "s3cret-du-fournisseur"
PHONE = "+33612345678"


@pytest.fixture
def secret(settings):
    settings.SMS_INBOUND_SECRET = SECRET
    return SECRET


@pytest.fixture
def pending(driver, roseline, mobility_coordinator):
    profile = make_driver(driver, phone=PHONE)
    ride = make_ride(roseline, by=mobility_coordinator, day=timezone.localdate() + dt.timedelta(days=2))
    proposal, _token = propose(outbound(ride), profile, code=4821)
    return proposal


def _post(client, body, secret=SECRET):
    headers = {"X-CB-SMS-Secret": secret} if secret is not None else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("OUI 4821", (True, 4821)),
        ("oui4821", (True, 4821)),
        ("  Non   4821 ", (False, 4821)),
        ("O 4821", (True, 4821)),
        ("n 4821", (False, 4821)),
        ("Ouï, 4821 merci", (True, 4821)),
        ("4821 NON", (False, 4821)),
        ("NÔN 4821", (False, 4821)),
        ("peut-être 4821", (None, 4821)),
        ("OUI", (True, None)),
        ("OUI 48210", (True, None)),
    ],
)
def test_parse_reply(text, expected):
    assert parse_reply(text) == expected


def test_the_webhook_is_off_without_a_secret(client, settings, pending):
    settings.SMS_INBOUND_SECRET = ""
    assert _post(client, {"from": PHONE, "text": "OUI 4821"}).status_code == 404
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.PENDING


def test_a_missing_or_wrong_secret_is_refused(client, secret, pending):
    missing = _post(client, {"from": PHONE, "text": "OUI 4821"}, secret=None)
    assert missing.status_code == 401 and missing.json()["code"] == "not_authenticated"
    wrong = _post(client, {"from": PHONE, "text": "OUI 4821"}, secret="devine")
    assert wrong.status_code == 403 and wrong.json()["code"] == "access_denied"
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.PENDING


def test_an_sms_reply_accepts(client, secret, pending, roseline):
    response = _post(client, {"from": "06 12 34 56 78", "text": "Oui 4821"})
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.ACCEPTED and pending.answered_via == "sms"
    assert pending.leg.status == LegStatus.CONFIRMED
    ack = Notification.objects.get(idempotency_key=f"ride-ack:{pending.pk}")
    assert "4821" in ack.body and roseline.last_name not in ack.body
    # A second SMS finds no pending proposal any more.
    assert _post(client, {"from": PHONE, "text": "NON 4821"}).json()["status"] == "unknown"


def test_an_sms_reply_declines(client, secret, pending):
    response = _post(client, {"from": PHONE, "text": "non 4821"})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.DECLINED


def test_an_unknown_code_or_sender_leaks_nothing(client, secret, pending):
    unknown_code = _post(client, {"from": PHONE, "text": "OUI 1111"})
    wrong_sender = _post(client, {"from": "+33698765432", "text": "OUI 4821"})
    garbled_sender = _post(client, {"from": "pas un numéro", "text": "OUI 4821"})
    for response in (unknown_code, wrong_sender, garbled_sender):
        assert response.status_code == 200
        assert response.json()["status"] == "unknown"
    assert unknown_code.json()["message"] == wrong_sender.json()["message"]
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.PENDING


def test_an_unreadable_reply_explains(client, secret, pending):
    response = _post(client, {"from": PHONE, "text": "d'accord"})
    assert response.status_code == 200
    assert response.json()["status"] == "error" and "OUI" in response.json()["message"]


def test_an_expired_proposal_is_an_error(client, secret, pending):
    type(pending).objects.filter(pk=pending.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=5))
    response = _post(client, {"from": PHONE, "text": "OUI 4821"})
    assert response.status_code == 200 and response.json()["status"] == "error"
    assert "délai" in response.json()["message"]


def test_the_offers_are_public(client, demo):
    from carte_blanche.territory.models import Commune

    offer = MobilityOffer.objects.create(
        name="TAD du Grand Cahors", kind="on_demand", provider="Grand Cahors", description="Sur réservation.",
        conditions="Réserver la veille", price="2 €", phone="+33565201234", opening_hours="Mo-Fr 08:00-18:00",
    )  # fmt: skip
    offer.communes.set(Commune.objects.filter(insee_code__in=["46042", "46224"]))
    MobilityOffer.objects.create(name="Ancienne offre", kind="other", provider="x", description="x", active=False)
    response = client.get("/api/v1/mobility/offers")
    assert response.status_code == 200
    by_name = {o["name"]: o for o in response.json()}
    assert "Ancienne offre" not in by_name
    tad = by_name["TAD du Grand Cahors"]
    assert tad["communes"] == ["46042", "46224"]
    assert tad["kind"] == "on_demand" and tad["kind_label"] == "Transport à la demande"
    assert tad["opening_hours"] == "Mo-Fr 08:00-18:00" and tad["phone"] == "+33565201234"
