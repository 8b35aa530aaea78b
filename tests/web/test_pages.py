"""Pages per role, the person file, consents from the UI, and the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from carte_blanche.consent.models import Consent
from carte_blanche.demo.personas import ACCOUNTS
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.people.models import Person

pytestmark = pytest.mark.django_db

ROLE_USERS = [account.username for account in ACCOUNTS]


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_public_pages_open_without_login(client):
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get(reverse("web:privacy")).status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.parametrize("username", ROLE_USERS)
def test_every_role_has_a_home_page(demo, verified_client, username, django_assert_max_num_queries):
    from carte_blanche.accounts.models import User

    client = verified_client(User.objects.get(username=username))
    with django_assert_max_num_queries(40):
        response = client.get("/")
    assert response.status_code == 200
    assert "<h1>Bonjour" in response.content.decode()
    assert client.get(reverse("web:territory")).status_code == 200


def test_two_factor_is_required_for_agents(client, agent):
    client.force_login(agent)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:two_factor"))
    api = client.get("/api/v1/communes")
    assert api.status_code == 401 and api.json()["code"] == "two_factor_required"


def test_two_factor_enrolment_with_a_real_totp_code(client, agent):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(agent)
    page = client.get(reverse("accounts:two_factor"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post(reverse("accounts:two_factor") + "?next=/personnes/", {"token": f"{totp.token():06d}"})
    assert response.status_code == 302 and response.url == "/personnes/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_wrong_totp_code_is_refused_with_a_message(client, agent):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(agent)
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    right = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    response = client.post(reverse("accounts:two_factor"), {"token": f"{(right + 1) % 1_000_000:06d}"})
    assert response.status_code == 200 and "Code incorrect" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/").status_code == 302


def test_login_is_locked_after_five_failures(client, agent):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "agent", "password": "mauvais mot de passe"})
    response = client.post(reverse("accounts:login"), {"username": "agent", "password": "demo-carte-blanche-2026"})
    assert response.status_code == 429
    assert "bloquée" in response.content.decode()


def test_agent_opens_a_file_with_household(verified_client, agent):
    client = verified_client(agent)
    commune = agent.structure.commune
    form = {
        "title": "m", "first_names": "Jean", "last_name": "Testeur", "birth_name": "", "birth_date": "1961-04-02",
        "nir": "", "address": "3 place de la Halle", "commune": commune.pk, "phone": "05 36 49 10 42", "email": "",
        "preferred_channel": "sms", "digital_autonomy": "with_help", "housing_status": "tenant", "monthly_rent": "420",
        "monthly_resources": "", "resources_description": "", "health_insurance": "", "has_complementary_health": "",
        "autonomy_gir": "",
        "foyer-TOTAL_FORMS": "2", "foyer-INITIAL_FORMS": "0", "foyer-MIN_NUM_FORMS": "0", "foyer-MAX_NUM_FORMS": "12",
        "foyer-0-first_name": "Lucie", "foyer-0-last_name": "Testeur", "foyer-0-birth_date": "2015-09-01",
        "foyer-0-relationship": "child", "foyer-0-is_dependent": "on",
    }  # fmt: skip
    response = client.post(reverse("web:person_create"), form)
    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get(last_name="Testeur")
    assert person.phone == "+33536491042"
    assert person.household.get().first_name == "Lucie"
    assert JournalEntry.objects.filter(event=JournalEvent.PERSON_CREATED, person_id=person.pk).exists()


def test_bad_input_shows_french_errors_and_creates_nothing(verified_client, agent):
    client = verified_client(agent)
    count = Person.objects.count()
    response = client.post(
        reverse("web:person_create"),
        {"first_names": "Jean", "last_name": "", "birth_date": "2999-01-01", "phone": "12", "nir": "123",
         "commune": agent.structure.commune.pk, "preferred_channel": "sms", "digital_autonomy": "with_help",
         "foyer-TOTAL_FORMS": "0", "foyer-INITIAL_FORMS": "0"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "futur" in body and "numéro de téléphone" in body.lower() and "15 caractères" in body
    assert 'aria-invalid="true"' in body
    assert Person.objects.count() == count


def test_agent_records_and_withdraws_a_consent_from_the_file(verified_client, agent, cpam_referent, roseline):
    client = verified_client(agent)
    until = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    response = client.post(
        reverse("web:consent_grant", args=[roseline.pk]),
        {
            "operator": cpam_referent.operator_id,
            "categories": ["identity", "health_autonomy"],
            "purposes": ["case_management"],
            "valid_until": until,
            "method": "in_person",
            "witnessed": "on",
            "finalite": "accompaniment",
        },
    )
    assert response.status_code == 302
    consents = Consent.objects.active().filter(person=roseline, operator=cpam_referent.operator)
    assert consents.count() == 2
    page = client.get(reverse("web:person_detail", args=[roseline.pk])).content.decode()
    assert "Retirer" in page
    for consent in consents:
        client.post(reverse("web:consent_revoke", args=[consent.pk]), {"finalite": "accompaniment"})
    assert not Consent.objects.active().filter(person=roseline, operator=cpam_referent.operator).exists()


def test_consent_without_witness_is_refused_with_a_message(verified_client, agent, cpam_referent, roseline):
    client = verified_client(agent)
    response = client.post(
        reverse("web:consent_grant", args=[roseline.pk]),
        {"operator": cpam_referent.operator_id, "categories": ["identity"], "purposes": ["case_management"],
         "valid_until": "2020-01-01", "method": "in_person"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Consent.objects.filter(person=roseline, operator=cpam_referent.operator).exists()


def test_file_page_shows_only_shared_sections_to_a_partner(verified_client, caf_referent, sarah):
    page = verified_client(caf_referent).get(reverse("web:person_detail", args=[sarah.pk])).content.decode()
    assert "Foyer, logement et ressources" in page
    assert "Santé et autonomie</h2>" not in page
    assert "Qui a consulté ces données" not in page


def test_resident_sees_who_read_their_data(client, caf_referent, resident_sarah, sarah, verified_client):
    verified_client(caf_referent).get(reverse("web:person_detail", args=[sarah.pk]))
    client.force_login(resident_sarah)
    response = client.get(reverse("web:my_data"), follow=True)
    page = response.content.decode()
    assert "Qui a consulté ces données" in page
    assert caf_referent.get_full_name() in page


def test_htmx_search_returns_the_fragment_only(verified_client, agent, roseline):
    client = verified_client(agent)
    fragment = client.get(reverse("web:person_search"), {"q": "rosel"}, headers={"HX-Request": "true"}).content.decode()
    full = client.get(reverse("web:person_search"), {"q": "rosel"}).content.decode()
    assert roseline.last_name.upper() in fragment and "<html" not in fragment
    assert "<html" in full and roseline.last_name.upper() in full


def test_api_person_for_caf_referent(verified_client, caf_referent, sarah, roseline):
    client = verified_client(caf_referent)
    refused = client.get(f"/api/v1/persons/{roseline.pk}", {"purpose": "case_management"})
    assert refused.status_code == 403 and refused.json()["code"] == "access_denied"
    assert roseline.last_name not in refused.content.decode()
    body = client.get(f"/api/v1/persons/{sarah.pk}", {"purpose": "case_management"}).json()
    assert "household_income" in body["granted_categories"]
    assert body["health_autonomy"] is None
    unknown = client.get("/api/v1/persons/999999", {"purpose": "case_management"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    bad = client.get(f"/api/v1/persons/{sarah.pk}", {"purpose": "n'importe quoi"})
    assert bad.status_code == 403


def test_api_requires_login(client):
    response = client.get("/api/v1/communes")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_api_territory(verified_client, coordinator):
    communes = verified_client(coordinator).get("/api/v1/communes").json()
    assert len(communes) == 85
    assert {"insee_code": "46042"}.items() <= next(c for c in communes if c["insee_code"] == "46042").items()


def test_agent_corrects_a_phone_once_and_the_journal_keeps_the_field_name(verified_client, agent, roseline):
    client = verified_client(agent)
    url = reverse("web:person_edit", args=[roseline.pk]) + "?finalite=accompaniment"
    page = client.get(url)
    form = page.context["form"]
    record = page.context["record"]
    from carte_blanche.consent.access import PERSON_FIELDS

    allowed = {name for category in record.granted for name in PERSON_FIELDS[category]}
    assert set(form.fields) <= allowed
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["phone"] = "05 36 49 10 77"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    roseline.refresh_from_db()
    assert roseline.phone == "+33536491077"
    entry = JournalEntry.objects.filter(event=JournalEvent.PERSON_UPDATED, person_id=roseline.pk).last()
    assert entry.details == {"fields": ["phone"]}
    assert "+33536491077" not in str(entry.details)


def test_partner_cannot_edit_a_file(verified_client, caf_referent, sarah):
    response = verified_client(caf_referent).get(reverse("web:person_edit", args=[sarah.pk]))
    assert response.status_code == 403


def test_api_refuses_a_purpose_outside_the_role(verified_client, agent, sarah):
    response = verified_client(agent).get(f"/api/v1/persons/{sarah.pk}", {"purpose": "case_management"})
    assert response.status_code == 403 and "rôle" in response.json()["message"]


def test_an_account_without_role_gets_a_clear_refusal(client, django_user_model):
    staff = django_user_model.objects.create_user("sans-role", password="x" * 14, role="")
    client.force_login(staff)
    response = client.get("/")
    assert response.status_code == 403 and "pas de rôle" in response.content.decode()


def test_staff_need_two_factor(client, django_user_model):
    staff = django_user_model.objects.create_user("admin-local", password="x" * 14, role="coordinator", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302


def test_withdrawing_someone_elses_consent_looks_like_an_unknown_id(verified_client, caf_referent, roseline):
    consent = roseline.consents.filter(revoked_at__isnull=True).first()
    response = verified_client(caf_referent).post(reverse("web:consent_revoke", args=[consent.pk]))
    assert response.status_code in (403, 404)
    consent.refresh_from_db()
    assert consent.revoked_at is None
