"""The operator API: an operator's own system, its own credentials, the same access function and journal."""

import datetime as dt
import types

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from carte_blanche.accounts.models import Role
from carte_blanche.accounts.tokens import issue_token
from carte_blanche.consent.actions import revoke_consent
from carte_blanche.consent.models import Consent
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.operator_api import ratelimit
from carte_blanche.operator_api.actions import create_client, revoke_client, rotate_secret
from carte_blanche.operator_api.models import ClientSecret, OperatorClient, OperatorFileNumber
from carte_blanche.people.models import Person
from carte_blanche.referrals.actions import send_referral
from carte_blanche.territory.models import Operator

pytestmark = pytest.mark.django_db

CAF_SCOPE = (["case_management"], ["identity", "contact", "household_income"])


def nir_with_key(body: str) -> str:
    return body + f"{97 - int(body) % 97:02d}"


SEBASTIEN_NIR = nir_with_key("1451046171012")
ROSELINE_NIR = nir_with_key("2440446310034")
UNKNOWN_NIR = nir_with_key("1990175056123")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def caf(demo):
    return Operator.objects.get(slug="caf-lot")


@pytest.fixture
def cpam(demo):
    return Operator.objects.get(slug="cpam-lot")


@pytest.fixture
def caf_client(coordinator, caf):
    return create_client(caf, "Logiciel de gestion CAF", *CAF_SCOPE, by=coordinator)


@pytest.fixture
def cpam_client(coordinator, cpam):
    return create_client(
        cpam, "Logiciel CPAM", ["case_management", "referral"], ["identity", "contact"], by=coordinator
    )


def bearer(credential):
    return {"Authorization": f"Bearer {credential}"}


def get(client, url, credential, **params):
    return client.get(url, params, headers=bearer(credential))


def person_url(person, purpose="case_management"):
    return f"/api/v1/operator/persons/{person.pk}?purpose={purpose}"


# --- Reading a person -------------------------------------------------------------------------------------------


def test_reads_only_the_permitted_categories_and_journals_the_system(client, caf_client, sebastien, sarah):
    row, credential = caf_client
    assert row.client_id.startswith("cbc_") and credential.startswith(row.client_id + ".")
    assert not row.service_user.has_usable_password() and row.service_user.role == Role.PARTNER_REFERENT
    response = client.get(person_url(sebastien), headers=bearer(credential))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["granted_categories"] == ["contact", "household_income", "identity"]
    assert body["identity"]["last_name"] == "Cayla" and body["health_autonomy"] is None
    entry = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, person_id=sebastien.pk).last()
    assert entry.actor_id == row.service_user.pk and entry.details["channel"] == "api"
    assert "Logiciel de gestion CAF" in entry.actor_label and entry.operator_id == row.operator_id
    # Sarah gave the CAF her identity and household, not her contact details.
    sarah_body = client.get(person_url(sarah), headers=bearer(credential)).json()
    assert sarah_body["granted_categories"] == ["household_income", "identity"] and sarah_body["contact"] is None


def test_roseline_without_consent_is_refused_and_the_refusal_journaled(client, caf_client, roseline):
    row, credential = caf_client
    response = client.get(person_url(roseline), headers=bearer(credential))
    assert response.status_code == 403 and response.json()["code"] == "access_denied"
    assert "Vayssière" not in response.content.decode()
    refusal = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ_REFUSED, person_id=roseline.pk).last()
    assert refusal.actor_id == row.service_user.pk and refusal.details["channel"] == "api"
    unknown = client.get("/api/v1/operator/persons/999999?purpose=case_management", headers=bearer(credential))
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"


def test_a_category_outside_the_client_scope_is_never_returned(client, coordinator, caf, sebastien):
    _, credential = create_client(caf, "Annuaire CAF", ["case_management"], ["identity"], by=coordinator)
    body = client.get(person_url(sebastien), headers=bearer(credential)).json()
    assert body["granted_categories"] == ["identity"]
    assert body["contact"] is None and body["household_income"] is None
    # Health: consented to nobody at the CAF, and outside the scope of the client anyway.
    _, wide = create_client(caf, "Tout CAF", ["case_management"], ["health_autonomy"], by=coordinator)
    assert client.get(person_url(sebastien), headers=bearer(wide)).status_code == 403


