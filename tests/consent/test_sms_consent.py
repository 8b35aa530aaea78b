"""Consent by SMS code: the person reads back the code they received; nothing is recorded otherwise."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from carte_blanche.consent.actions import (
    SMS_CODE_ATTEMPTS,
    confirm_consent_by_sms,
    grant_consent,
    request_consent_by_sms,
)
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.consent.models import Consent, ConsentCodeRequest, ConsentMethod
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.messaging import sms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()


def ask(person, operator, agent):
    return request_consent_by_sms(
        person,
        operator=operator,
        categories=[DataCategory.IDENTITY, DataCategory.HEALTH_AUTONOMY],
        purposes=[Purpose.CASE_MANAGEMENT],
        valid_until=timezone.localdate() + dt.timedelta(days=365),
        by=agent,
    )


def sent_code() -> str:
    return re.search(r"code est (\d{6})", sms.outbox[-1].text).group(1)


def test_the_code_read_back_records_the_consent(agent, cpam_referent, roseline):
    request = ask(roseline, cpam_referent.operator, agent)
    assert sms.outbox[-1].to == roseline.phone
    assert "CPAM" in sms.outbox[-1].text and len(sms.outbox[-1].text) <= sms.MAX_LENGTH
    assert sent_code() not in request.code_hash
    created = confirm_consent_by_sms(request, sent_code(), by=agent)
    assert {c.method for c in created} == {ConsentMethod.SMS_CODE}
    assert Consent.objects.active().filter(person=roseline, operator=cpam_referent.operator).count() == 2
    events = list(
        JournalEntry.objects.filter(person_id=roseline.pk).order_by("-seq").values_list("event", flat=True)[:2]
    )
    assert events == [JournalEvent.CONSENT_GRANTED, JournalEvent.CONSENT_CODE_SENT]


def test_a_wrong_code_records_nothing_and_counts_the_attempt(agent, cpam_referent, roseline):
    request = ask(roseline, cpam_referent.operator, agent)
    wrong = f"{(int(sent_code()) + 1) % 1_000_000:06d}"
    with pytest.raises(ValidationError, match="Essais restants : 4"):
        confirm_consent_by_sms(request, wrong, by=agent)
    request.refresh_from_db()
    assert request.attempts == 1
    assert not Consent.objects.filter(person=roseline, operator=cpam_referent.operator).exists()


def test_too_many_attempts_block_the_code(agent, cpam_referent, roseline):
    request = ask(roseline, cpam_referent.operator, agent)
    code = sent_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(SMS_CODE_ATTEMPTS):
        with pytest.raises(ValidationError):
            confirm_consent_by_sms(request, wrong, by=agent)
    with pytest.raises(ValidationError, match="Trop d'essais"):
        confirm_consent_by_sms(request, code, by=agent)


def test_an_expired_code_is_refused(agent, cpam_referent, roseline):
    request = ask(roseline, cpam_referent.operator, agent)
    ConsentCodeRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="expiré"):
        confirm_consent_by_sms(request, sent_code(), by=agent)


def test_a_code_serves_once(agent, cpam_referent, roseline):
    request = ask(roseline, cpam_referent.operator, agent)
    code = sent_code()
    confirm_consent_by_sms(request, code, by=agent)
    with pytest.raises(ValidationError, match="déjà servi"):
        confirm_consent_by_sms(request, code, by=agent)


def test_only_the_sending_agent_confirms(agent, bus_agent, cpam_referent, roseline):
    request = ask(roseline, cpam_referent.operator, agent)
    with pytest.raises(PermissionDenied):
        confirm_consent_by_sms(request, sent_code(), by=bus_agent)


def test_sms_method_cannot_be_recorded_without_a_code(agent, cpam_referent, roseline):
    with pytest.raises(ValidationError):
        grant_consent(
            roseline,
            operator=cpam_referent.operator,
            categories=[DataCategory.IDENTITY],
            purposes=[Purpose.CASE_MANAGEMENT],
            valid_until=timezone.localdate() + dt.timedelta(days=30),
            method=ConsentMethod.SMS_CODE,
            by=agent,
        )


def test_no_phone_no_sms(agent, cpam_referent, roseline):
    roseline.phone = ""
    roseline.save()
    with pytest.raises(ValidationError, match="numéro"):
        ask(roseline, cpam_referent.operator, agent)
    assert sms.outbox == []


def test_sms_consent_from_the_file_page(verified_client, agent, cpam_referent, roseline):
    client = verified_client(agent)
    until = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    response = client.post(
        reverse("web:consent_grant", args=[roseline.pk]) + "?finalite=accompaniment",
        {
            "operator": cpam_referent.operator_id,
            "categories": ["identity"],
            "purposes": ["case_management"],
            "valid_until": until,
            "method": "sms_code",
            "witnessed": "on",
        },
    )
    assert response.status_code == 302
    code_page = client.get(response.url)
    assert code_page.status_code == 200 and roseline.phone[-2:] in code_page.content.decode()
    done = client.post(response.url, {"code": sent_code()})
    assert done.status_code == 302
    assert Consent.objects.active().filter(person=roseline, operator=cpam_referent.operator, method="sms_code").exists()
