"""Rights checks at the counter: pre-filling, the check action, the journal, saving back to the file."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from carte_blanche.consent.access import access_person
from carte_blanche.consent.categories import Purpose
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.people.models import HousingStatus as FileHousing
from carte_blanche.people.models import Relationship
from carte_blanche.rights import engine
from carte_blanche.rights.actions import run_check, save_situation_to_file
from carte_blanche.rights.engine import Income, IncomeKind, Member, Role, SituationError
from carte_blanche.rights.engine.serialize import household_from_dict, household_to_dict
from carte_blanche.rights.models import RightsCheck, Trigger
from carte_blanche.rights.prefill import build_situation, facts_from_record, member_id
from tests.rights.conftest import hand_result, save_hand_check, this_month

pytestmark = pytest.mark.django_db


def _no_compute(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("nothing may be computed here")

    monkeypatch.setattr(engine, "compute", refuse)
    monkeypatch.setattr(engine, "compute_one", refuse)


def test_the_situation_starts_from_the_file(agent, sarah):
    record = access_person(agent, sarah.pk, Purpose.RIGHTS_CHECK)
    situation = build_situation(facts_from_record(record), None, this_month())
    lena = sarah.household.get()
    assert [m["role"] for m in situation["members"]] == ["demandeur", "enfant"]
    assert situation["members"][0]["birth_date"] == sarah.birth_date.isoformat()
    assert situation["members"][1]["id"] == f"m{lena.pk}"
    assert situation["members"][1]["first_name"] == "Léna"
    assert situation["housing"] == {
        "status": "locataire_vide",
        "commune_insee": "46105",
        "rent": 480.0,
        "charges": 0.0,
        "shared": False,
    }
    # Valid as it stands, apart from what the file cannot say (incomes are simply absent).
    engine.validate(household_from_dict(situation))


def test_the_latest_check_completes_the_file_and_the_file_wins_where_it_knows(agent, sarah, sarah_household):
    saved = household_to_dict(sarah_household)
    saved["housing"].update(rent=999.0, charges=35.0, commune_insee="46042", status="locataire_meuble")
    saved["members"][0]["birth_date"] = "1990-01-01"
    saved["already_received"] = ["css"]
    record = access_person(agent, sarah.pk, Purpose.RIGHTS_CHECK)
    situation = build_situation(facts_from_record(record), saved, this_month())
    applicant = situation["members"][0]
    assert applicant["birth_date"] == sarah.birth_date.isoformat()  # the file
    assert applicant["incomes"][0]["kind"] == "salaire"  # the check
    assert applicant["monthly_hours"] == 104.0
    # The file's "locataire" covers a furnished let: the finer status of the check stays.
    assert situation["housing"]["status"] == "locataire_meuble"
    assert situation["housing"]["rent"] == 480.0 and situation["housing"]["commune_insee"] == "46105"
    assert situation["housing"]["charges"] == 35.0
    assert situation["already_received"] == ["css"]
    assert situation["other_parent_pays_maintenance"] is False


def test_a_check_is_computed_saved_and_journaled(agent, sarah, sarah_household):
    previous = save_hand_check(sarah, by=agent, result=hand_result(eligible={"css": 16.0}))
    check = run_check(agent, sarah, sarah_household)

    check.refresh_from_db()
    assert check.trigger == Trigger.COUNTER and check.created_by == agent and check.previous == previous
    assert check.situation == household_to_dict(sarah_household)
    assert check.openfisca_version == engine.openfisca_version()
    result = check.check_result
    ppa = result.get("ppa")
    assert ppa.unclaimed and ppa.amount > 0
    assert "ppa" in check.appeared
    entry = JournalEntry.objects.filter(event=JournalEvent.RIGHTS_CHECKED, person_id=sarah.pk).last()
    assert entry.actor_id == agent.pk and entry.purpose == Purpose.RIGHTS_CHECK
    assert entry.details["check_id"] == check.pk and entry.details["unclaimed"] == len(result.unclaimed)
    assert "amount" not in str(entry.details)
    # The file was read for the rights check, and journaled as such.
    assert JournalEntry.objects.filter(
        event=JournalEvent.PERSON_READ, person_id=sarah.pk, purpose=Purpose.RIGHTS_CHECK
    ).exists()


def test_without_consent_for_the_household_and_incomes_nothing_is_computed(agent, roseline, monkeypatch):
    _no_compute(monkeypatch)
    household = engine.Household(
        month=this_month(),
        members=(Member(id="demandeur", role=Role.APPLICANT, birth_date=roseline.birth_date),),
        housing=engine.Housing(status=engine.HousingStatus.OWNER, commune_insee=roseline.commune.insee_code),
    )
    with pytest.raises(PermissionDenied, match="consentement"):
        run_check(agent, roseline, household)
    with pytest.raises(PermissionDenied):
        save_situation_to_file(agent, roseline, household)
    assert not RightsCheck.objects.filter(person=roseline).exists()
    entry = JournalEntry.objects.filter(person_id=roseline.pk, purpose=Purpose.RIGHTS_CHECK).last()
    assert entry.event == JournalEvent.PERSON_READ and "household_income" in entry.details["refused"]


def test_a_partner_without_any_consent_is_refused(caf_referent, roseline, monkeypatch):
    _no_compute(monkeypatch)
    with pytest.raises(PermissionDenied):
        run_check(caf_referent, roseline, None)
    assert JournalEntry.objects.filter(
        event=JournalEvent.PERSON_READ_REFUSED, person_id=roseline.pk, actor_id=caf_referent.pk
    ).exists()


def test_an_invalid_situation_is_refused_with_its_fields(agent, sarah, sarah_household, monkeypatch):
    _no_compute(monkeypatch)
    wrong = replace(sarah_household.members[0], monthly_hours=None, birth_date=dt.date(2020, 1, 1))
    household = replace(sarah_household, members=(wrong,))
    with pytest.raises(SituationError) as caught:
        run_check(agent, sarah, household)
    fields = {e.field for e in caught.value.errors}
    assert {"members.0.birth_date", "members.0.monthly_hours"} <= fields
    assert not RightsCheck.objects.filter(person=sarah).exists()
    assert not JournalEntry.objects.filter(event=JournalEvent.RIGHTS_CHECKED).exists()


def test_saving_the_situation_tells_the_file_once(agent, sarah, sarah_household):
    lena = sarah.household.get()
    applicant = replace(
        sarah_household.members[0],
        incomes=(Income(IncomeKind.SALARY, (1150.0, 1150.0, 1200.0), 13800.0),),
        gir=5,  # not shared with France services: never written
    )
    newborn = Member(id="nouveau-1", role=Role.CHILD, birth_date=dt.date.today() - dt.timedelta(days=40))
    housing = replace(sarah_household.housing, rent=505.5, commune_insee="46042")
    household = replace(sarah_household, members=(applicant, sarah_household.members[1], newborn), housing=housing)
    changed = save_situation_to_file(agent, sarah, household, first_names={"nouveau-1": "Tom", member_id(lena.pk): ""})

    sarah.refresh_from_db()
    assert changed == ["commune", "monthly_rent", "monthly_resources", "household"]
    assert sarah.monthly_rent == Decimal("505.50") and sarah.monthly_resources == Decimal("1200.00")
    assert sarah.housing_status == FileHousing.TENANT and sarah.commune.insee_code == "46042"
    assert sarah.autonomy_gir is None
    members = {m.first_name: m for m in sarah.household.all()}
    assert set(members) == {"Léna", "Tom"}
    assert members["Tom"].relationship == Relationship.CHILD and members["Tom"].is_dependent
    updated = JournalEntry.objects.filter(event=JournalEvent.PERSON_UPDATED, person_id=sarah.pk).last()
    assert updated.details["fields"] == ["commune", "monthly_rent", "monthly_resources"]
    household_entry = JournalEntry.objects.filter(event=JournalEvent.RIGHTS_HOUSEHOLD_UPDATED).last()
    assert household_entry.details == {"added": 1, "updated": 0, "removed": 0}

    # Léna left the household on the form (Tom now has his file id, as the form pre-fills it): she leaves the file.
    tom = replace(newborn, id=member_id(members["Tom"].pk))
    alone = replace(household, members=(applicant, tom))
    save_situation_to_file(agent, sarah, alone, first_names={})
    assert list(sarah.household.values_list("first_name", flat=True)) == ["Tom"]


def test_only_an_agent_saves_to_the_file(caf_referent, sarah, sarah_household):
    with pytest.raises(PermissionDenied):
        save_situation_to_file(caf_referent, sarah, sarah_household)
