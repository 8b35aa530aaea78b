"""record_visit: who may record, validation in French, one transaction, the journal entry."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.territory.models import Commune
from carte_blanche.visits.actions import record_visit
from carte_blanche.visits.models import Channel, Outcome, Visit

pytestmark = pytest.mark.django_db


def _visit(by, **overrides):
    fields = {
        "structure": by.structure,
        "channel": Channel.IN_PERSON,
        "procedures": [],
        "outcomes": [Outcome.ANSWERED],
        "minutes": 10,
    }
    return record_visit(by=by, **(fields | overrides))


def test_visit_about_a_person_is_journaled_without_the_note(agent, sebastien, rsa):
    before = JournalEntry.objects.count()
    visit = _visit(
        agent,
        person=sebastien,
        procedures=[rsa],
        outcomes=[Outcome.DONE_WITH, Outcome.REFERRED],
        minutes=15,
        note="Rappeler jeudi",
    )
    assert visit.structure == agent.structure and visit.agent == agent
    assert list(visit.procedures.all()) == [rsa]
    assert visit.outcomes == ["done_with", "referred"]
    assert JournalEntry.objects.count() == before + 1
    entry = JournalEntry.objects.order_by("-seq").first()
    assert entry.event == JournalEvent.VISIT_RECORDED
    assert entry.person_id == sebastien.pk and entry.actor_id == agent.pk
    assert entry.details["visit_id"] == visit.pk
    assert entry.details["procedures"] == ["rsa-demande"]
    assert entry.details["outcomes"] == ["done_with", "referred"]
    assert "Rappeler" not in str(entry.details)


def test_anonymous_visit_is_recorded_not_journaled_and_counted(agent):
    before = JournalEntry.objects.count()
    visit = _visit(agent, outcomes=[Outcome.ANSWERED], minutes=5)
    assert visit.person is None
    assert JournalEntry.objects.count() == before
    assert Visit.objects.at_structure(agent.structure).anonymous().filter(pk=visit.pk).exists()


@pytest.mark.parametrize("username", ["referent-caf", "coordination", "sarah", "coord-mobilite"])
def test_only_agents_record_visits(demo, username, sebastien):
    from carte_blanche.accounts.models import User

    user = User.objects.get(username=username)
    with pytest.raises(PermissionDenied, match="agent polyvalent"):
        record_visit(
            by=user,
            person=sebastien,
            structure=None,
            channel=Channel.PHONE,
            procedures=[],
            outcomes=[Outcome.ANSWERED],
            minutes=5,
        )
    assert not Visit.objects.exists()


def test_inactive_agent_cannot_record(agent):
    agent.is_active = False
    with pytest.raises(PermissionDenied):
        _visit(agent)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"outcomes": []}, "outcomes", "au moins une suite"),
        ({"outcomes": ["lunch"]}, "outcomes", "Suite inconnue"),
        ({"outcomes": ["answered", "answered"]}, "outcomes", "qu'une fois"),
        ({"minutes": 0}, "minutes", "supérieure ou égale à 1"),
        ({"minutes": 241}, "minutes", "inférieure ou égale à 240"),
        ({"minutes": None}, "minutes", "Indiquez le temps passé"),
        ({"channel": "pigeon"}, "channel", "n’est pas un choix valide"),
        ({"note": "x" * 501}, "note", "au plus 500 caractères"),
        ({"structure": None}, "structure", "Indiquez la structure"),
    ],
)
def test_invalid_visits_are_refused_in_french_and_nothing_is_written(agent, sebastien, overrides, field, message):
    before = JournalEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        _visit(agent, person=sebastien, **overrides)
    assert field in caught.value.message_dict
    assert message in " ".join(caught.value.message_dict[field])
    assert not Visit.objects.exists()
    assert JournalEntry.objects.count() == before


def test_a_withdrawn_procedure_is_refused(agent, rsa):
    rsa.is_active = False
    with pytest.raises(ValidationError, match="plus en vigueur"):
        _visit(agent, procedures=[rsa])
    assert not Visit.objects.exists()


def test_the_bus_records_the_commune_of_its_stop(bus_agent, sebastien):
    lherm = Commune.objects.get(insee_code="46171")
    visit = _visit(bus_agent, person=sebastien, place_commune=lherm, channel=Channel.IN_PERSON)
    assert visit.place_commune == lherm and visit.structure == bus_agent.structure


def test_queryset_questions(agent, bus_agent, sebastien, sarah):
    import datetime as dt

    from django.utils import timezone

    yesterday = timezone.now() - dt.timedelta(days=1)
    today_catus = _visit(agent, person=sebastien)
    old = _visit(agent, person=sarah, happened_at=yesterday)
    bus = _visit(bus_agent, person=sebastien)
    today = timezone.localdate()
    assert set(Visit.objects.for_person(sebastien)) == {today_catus, bus}
    assert set(Visit.objects.at_structure(agent.structure)) == {today_catus, old}
    assert set(Visit.objects.at_structure(agent.structure).on_day(today)) == {today_catus}
    assert set(Visit.objects.on_day(timezone.localtime(yesterday).date())) == {old}
