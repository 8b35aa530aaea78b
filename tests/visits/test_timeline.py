"""A person's timeline: only from a record that grants identity; each reader sees their share."""

import datetime as dt

import pytest
from django.utils import timezone

from carte_blanche.consent.access import AccessDenied, PersonRecord, access_person
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.visits import timeline
from carte_blanche.visits.actions import record_visit
from carte_blanche.visits.models import Channel, Outcome
from carte_blanche.visits.timeline import TimelineItem, timeline_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sarah_visits(agent, sarah, rsa, carte_vitale):
    """Three visits of Sarah: CAF only, CPAM only, and both."""

    def visit(procedures, note, hours_ago):
        return record_visit(
            by=agent,
            person=sarah,
            structure=agent.structure,
            channel=Channel.IN_PERSON,
            procedures=procedures,
            outcomes=[Outcome.DONE_WITH],
            minutes=20,
            note=note,
            happened_at=timezone.now() - dt.timedelta(hours=hours_ago),
        )

    return {
        "caf": visit([rsa], "note caf", 3),
        "cpam": visit([carte_vitale], "note cpam", 2),
        "both": visit([rsa, carte_vitale], "note mixte", 1),
    }


def test_agent_sees_every_visit_most_recent_first_with_notes(agent, sarah, sarah_visits):
    record = access_person(agent, sarah.pk, Purpose.ACCOMPANIMENT)
    items = timeline_for(record, agent)
    assert [item.kind for item in items] == ["visit"] * 3
    assert [item.when for item in items] == sorted((item.when for item in items), reverse=True)
    assert "Vitale" in items[0].title
    assert "RSA" in items[0].title
    assert "note mixte" in items[0].detail
    assert items[0].kind_label == "Visite"
    assert "Claire Delpech" in items[0].who


def test_caf_referent_sees_only_visits_about_caf_procedures_and_only_those(caf_referent, sarah, sarah_visits):
    record = access_person(caf_referent, sarah.pk, Purpose.CASE_MANAGEMENT)
    items = timeline_for(record, caf_referent)
    assert len(items) == 2
    for item in items:
        assert "RSA" in item.title
        assert "Vitale" not in item.title
        assert "note" not in item.detail


def test_caf_referent_gets_no_record_hence_no_timeline_without_consent(caf_referent, roseline):
    with pytest.raises(AccessDenied):
        access_person(caf_referent, roseline.pk, Purpose.CASE_MANAGEMENT)


def test_sarah_sees_her_own_visits(resident_sarah, sarah, sarah_visits):
    record = access_person(resident_sarah, sarah.pk, Purpose.SELF)
    items = timeline_for(record, resident_sarah)
    assert len(items) == 3
    assert any("note caf" in item.detail for item in items)


def test_no_identity_no_timeline(agent, sarah, sarah_visits):
    record = PersonRecord(person_id=sarah.pk, purpose=Purpose.ACCOMPANIMENT, granted=frozenset({DataCategory.CONTACT}))
    assert timeline_for(record, agent) == []


def test_a_referent_without_operator_procedures_sees_nothing(cpam_referent, sarah, rsa, agent):
    record_visit(
        by=agent,
        person=sarah,
        structure=agent.structure,
        channel=Channel.PHONE,
        procedures=[rsa],
        outcomes=[Outcome.ANSWERED],
        minutes=5,
    )
    record = PersonRecord(
        person_id=sarah.pk, purpose=Purpose.CASE_MANAGEMENT, granted=frozenset({DataCategory.IDENTITY})
    )
    assert timeline_for(record, cpam_referent) == []


def test_other_services_add_their_items(monkeypatch, agent, sarah, sarah_visits):
    later = timezone.now() + dt.timedelta(minutes=5)

    def referrals(record, user):
        return [TimelineItem(when=later, kind="referral", title="Orientation vers la CAF")]

    monkeypatch.setattr(timeline, "_providers", [*timeline._providers, referrals])
    monkeypatch.setitem(timeline.KIND_LABELS, "referral", "Orientation")
    items = timeline_for(access_person(agent, sarah.pk, Purpose.ACCOMPANIMENT), agent)
    assert items[0].kind_label == "Orientation" and len(items) == 4
