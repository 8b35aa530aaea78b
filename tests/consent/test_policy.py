"""The pure access rule, on random actors and consent matrices."""

from hypothesis import given
from hypothesis import strategies as st

from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.consent.policy import ROLE_BASELINE, ROLE_PURPOSES, Actor, ConsentFact, decide

ROLES = [
    "agent",
    "partner_referent",
    "coordinator",
    "mobility_coordinator",
    "volunteer_driver",
    "employer",
    "hr_advisor",
    "resident",
]
categories = st.sampled_from(list(DataCategory))
purposes = st.sampled_from(list(Purpose))
actors = st.builds(
    Actor,
    role=st.sampled_from(ROLES),
    is_active=st.booleans(),
    operator_id=st.one_of(st.none(), st.integers(1, 4)),
    person_id=st.one_of(st.none(), st.integers(1, 3)),
)
consents = st.lists(
    st.builds(
        ConsentFact,
        consent_id=st.integers(1, 10_000),
        operator_id=st.integers(1, 4),
        category=categories,
        purpose=purposes,
    ),
    max_size=12,
)


@given(actors, st.integers(1, 3), purposes, st.sets(categories, min_size=1), consents)
def test_every_granted_category_has_a_basis(actor, person_id, purpose, requested, active):
    decision = decide(actor, person_id, purpose, requested, active)
    assert decision.granted | decision.refused == requested
    assert not decision.granted & decision.refused
    if decision.granted:
        assert purpose in ROLE_PURPOSES[actor.role]
    for category in decision.granted:
        basis = decision.basis[category]
        if basis == "self":
            assert actor.role == "resident" and actor.person_id == person_id and purpose is Purpose.SELF
        elif basis == "role":
            assert category in ROLE_BASELINE[actor.role][purpose]
        else:
            consent_id = int(basis.removeprefix("consent:"))
            matching = [c for c in active if c.consent_id == consent_id]
            assert any(
                c.operator_id == actor.operator_id and c.category == category and c.purpose == purpose for c in matching
            )


@given(actors, st.integers(1, 3), purposes, st.sets(categories, min_size=1), consents)
def test_inactive_accounts_see_nothing(actor, person_id, purpose, requested, active):
    inactive = Actor(actor.role, False, actor.operator_id, actor.person_id)
    assert not decide(inactive, person_id, purpose, requested, active).granted


@given(st.integers(1, 4), purposes, st.sets(categories, min_size=1))
def test_a_partner_without_consent_sees_nothing(operator_id, purpose, requested):
    actor = Actor("partner_referent", True, operator_id, None)
    decision = decide(actor, 1, purpose, requested, [])
    assert not decision.allowed and decision.reason


def test_consent_to_another_operator_gives_nothing():
    actor = Actor("partner_referent", True, 1, None)
    other = ConsentFact(5, 2, DataCategory.IDENTITY, Purpose.CASE_MANAGEMENT)
    assert not decide(actor, 1, Purpose.CASE_MANAGEMENT, {DataCategory.IDENTITY}, [other]).allowed


def test_consent_for_another_purpose_gives_nothing():
    actor = Actor("partner_referent", True, 1, None)
    consent = ConsentFact(5, 1, DataCategory.IDENTITY, Purpose.RIGHTS_CHECK)
    assert not decide(actor, 1, Purpose.CASE_MANAGEMENT, {DataCategory.IDENTITY}, [consent]).allowed


def test_agent_sees_identity_and_contact_but_not_health_without_consent():
    actor = Actor("agent", True, 1, None)
    decision = decide(actor, 1, Purpose.ACCOMPANIMENT, set(DataCategory), [])
    assert decision.granted == {DataCategory.IDENTITY, DataCategory.CONTACT}
    assert DataCategory.HEALTH_AUTONOMY in decision.refused


def test_a_resident_reads_only_their_own_file():
    actor = Actor("resident", True, None, 2)
    assert decide(actor, 2, Purpose.SELF, set(DataCategory), []).granted == set(DataCategory)
    assert not decide(actor, 3, Purpose.SELF, set(DataCategory), []).allowed
    assert not decide(actor, 2, Purpose.ACCOMPANIMENT, set(DataCategory), []).allowed


def test_a_purpose_outside_the_role_is_refused_even_with_consent():
    actor = Actor("agent", True, 1, None)
    consent = ConsentFact(5, 1, DataCategory.HOUSEHOLD_INCOME, Purpose.CASE_MANAGEMENT)
    decision = decide(actor, 1, Purpose.CASE_MANAGEMENT, set(DataCategory), [consent])
    assert not decision.allowed and "rôle" in decision.reason