def test_no_parameter_trick_widens_a_read(client, coordinator, caf, sebastien, roseline):
    _, credential = create_client(caf, "CAF", ["case_management"], ["identity", "health_autonomy"], by=coordinator)
    url = f"/api/v1/operator/persons/{sebastien.pk}"
    tricks = [
        {"purpose": "case_management", "categories": "health_autonomy,contact"},
        {"purpose": "case_management", "category": "contact", "fields": "phone"},
        {"purpose": ["case_management", "self"]},
        {"purpose": ["self", "case_management"]},
        {"purpose": "case_management", "ordering": "-id", "operator": "cpam-lot"},
        {"purpose": "Case_Management"},
    ]
    for params in tricks:
        response = client.get(url, params, headers=bearer(credential))
        body = response.json()
        if response.status_code == 200:
            assert body["granted_categories"] == ["identity"], params
            assert body["contact"] is None and body["health_autonomy"] is None and body["household_income"] is None
        else:
            assert response.status_code in (403, 422) and "Cayla" not in response.content.decode(), params
        roseline_read = client.get(f"/api/v1/operator/persons/{roseline.pk}", params, headers=bearer(credential))
        assert roseline_read.status_code in (403, 422) and "Vayssière" not in roseline_read.content.decode()


def test_a_purpose_outside_the_client_scope_is_refused(client, caf_client, sebastien):
    _, credential = caf_client
    for purpose in ("referral", "self", "accompaniment", "nimportequoi"):
        response = client.get(person_url(sebastien, purpose), headers=bearer(credential))
        assert response.status_code == 403 and response.json()["code"] == "purpose_not_allowed", purpose
        assert "Cayla" not in response.content.decode()
    missing = client.get(f"/api/v1/operator/persons/{sebastien.pk}", headers=bearer(credential))
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_input"


def test_a_withdrawn_consent_stops_the_next_read(client, caf_client, caf, sebastien, agent):
    _, credential = caf_client
    assert client.get(person_url(sebastien), headers=bearer(credential)).status_code == 200
    for consent in Consent.objects.active().filter(person=sebastien, operator=caf, purpose="case_management"):
        revoke_consent(consent, by=agent)
    response = client.get(person_url(sebastien), headers=bearer(credential))
    assert response.status_code == 403 and response.json()["code"] == "access_denied"
    assert "Cayla" not in response.content.decode()


# --- Looking a person up ------------------------------------------------------------------------------------------


def test_lookup_by_nir_only_with_consent_and_unknown_looks_the_same(client, caf_client, sebastien, roseline):
    row, credential = caf_client
    Person.objects.filter(pk=sebastien.pk).update(nir=SEBASTIEN_NIR)
    Person.objects.filter(pk=roseline.pk).update(nir=ROSELINE_NIR)
    found = get(client, "/api/v1/operator/persons", credential, nir=SEBASTIEN_NIR)
    assert found.status_code == 200
    assert found.json() == {
        "id": sebastien.pk,
        "purpose": "case_management",
        "granted_categories": ["contact", "household_income", "identity"],
    }
    refused_before = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ_REFUSED).count()
    not_consented = get(client, "/api/v1/operator/persons", credential, nir=ROSELINE_NIR)
    unknown = get(client, "/api/v1/operator/persons", credential, nir=UNKNOWN_NIR)
    assert not_consented.status_code == unknown.status_code == 404
    assert not_consented.content == unknown.content
    refusals = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ_REFUSED).order_by("seq")[refused_before:]
    assert [e.person_id for e in refusals] == [roseline.pk, None]
    assert all(e.actor_id == row.service_user.pk and e.details["lookup"] == "nir" for e in refusals)
    assert not any(ROSELINE_NIR in str(e.details) or UNKNOWN_NIR in str(e.details) for e in refusals)
    # A purpose the client does not have cannot be used to widen the lookup.
    other = get(client, "/api/v1/operator/persons", credential, nir=SEBASTIEN_NIR, purpose="referral")
    assert other.status_code == 403 and other.json()["code"] == "purpose_not_allowed"


