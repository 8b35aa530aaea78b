"""The access function on real files: consent, purpose, role, and the journal of every decision."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from carte_blanche.consent.access import AccessDenied, access_person, search_persons
from carte_blanche.consent.actions import grant_consent, revoke_consent
from carte_blanche.consent.categories import CONSENTABLE_PURPOSES, DataCategory, Purpose
from carte_blanche.consent.models import Consent, ConsentMethod
from carte_blanche.consent.policy import CONSENT_ROLES, ROLE_PURPOSES
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.people.models import Person
from tests.conftest import load_reference_data

pytestmark = pytest.mark.django_db


def last_entry():
    return JournalEntry.objects.order_by("-seq").first()


def test_caf_referent_is_refused_on_roseline_and_the_refusal_is_journaled(caf_referent, roseline):
    with pytest.raises(AccessDenied):
        access_person(caf_referent, roseline.pk, Purpose.CASE_MANAGEMENT)
    entry = last_entry()
    assert entry.event == JournalEvent.PERSON_READ_REFUSED
    assert entry.person_id == roseline.pk and entry.actor_id == caf_referent.pk
    assert entry.operator_id == caf_referent.operator_id
    assert set(entry.details["refused"]) == set(DataCategory)


def test_caf_referent_reads_only_what_sarah_shared_with_the_caf(caf_referent, sarah):
    record = access_person(caf_referent, sarah.pk, Purpose.CASE_MANAGEMENT)
    assert DataCategory.HOUSEHOLD_INCOME in record.granted
    assert record.health_autonomy is None and not record.has(DataCategory.HEALTH_AUTONOMY)
    assert {c.operator_id for c in record.consents} == {caf_referent.operator_id}
    assert record.journal is None
    entry = last_entry()
    assert entry.event == JournalEvent.PERSON_READ
    assert entry.details["basis"]["household_income"].startswith("consent:")


def test_withdrawn_consent_closes_access_at_once(caf_referent, agent, sarah):
    access_person(caf_referent, sarah.pk, Purpose.CASE_MANAGEMENT)
    for consent in Consent.objects.active().filter(person=sarah, operator=caf_referent.operator):
        revoke_consent(consent, by=agent)
    with pytest.raises(AccessDenied):
        access_person(caf_referent, sarah.pk, Purpose.CASE_MANAGEMENT)


def test_expired_consent_gives_nothing(caf_referent, agent, roseline):
    consent = grant_consent(
        roseline,
        operator=caf_referent.operator,
        categories=[DataCategory.IDENTITY],
        purposes=[Purpose.CASE_MANAGEMENT],
        valid_until=timezone.localdate(),
        method=ConsentMethod.IN_PERSON,
        by=agent,
    )[0]
    assert access_person(caf_referent, roseline.pk, Purpose.CASE_MANAGEMENT).has(DataCategory.IDENTITY)
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(AccessDenied):
        access_person(caf_referent, roseline.pk, Purpose.CASE_MANAGEMENT)


def test_agent_sees_identity_and_contact_of_roseline_and_health_only_with_consent(agent, roseline):
    record = access_person(agent, roseline.pk, Purpose.ACCOMPANIMENT)
    assert record.identity["first_names"] == "Roseline"
    assert record.contact is not None
    assert record.journal is not None  # agents show the person who saw their data


def test_unknown_person_is_journaled_as_a_refusal(agent):
    with pytest.raises(Person.DoesNotExist):
        access_person(agent, 987654, Purpose.ACCOMPANIMENT)
    entry = last_entry()
    assert entry.event == JournalEvent.PERSON_READ_REFUSED
    assert entry.details["requested_person_id"] == 987654


@pytest.mark.parametrize("username", ["coordination", "conducteur", "employeur", "conseiller-rh"])
def test_roles_without_person_access_are_refused(demo, username, roseline):
    from carte_blanche.accounts.models import User

    user = User.objects.get(username=username)
    for purpose in CONSENTABLE_PURPOSES:
        with pytest.raises(AccessDenied):
            access_person(user, roseline.pk, purpose)


def test_resident_reads_own_file_and_nobody_elses(resident_sarah, sarah, roseline):
    assert access_person(resident_sarah, sarah.pk, Purpose.SELF).granted == frozenset(DataCategory)
    with pytest.raises(AccessDenied):
        access_person(resident_sarah, roseline.pk, Purpose.SELF)


def test_search_by_caf_referent_never_returns_roseline(caf_referent, roseline):
    assert search_persons(caf_referent, "Roseline", Purpose.CASE_MANAGEMENT) == []
    listed = search_persons(caf_referent, "", Purpose.CASE_MANAGEMENT, list_all=True)
    assert roseline.pk not in {h.person_id for h in listed}
    assert listed, "Sarah consented to the CAF and must be listed"


def test_search_journals_each_person_shown(agent, roseline):
    before = JournalEntry.objects.count()
    hits = search_persons(agent, "roseline", Purpose.ACCOMPANIMENT)
    assert [h.person_id for h in hits] == [roseline.pk]
    entry = last_entry()
    assert JournalEntry.objects.count() == before + 1
    assert entry.event == JournalEvent.PERSON_SEARCH and entry.person_id == roseline.pk


def test_agents_cannot_list_the_whole_population(agent):
    assert search_persons(agent, "", Purpose.ACCOMPANIMENT, list_all=True) == []


def test_only_agents_and_the_person_manage_consents(caf_referent, roseline):
    with pytest.raises(PermissionDenied):
        grant_consent(
            roseline,
            operator=caf_referent.operator,
            categories=[DataCategory.IDENTITY],
            purposes=[Purpose.CASE_MANAGEMENT],
            valid_until=timezone.localdate() + dt.timedelta(days=30),
            method=ConsentMethod.IN_PERSON,
            by=caf_referent,
        )


class TestRandomConsentMatrices(HypothesisTestCase):
    """Property: no category without an active consent or a role that needs none; every decision journaled."""

    @classmethod
    def setUpTestData(cls):
        load_reference_data()

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        matrix=st.lists(
            st.tuples(
                st.sampled_from(["cpam", "caf"]),
                st.sampled_from(list(DataCategory)),
                st.sampled_from(list(CONSENTABLE_PURPOSES)),
                st.sampled_from(["active", "revoked", "expired"]),
            ),
            max_size=8,
        ),
        username=st.sampled_from(["referent-cpam", "referent-caf", "agent", "coordination", "coord-mobilite"]),
        purpose=st.sampled_from(list(CONSENTABLE_PURPOSES)),
    )
    def test_granted_categories_are_exactly_those_allowed(self, matrix, username, purpose):
        from carte_blanche.accounts.models import User
        from carte_blanche.consent.policy import ROLE_BASELINE
        from carte_blanche.territory.models import Operator

        user = User.objects.get(username=username)
        agent = User.objects.get(username="agent")
        person = Person.objects.create(
            first_names="Test", last_name="Matrice", birth_date=dt.date(1970, 1, 1), commune=agent.structure.commune
        )
        operators = {
            "cpam": Operator.objects.get(referents__username="referent-cpam"),
            "caf": Operator.objects.get(referents__username="referent-caf"),
        }
        today = timezone.localdate()
        for op, category, consent_purpose, state in matrix:
            Consent.objects.create(
                person=person,
                operator=operators[op],
                category=category,
                purpose=consent_purpose,
                granted_at=timezone.now() - dt.timedelta(days=10),
                valid_until=today - dt.timedelta(days=1) if state == "expired" else today + dt.timedelta(days=30),
                method=ConsentMethod.IN_PERSON,
                revoked_at=timezone.now() if state == "revoked" else None,
            )
        expected = set(ROLE_BASELINE.get(user.role, {}).get(purpose, set()))
        if purpose not in ROLE_PURPOSES.get(user.role, ()):
            expected = set()
        acting = user.acting_operator
        for op, category, consent_purpose, state in matrix:
            consent_counts = state == "active" and acting is not None and operators[op] == acting
            role_works_for_it = purpose in ROLE_PURPOSES.get(user.role, ())
            if consent_counts and consent_purpose == purpose and user.role in CONSENT_ROLES and role_works_for_it:
                expected.add(category)
        before = JournalEntry.objects.count()
        try:
            record = access_person(user, person.pk, purpose)
            granted = set(record.granted)
            event = JournalEvent.PERSON_READ
        except AccessDenied:
            granted = set()
            event = JournalEvent.PERSON_READ_REFUSED
        assert granted == expected
        assert JournalEntry.objects.count() == before + 1
        entry = JournalEntry.objects.order_by("-seq").first()
        assert entry.event == event and entry.person_id == person.pk and entry.actor_id == user.pk
        if granted:
            for name in ("identity", "contact", "household_income", "health_autonomy"):
                assert (getattr(record, name) is not None) == (DataCategory(name) in granted)
