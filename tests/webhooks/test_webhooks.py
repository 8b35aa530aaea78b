"""Webhooks to operators' systems, signed and retried, and tell-us-once propagation."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading

import pytest
from django.utils import timezone

from carte_blanche.consent.actions import grant_consent, revoke_consent
from carte_blanche.consent.models import Consent
from carte_blanche.people.actions import update_person
from carte_blanche.referrals.actions import send_referral
from carte_blanche.territory.models import Operator
from carte_blanche.webhooks import delivery as delivery_module
from carte_blanche.webhooks.delivery import MAX_ATTEMPTS, backoff, deliver, retry_due
from carte_blanche.webhooks.models import Delivery, DeliveryStatus, Propagation, Subscription
from carte_blanche.webhooks.signing import InvalidSignature, sign, verify

pytestmark = pytest.mark.django_db

SECRET = "whsec_test"


def _subscribe(slug, events, url="https://caf.example.org/hooks", by=None):
    from carte_blanche.accounts.models import User

    return Subscription.objects.create(
        operator=Operator.objects.get(slug=slug), url=url, events=events, secret=SECRET,
        created_by=by or User.objects.get(username="coordination"),
    )  # fmt: skip


# --- The reference verifier -----------------------------------------------------------------------


def test_signature_roundtrip_and_what_it_refuses():
    body = b'{"event":"person.updated"}'
    header = sign(SECRET, body, timestamp=1_800_000_000)
    assert verify(SECRET, body, header, now=1_800_000_010) == 1_800_000_000
    with pytest.raises(InvalidSignature, match="signature invalide"):
        verify(SECRET, body + b" ", header, now=1_800_000_010)  # tampered
    with pytest.raises(InvalidSignature, match="signature invalide"):
        verify("autre", body, header, now=1_800_000_010)  # wrong secret
    with pytest.raises(InvalidSignature, match="rejeu"):
        verify(SECRET, body, header, now=1_800_000_000 + 3600)  # replayed an hour later
    with pytest.raises(InvalidSignature, match="illisible"):
        verify(SECRET, body, "v1=abc", now=1_800_000_000)


# --- Tell-us-once ------------------------------------------------------------------------------


def test_an_address_changed_at_the_counter_reaches_every_consenting_operator_once(agent, sebastien, received):
    caf_hook = _subscribe("caf-lot", ["person.updated"])
    update_person(sebastien, by=agent, changes={"address": "3 rue du Lavoir"})
    told = {p.operator.slug: p for p in Propagation.objects.filter(person=sebastien)}
    consenting = set(
        Consent.objects.active().filter(person=sebastien, category="contact").values_list("operator__slug", flat=True)
    )
    consenting.discard(agent.acting_operator.slug)
    assert set(told) == consenting and "caf-lot" in told
    assert told["caf-lot"].channel == "webhook" and told["caf-lot"].fields == ["address"]
    assert all(p.channel == "inbox" for slug, p in told.items() if slug != "caf-lot")
    # The CAF's software got one signed delivery naming the field, never the value.
    (url, body, headers) = received.calls[-1]
    assert url == caf_hook.url and b"3 rue du Lavoir" not in body
    payload = json.loads(body)
    assert payload["event"] == "person.updated" and payload["data"]["fields"] == ["address"]
    assert payload["data"]["person_id"] == sebastien.pk and payload["data"]["source"] == agent.structure.name
    verify(SECRET, body, headers["X-CarteBlanche-Signature"])
    assert headers["X-CarteBlanche-Delivery"] == payload["id"]
    assert Delivery.objects.get(subscription=caf_hook).status == DeliveryStatus.DELIVERED


def test_a_change_in_a_category_nobody_shares_tells_nobody(agent, sebastien, received):
    _subscribe("caf-lot", ["person.updated"])
    update_person(sebastien, by=agent, changes={"first_names": "Sébastien Jean"})  # identity: not propagated
    assert not Propagation.objects.filter(person=sebastien).exists() and received.calls == []


def test_consents_and_referrals_are_events_for_their_operator(agent, bus_agent, sebastien, caf_referent, received):
    _subscribe("caf-lot", ["consent.granted", "consent.withdrawn", "referral.created", "referral.answered"])
    consents = grant_consent(
        sebastien, operator=caf_referent.operator, categories=["documents"], purposes=["case_management"],
        valid_until=timezone.localdate() + dt.timedelta(days=30), method="in_person", by=agent,
    )  # fmt: skip
    revoke_consent(consents[0], by=agent)
    referral = send_referral(sebastien, operator=caf_referent.operator, question="Ouverture du RSA ?", by=bus_agent)
    events = [json.loads(body)["event"] for _url, body, _h in received.calls]
    assert events == ["consent.granted", "consent.withdrawn", "referral.created"]
    assert json.loads(received.calls[-1][1])["data"]["referral_id"] == referral.pk


# --- Delivery: retries, back-off, abandon ---------------------------------------------------------


def test_a_failing_endpoint_is_retried_with_back_off_then_abandoned(agent, sebastien, received):
    _subscribe("caf-lot", ["person.updated"])
    received.status = 503
    update_person(sebastien, by=agent, changes={"phone": "+33612345670"})
    item = Delivery.objects.get()
    assert item.status == DeliveryStatus.FAILED and item.attempts == 1 and item.last_status_code == 503
    assert item.next_attempt_at > timezone.now()
    assert retry_due() == 0  # not due yet
    assert backoff(1) < backoff(2) < backoff(3) and backoff(20) == delivery_module.MAX_DELAY
    for _ in range(MAX_ATTEMPTS - 1):
        Delivery.objects.filter(pk=item.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        retry_due()
    item.refresh_from_db()
    assert item.status == DeliveryStatus.ABANDONED and item.attempts == MAX_ATTEMPTS
    # Network errors are recorded the same way, never raised to the action.
    received.error = OSError("connexion refusée")
    try:
        update_person(sebastien, by=agent, changes={"phone": "+33612345671"})
    finally:
        received.error = None
    assert "connexion refusée" in Delivery.objects.latest("pk").last_error


def test_a_real_http_receiver_verifies_the_signature(agent, sebastien, settings):
    seen = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            try:
                verify(SECRET, body, self.headers["X-CarteBlanche-Signature"])
            except InvalidSignature:
                self.send_response(401)
            else:
                seen.append(json.loads(body))
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.WEBHOOK_TRANSPORT = "carte_blanche.webhooks.delivery.urllib_post"
        hook = _subscribe("caf-lot", ["person.updated"], url=f"http://127.0.0.1:{server.server_port}/hook")
        update_person(sebastien, by=agent, changes={"address": "5 rue du Four"})
        assert Delivery.objects.get(subscription=hook).status == DeliveryStatus.DELIVERED
        assert seen and seen[0]["data"]["fields"] == ["address"]
        hook.secret = "un-autre-secret"  # the receiver now refuses: a 401 is recorded and retried
        hook.save()
        update_person(sebastien, by=agent, changes={"address": "6 rue du Four"})
        refused = Delivery.objects.filter(subscription=hook).latest("pk")
        assert refused.status == DeliveryStatus.FAILED and refused.last_status_code == 401
    finally:
        server.shutdown()
        server.server_close()


def test_a_retry_of_a_delivered_event_sends_nothing(agent, sebastien, received):
    _subscribe("caf-lot", ["person.updated"])
    update_person(sebastien, by=agent, changes={"address": "7 rue Neuve"})
    item = Delivery.objects.get()
    deliver(item.pk)
    assert len(received.calls) == 1


# --- Pages ------------------------------------------------------------------------------------------


def test_the_coordinator_manages_webhooks_and_sees_failures(verified_client, coordinator, agent, sebastien, received):
    client = verified_client(coordinator)
    caf = Operator.objects.get(slug="caf-lot")
    refused = client.post("/integrations/webhooks/", {"operator": caf.pk, "url": "http://caf.example.org/h",
                                                       "events": ["person.updated"]})  # fmt: skip
    assert refused.status_code == 422 and not Subscription.objects.exists()
    created = client.post("/integrations/webhooks/", {"operator": caf.pk, "url": "https://caf.example.org/h",
                                                       "events": ["person.updated"]})  # fmt: skip
    subscription = Subscription.objects.get()
    assert subscription.secret in created.content.decode()  # shown once
    assert subscription.secret not in client.get("/integrations/webhooks/").content.decode()
    received.status = 500
    update_person(sebastien, by=agent, changes={"address": "8 rue Neuve"})
    page = client.get("/integrations/webhooks/").content.decode()
    assert "réponse HTTP 500" in page
    received.status = 204
    client.post(f"/integrations/envois/{Delivery.objects.get().pk}/relancer/")
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED
    assert verified_client(agent).get("/integrations/webhooks/").status_code == 403


def test_the_partner_inbox_and_the_persons_file_show_who_was_told(
    verified_client, agent, caf_referent, sebastien, received
):
    update_person(sebastien, by=agent, changes={"address": "9 rue Neuve"})  # no CAF webhook: its inbox
    caf = verified_client(caf_referent)
    inbox = caf.get("/organisme/mises-a-jour/").content.decode()
    assert "CAYLA Sébastien" in inbox and "address" in inbox
    item = Propagation.objects.get(person=sebastien, operator=caf_referent.operator)
    caf.post(f"/organisme/mises-a-jour/{item.pk}/lu/")
    item.refresh_from_db()
    assert item.seen_by == caf_referent
    page = verified_client(agent).get(f"/personnes/{sebastien.pk}/").content.decode()
    assert "Organismes prévenus d&#x27;un changement" in page or "Organismes prévenus d'un changement" in page
    assert "CAF du Lot" in page
