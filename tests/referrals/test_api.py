"""The referrals API for an operator's software: personal tokens, same rules as the pages."""

import pytest
from django.urls import reverse

from carte_blanche.accounts.models import ApiToken
from carte_blanche.accounts.tokens import issue_token, revoke_token
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.referrals.actions import send_referral

pytestmark = pytest.mark.django_db

QUESTION = "Plus aucune ressource depuis la fin de l'ASS : ouverture d'un droit au RSA ?"


@pytest.fixture
def referral(bus_agent, caf_referent, sebastien):
    return send_referral(sebastien, operator=caf_referent.operator, question=QUESTION, by=bus_agent)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_partner_lists_and_answers_with_a_token(client, caf_referent, referral):
    row, token = issue_token(caf_referent, "Logiciel de la CAF")
    assert token.startswith("cb_") and token not in row.key_hash
    listed = client.get("/api/v1/referrals", headers=bearer(token)).json()
    assert [r["id"] for r in listed] == [referral.pk]
    assert listed[0]["person_name"] == "CAYLA Sébastien" and listed[0]["messages"][0]["text"] == QUESTION
    read = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, actor_id=caf_referent.pk).last()
    assert read.details["channel"] == "api"
    answered = client.post(
        f"/api/v1/referrals/{referral.pk}/transitions",
        {"transition": "answer", "text": "Droit ouvert."},
        content_type="application/json",
        headers=bearer(token),
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_errors_are_documented_codes(client, caf_referent, referral):
    _, token = issue_token(caf_referent, "CAF")
    illegal = client.post(
        f"/api/v1/referrals/{referral.pk}/transitions",
        {"transition": "close"},
        content_type="application/json",
        headers=bearer(token),
    )
    assert illegal.status_code == 403 or illegal.status_code == 409
    missing = client.post(
        f"/api/v1/referrals/{referral.pk}/transitions",
        {"transition": "refuse", "text": ""},
        content_type="application/json",
        headers=bearer(token),
    )
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_input"


def test_another_operator_sees_nothing(client, cpam_referent, referral):
    _, token = issue_token(cpam_referent, "CPAM")
    assert client.get("/api/v1/referrals", headers=bearer(token)).json() == []
    assert client.get(f"/api/v1/referrals/{referral.pk}", headers=bearer(token)).status_code == 404
    moved = client.post(
        f"/api/v1/referrals/{referral.pk}/transitions",
        {"transition": "accept"},
        content_type="application/json",
        headers=bearer(token),
    )
    assert moved.status_code == 404


def test_a_revoked_or_unknown_token_is_refused(client, caf_referent, referral):
    row, token = issue_token(caf_referent, "CAF")
    revoke_token(row, by=caf_referent)
    response = client.get("/api/v1/referrals", headers=bearer(token))
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert client.get("/api/v1/referrals", headers=bearer("cb_nimportequoi")).status_code == 401


def test_tokens_page(verified_client, caf_referent, employer):
    client = verified_client(caf_referent)
    page = client.post(reverse("accounts:api_tokens"), {"label": "Logiciel de la CAF"})
    body = page.content.decode()
    assert "Copiez-le maintenant" in body and "cb_" in body
    row = ApiToken.objects.get(user=caf_referent)
    client.post(reverse("accounts:api_tokens"), {"revoquer": row.pk})
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert verified_client(employer).get(reverse("accounts:api_tokens")).status_code == 403


def test_the_referral_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/referrals" in paths and "/api/v1/referrals/{referral_id}/transitions" in paths