def test_lookup_by_file_number_is_per_operator(client, caf_client, cpam_client, caf, sebastien):
    _, credential = caf_client
    put = client.put(
        f"/api/v1/operator/persons/{sebastien.pk}/file-number",
        {"number": "4601234"},
        content_type="application/json",
        headers=bearer(credential),
    )
    assert put.status_code == 200, put.content
    assert OperatorFileNumber.objects.get(operator=caf, number="4601234").person == sebastien
    assert get(client, "/api/v1/operator/persons", credential, file_number="4601234").json()["id"] == sebastien.pk
    _, cpam_credential = cpam_client
    assert get(client, "/api/v1/operator/persons", cpam_credential, file_number="4601234").status_code == 404
    both = get(client, "/api/v1/operator/persons", credential, file_number="4601234", nir=SEBASTIEN_NIR)
    assert both.status_code == 422


def test_a_file_number_needs_the_identity_consent(client, caf_client, roseline):
    _, credential = caf_client
    response = client.put(
        f"/api/v1/operator/persons/{roseline.pk}/file-number",
        {"number": "4609999"},
        content_type="application/json",
        headers=bearer(credential),
    )
    assert response.status_code == 403 and not OperatorFileNumber.objects.filter(person=roseline).exists()


# --- Referrals --------------------------------------------------------------------------------------------------


QUESTION = "Plus aucune ressource depuis la fin de l'ASS : ouverture d'un droit au RSA ?"


@pytest.fixture
def caf_referral(bus_agent, caf, sebastien):
    return send_referral(sebastien, operator=caf, question=QUESTION, by=bus_agent)


def test_a_cpam_client_cannot_see_caf_referrals_by_any_parameter(client, cpam_client, caf, caf_referral):
    _, credential = cpam_client
    tricks = [
        {},
        {"operator": "caf-lot"},
        {"operator": caf.pk},
        {"operator_id": caf.pk},
        {"ordering": "-id"},
        {"order_by": "person"},
        {"status": caf_referral.status},
        {"overdue": "true"},
        {"status": "sent", "operator": "caf-lot", "limit": 1000},
    ]
    for params in tricks:
        response = get(client, "/api/v1/operator/referrals", credential, **params)
        assert response.status_code == 200 and response.json() == [], params
        one = get(client, f"/api/v1/operator/referrals/{caf_referral.pk}", credential, **params)
        assert one.status_code == 404 and one.json()["code"] == "not_found", params
        assert QUESTION not in one.content.decode()


def test_the_caf_client_sees_its_referrals_with_names_only_when_scoped(client, coordinator, caf, caf_referral):
    _, credential = create_client(caf, "Orientations CAF", ["referral"], ["identity"], by=coordinator)
    listed = get(client, "/api/v1/operator/referrals", credential).json()
    assert [r["id"] for r in listed] == [caf_referral.pk]
    assert listed[0]["person_name"] == "CAYLA Sébastien" and listed[0]["messages"][0]["text"] == QUESTION
    # Without the referral purpose, a client reads no referral at all.
    _, no_referral = create_client(caf, "Gestion CAF", ["case_management"], ["identity"], by=coordinator)
    refused = get(client, "/api/v1/operator/referrals", no_referral)
    assert refused.status_code == 403 and refused.json()["code"] == "purpose_not_allowed"
    assert get(client, f"/api/v1/operator/referrals/{caf_referral.pk}", no_referral).status_code == 403
    # Without identity in its scope, the referral is listed without the person.
    _, anonymous = create_client(caf, "Tableau de bord CAF", ["referral"], ["contact"], by=coordinator)
    row = get(client, "/api/v1/operator/referrals", anonymous).json()[0]
    assert row["person_name"] is None and row["person_id"] is None and row["messages"] == []


