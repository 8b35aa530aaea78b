"""Guard rail: walk every URL of the platform as a partner without consent; nothing of Roseline leaks."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from carte_blanche.consent.models import Consent
from carte_blanche.journal.models import JournalEntry, JournalEvent

pytestmark = pytest.mark.django_db


def all_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def concrete(route: str, ids: dict) -> str | None:
    if route.startswith("admin/"):
        return None  # Django admin: staff only, and persons are not registered there (tested below)
    path = route.replace("^", "").replace("$", "")
    for name, value in ids.items():
        for form in (f"<int:{name}>", f"<slug:{name}>", f"<str:{name}>", f"<{name}>", f"{{{name}}}"):
            path = path.replace(form, str(value))
    if "<" in path or "{" in path:
        raise AssertionError(f"Route {route!r} has a parameter this test does not know: add it to `ids`.")
    return "/" + path


def secrets_of(person):
    return [person.last_name, person.phone, person.birth_date.strftime("%d/%m/%Y"), person.address]


def test_partner_without_consent_gets_nothing_of_roseline_anywhere(
    verified_client, caf_referent, roseline, settings, tmp_path
):
    client = verified_client(caf_referent)
    consent = Consent.objects.filter(person=roseline).first()
    from carte_blanche.consent.models import ConsentCodeRequest
    from carte_blanche.territory.models import Operator

    agent = roseline.consents.first().recorded_by
    code_request = ConsentCodeRequest.objects.create(
        person=roseline, operator=Operator.objects.first(), categories=["identity"], purposes=["case_management"],
        valid_until=roseline.birth_date, phone=roseline.phone or "+33536491000", code_hash="0" * 64, salt="s",
        created_at=consent.granted_at, expires_at=consent.granted_at, created_by=agent,
    )  # fmt: skip
    from carte_blanche.referrals.models import Referral

    referral = Referral.objects.create(
        person=roseline, operator=consent.operator, question="Demande d'APA à domicile pour Roseline",
        created_by=agent, structure=agent.structure, sent_at=consent.granted_at, deadline=roseline.birth_date,
    )  # fmt: skip
    from carte_blanche.rights.models import RightsCheck
    from tests.rights.conftest import hand_result

    rights_check = RightsCheck.objects.create(
        person=roseline, created_by=agent, month="2026-11", situation={"members": []},
        result=hand_result(eligible={"aspa": 120.0}).to_dict(), openfisca_version="openfisca-france 176.1.8",
    )  # fmt: skip
    ids = {
        "person_id": roseline.pk,
        "check_id": rights_check.pk,
        "consent_id": consent.pk,
        "request_id": code_request.pk,
        "referral_id": referral.pk,
        "notification_id": 1,
        "document_id": _a_document_of(roseline, agent, settings, tmp_path).pk,
        "slug": "papiers",
        "token": "lien-inconnu-" + "x" * 32,
        "draft_id": 1,
        # The HR centre (companies, not persons): the partner must be refused everywhere.
        **_demo_hr_ids(),  # employer_id, question_id, answer_id
        "attachment_id": 1,
        "offer_id": _a_demo_job_offer_id(),
        # Mobility, the driver's side (the public link uses "token" above).
        "proposal_id": 1,
        "answer": "accept",
        "year": 2026,
        "month": 11,
        "driver_id": 1,  # also the coordinator's pages (urls_mobility.py)
        "ride_id": 1,
        "appointment_id": 1,
        # The bus (public pages take an INSEE code: Soulomès, Roseline's commune).
        "insee": "46310",
        "plan_id": 1,
        "stop_id": 1,
        # The operator API (a category of the file) and the coordinator's pages of its clients.
        "category": "household_income",
        "client_pk": 1,
        # The webhooks pages (not this change's routes, but the test needs every parameter).
        "delivery_id": 1,
        "subscription_id": 1,
        "propagation_id": 1,
    }
    refusals_before = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ_REFUSED, person_id=roseline.pk).count()
    consents_before = list(Consent.objects.filter(person=roseline).values_list("pk", "revoked_at"))
    checked = 0
    for route in sorted(set(all_routes())):
        path = concrete(route, ids)
        if path is None:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(path, {"q": "Roseline", "purpose": "case_management"})
            body = response.content.decode(errors="replace")
            for secret in filter(None, [*secrets_of(roseline), "Avis imposition 2025 Vayssiere"]):
                assert secret not in body, f"{method.upper()} {path} leaks {secret!r} (status {response.status_code})"
            checked += 1
    assert checked > 20
    assert list(Consent.objects.filter(person=roseline).values_list("pk", "revoked_at")) == consents_before
    refusals = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ_REFUSED, person_id=roseline.pk).count()
    assert refusals > refusals_before, "the attempts on Roseline's file must be journaled"


def test_person_data_is_not_in_the_admin():
    from django.contrib import admin

    from carte_blanche.consent.models import Consent as ConsentModel
    from carte_blanche.journal.models import JournalEntry as Entry
    from carte_blanche.people.models import HouseholdMember, Person

    for model in (Person, HouseholdMember, ConsentModel, Entry):
        assert not admin.site.is_registered(model)


def _a_document_of(person, agent, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from carte_blanche.documents.actions import store_document

    settings.DOCUMENTS_ROOT = str(tmp_path / "documents")
    pdf = SimpleUploadedFile("avis.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    return store_document(person, pdf, kind="tax_notice", title="Avis imposition 2025 Vayssiere", by=agent)


def _demo_hr_ids() -> dict:
    from carte_blanche.hrdesk.models import Answer, HrQuestion

    question = HrQuestion.objects.order_by("pk").first()
    return {
        "employer_id": question.employer_id,
        "question_id": question.pk,
        "answer_id": Answer.objects.order_by("pk").first().pk,
    }


def _a_demo_job_offer_id() -> int:
    from carte_blanche.jobs.models import JobOffer

    return JobOffer.objects.order_by("pk").values_list("pk", flat=True).first()