# --- Pushing updates --------------------------------------------------------------------------------------------


def patch(client, person, category, credential, data):
    return client.patch(
        f"/api/v1/operator/persons/{person.pk}/{category}", data, content_type="application/json",
        headers=bearer(credential),
    )  # fmt: skip


def test_the_caf_pushes_household_income_and_the_others_are_told(client, caf_client, caf, sebastien):
    row, credential = caf_client
    response = patch(
        client, sebastien, "household_income", credential, {"monthly_resources": "612.50", "housing_status": "tenant"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["changed_fields"] == ["housing_status", "monthly_resources"]
    sebastien.refresh_from_db()
    assert str(sebastien.monthly_resources) == "612.50" and sebastien.housing_status == "tenant"
    entry = JournalEntry.objects.filter(event=JournalEvent.PERSON_UPDATED, person_id=sebastien.pk).last()
    assert entry.actor_id == row.service_user.pk
    assert entry.details == {
        "fields": ["housing_status", "monthly_resources"],
        "channel": "api",
        "client": row.client_id,
        "category": "household_income",
    }
    assert "612" not in str(entry.details)
    try:
        from carte_blanche.webhooks.models import Propagation
    except ImportError:  # pragma: no cover
        return
    told = set(Propagation.objects.filter(person=sebastien).values_list("operator__slug", flat=True))
    assert told and "caf-lot" not in told
    assert {"departement-lot", "france-travail"} <= told


def test_the_caf_is_not_the_source_of_health_insurance(client, caf_client, coordinator, caf, sebastien):
    _, credential = caf_client
    response = patch(client, sebastien, "health_autonomy", credential, {"health_insurance": "none"})
    assert response.status_code == 403 and response.json()["code"] == "not_source"
    _, wide = create_client(caf, "CAF santé", ["case_management"], ["health_autonomy"], by=coordinator)
    assert (
        patch(client, sebastien, "health_autonomy", wide, {"health_insurance": "none"}).json()["code"] == "not_source"
    )
    sebastien.refresh_from_db()
    assert sebastien.health_insurance == "general"


def test_a_push_needs_the_consent_and_valid_values(client, caf_client, roseline, sebastien):
    _, credential = caf_client
    before = Person.objects.get(pk=roseline.pk).monthly_resources
    refused = patch(client, roseline, "household_income", credential, {"monthly_resources": "10"})
    assert refused.status_code == 403 and refused.json()["code"] == "access_denied"
    assert Person.objects.get(pk=roseline.pk).monthly_resources == before
    refusal = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ_REFUSED, person_id=roseline.pk).last()
    assert refusal.details["action"] == "update"
    invalid = patch(client, sebastien, "household_income", credential, {"housing_status": "chateau"})
    assert invalid.status_code == 422 and invalid.json()["code"] == "invalid_input"
    assert "housing_status" in invalid.json()["fields"]
    assert "Traceback" not in invalid.content.decode()
    other_field = patch(client, sebastien, "household_income", credential, {"nir": SEBASTIEN_NIR, "last_name": "X"})
    assert other_field.status_code == 422 and set(other_field.json()["fields"]) == {"nir", "last_name"}
    garbage = patch(client, sebastien, "household_income", credential, {"monthly_rent": ["a"]})
    assert garbage.status_code == 422
    unknown = patch(client, sebastien, "secrets", credential, {"x": 1})
    assert unknown.status_code == 404
    empty = patch(client, sebastien, "household_income", credential, {})
    assert empty.status_code == 422
    sebastien.refresh_from_db()
    assert sebastien.last_name == "Cayla" and sebastien.housing_status == "hosted"


def test_a_push_outside_the_client_scope_is_refused(client, coordinator, caf, sebastien):
    _, identity_only = create_client(caf, "Annuaire CAF", ["case_management"], ["identity"], by=coordinator)
    response = patch(client, sebastien, "household_income", identity_only, {"monthly_rent": "1"})
    assert response.status_code == 403 and response.json()["code"] == "access_denied"
    _, rights_only = create_client(caf, "Droits CAF", ["rights_check"], ["household_income"], by=coordinator)
    response = patch(client, sebastien, "household_income", rights_only, {"monthly_rent": "1"})
    assert response.status_code == 403 and response.json()["code"] == "purpose_not_allowed"
    sebastien.refresh_from_db()
    assert sebastien.monthly_rent is None


def test_the_cpam_pushes_health_insurance(client, coordinator, cpam, sebastien, agent):
    from carte_blanche.consent.actions import grant_consent

    grant_consent(
        sebastien, operator=cpam, categories=["health_autonomy"], purposes=["case_management"],
        valid_until=timezone.localdate() + dt.timedelta(days=365), method="in_person", by=agent,
    )  # fmt: skip
    _, credential = create_client(cpam, "CPAM", ["case_management"], ["health_autonomy"], by=coordinator)
    ok = patch(client, sebastien, "health_autonomy", credential, {"has_complementary_health": True})
    assert ok.status_code == 200 and ok.json()["changed_fields"] == ["has_complementary_health"]
    forbidden = patch(client, sebastien, "health_autonomy", credential, {"autonomy_gir": 2})
    assert forbidden.status_code == 422
    assert patch(client, sebastien, "household_income", credential, {"monthly_rent": 1}).status_code == 403


# --- Credentials ------------------------------------------------------------------------------------------------


def test_rotation_keeps_the_old_secret_for_24_hours(client, caf_client, coordinator, sebastien):
    row, old = caf_client
    new = rotate_secret(row, by=coordinator)
    assert new != old
    for credential in (old, new):
        assert client.get(person_url(sebastien), headers=bearer(credential)).status_code == 200
    previous = ClientSecret.objects.filter(client=row, expires_at__isnull=False).get()
    assert dt.timedelta(hours=23) < previous.expires_at - timezone.now() <= dt.timedelta(hours=24)
    ClientSecret.objects.filter(pk=previous.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = client.get(person_url(sebastien), headers=bearer(old))
    assert expired.status_code == 401 and expired.json()["code"] == "not_authenticated"
    assert "expiré" in expired.json()["message"]
    assert client.get(person_url(sebastien), headers=bearer(new)).status_code == 200


def test_revocation_ends_every_secret_at_once(client, caf_client, coordinator, sebastien):
    row, old = caf_client
    new = rotate_secret(row, by=coordinator)
    revoke_client(row, by=coordinator)
    for credential in (old, new):
        response = client.get(person_url(sebastien), headers=bearer(credential))
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
        assert "révoqué" in response.json()["message"]
    with pytest.raises(PermissionDenied):
        rotate_secret(row, by=coordinator)
    # Only the holder of a secret learns that the system is revoked.
    guess = client.get(person_url(sebastien), headers=bearer(f"{row.client_id}.devine"))
    assert guess.status_code == 401 and "révoqué" not in guess.json()["message"]


def test_bad_credentials_and_other_auth_schemes_are_refused(
    client, caf_client, caf_referent, sebastien, verified_client
):
    row, credential = caf_client
    wrong = f"{row.client_id}.pas-le-bon-secret"
    for header in ({}, bearer(wrong), bearer("cbc_inconnu.xxx"), bearer(row.client_id), {"Authorization": "Basic x"}):
        response = client.get(person_url(sebastien), headers=header)
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated", header
    # A personal token does not open the operator API, and the client's credential opens nothing else.
    _, token = issue_token(caf_referent, "Logiciel")
    assert client.get(person_url(sebastien), headers=bearer(token)).status_code == 401
    assert client.get("/api/v1/referrals", headers=bearer(credential)).status_code == 401
    assert (
        client.get(f"/api/v1/persons/{sebastien.pk}?purpose=case_management", headers=bearer(credential)).status_code
        == 401
    )
    # Nor does a web session.
    session = verified_client(caf_referent)
    assert session.get(person_url(sebastien)).status_code == 401


def test_only_a_coordinator_manages_clients(caf, caf_referent, agent, coordinator):
    for user in (caf_referent, agent):
        with pytest.raises(PermissionDenied):
            create_client(caf, "X", *CAF_SCOPE, by=user)
    row, _ = create_client(caf, "X", *CAF_SCOPE, by=coordinator)
    for user in (caf_referent, agent):
        with pytest.raises(PermissionDenied):
            rotate_secret(row, by=user)
        with pytest.raises(PermissionDenied):
            revoke_client(row, by=user)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        create_client(caf, "Y", ["mobility"], ["identity"], by=coordinator)
    with pytest.raises(ValidationError):
        create_client(caf, "Y", ["case_management"], ["documents"], by=coordinator)


def test_the_121st_call_in_a_minute_gets_a_429(client, caf_client, monkeypatch, sebastien):
    row, credential = caf_client
    assert row.rate_per_minute == 120
    now = [1_800_000_010.0]
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: now[0]))
    url = "/api/v1/operator/referrals"  # out of this client's purposes: a cheap 403, still counted
    for _ in range(120):
        assert client.get(url, headers=bearer(credential)).status_code == 403
    limited = client.get(url, headers=bearer(credential))
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert limited["Retry-After"] == "50" and "50 secondes" in limited.json()["message"]
    assert client.get(person_url(sebastien), headers=bearer(credential)).status_code == 429
    now[0] += 50  # the next minute
    assert client.get(person_url(sebastien), headers=bearer(credential)).status_code == 200


def test_the_openapi_documents_the_operator_api(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/operator/persons/{person_id}" in schema["paths"]
    text = str(schema["paths"]["/api/v1/operator/persons/{person_id}"])
    for code in ("not_authenticated", "purpose_not_allowed", "not_source", "rate_limited", "access_denied"):
        assert code in text


# --- The coordinator's pages ------------------------------------------------------------------------------------


def test_the_coordinator_creates_sees_the_secret_once_rotates_and_revokes(verified_client, coordinator, caf):
    web = verified_client(coordinator)
    assert web.get("/integrations/clients/").status_code == 200
    response = web.post(
        "/integrations/clients/",
        {"operator": caf.pk, "name": "Logiciel CAF", "purposes": ["case_management"], "categories": ["identity"]},
    )
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    row = OperatorClient.objects.get(name="Logiciel CAF")
    page = response.content.decode()
    start = page.index(row.client_id + ".")
    credential = page[start : page.index("<", start)]
    assert len(credential) > len(row.client_id) + 20
    assert credential not in web.get("/integrations/clients/").content.decode()
    rotated = web.post(f"/integrations/clients/{row.pk}/renouveler/").content.decode()
    assert row.client_id + "." in rotated and credential not in rotated
    assert web.post(f"/integrations/clients/{row.pk}/revoquer/").status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None and row.revoked_by == coordinator and not row.service_user.is_active
    invalid = web.post("/integrations/clients/", {"operator": caf.pk, "name": "", "purposes": ["self"]})
    assert invalid.status_code == 400


def test_other_roles_get_403_on_the_coordinator_pages(verified_client, agent, caf_referent, coordinator, caf):
    row, _ = create_client(caf, "Logiciel CAF", *CAF_SCOPE, by=coordinator)
    for user in (agent, caf_referent):
        web = verified_client(user)
        assert web.get("/integrations/clients/").status_code == 403
        assert web.post("/integrations/clients/", {"operator": caf.pk, "name": "X"}).status_code == 403
        assert web.post(f"/integrations/clients/{row.pk}/renouveler/").status_code == 403
        assert web.post(f"/integrations/clients/{row.pk}/revoquer/").status_code == 403
        web.logout()
    row.refresh_from_db()
    assert row.revoked_at is None and row.secrets.count() == 1
