"""Rights checks at the counter, and telling the file once what the person said: atomic, journaled actions."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.consent.access import PersonRecord, access_person
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.journal.actions import record as journal
from carte_blanche.journal.models import JournalEvent
from carte_blanche.people.actions import update_person
from carte_blanche.people.models import HouseholdMember, Person, Relationship
from carte_blanche.rights import engine
from carte_blanche.rights.engine import CODES, Household, Role
from carte_blanche.rights.engine.serialize import household_to_dict
from carte_blanche.rights.models import RightsCheck, Trigger
from carte_blanche.rights.prefill import (
    HOUSING_TO_FILE,
    ROLE_TO_FILE,
    facts_from_record,
    household_digest,
    member_id,
)
from carte_blanche.territory.models import Commune

# What a check reads of the file; household_income is required, the others are used when granted.
CHECK_CATEGORIES = frozenset(
    {DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD_INCOME, DataCategory.HEALTH_AUTONOMY}
)
# The MDPH's thresholds start at 50 %: below, the file's "handicap reconnu" is not set from a check.
RECOGNISED_DISABILITY_RATE = 50
ROLE_NAMES = {Role.PARTNER: "Conjoint", Role.CHILD: "Enfant", Role.OTHER: "Autre personne"}


def read_for_check(actor, person_id: int) -> PersonRecord:
    """The file as a rights check may read it (journaled); refused without the household and incomes."""
    if not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied
    record = access_person(actor, person_id, Purpose.RIGHTS_CHECK, CHECK_CATEGORIES)
    if not record.has(DataCategory.HOUSEHOLD_INCOME):
        raise PermissionDenied(
            _(
                "Vérifier les droits suppose de connaître le foyer et les ressources : la personne n'a pas donné "
                "son accord pour les partager avec votre organisme pour l'accès aux droits. Recueillez d'abord "
                "son consentement (foyer, logement et ressources ; accès aux droits)."
            )
        )
    return record


def run_check(actor, person: Person, household: Household) -> RightsCheck:
    """Compute the household's probable rights and keep them with the situation; raises SituationError."""
    record = read_for_check(actor, person.pk)
    engine.validate(household, known_benefits=CODES)
    # Computed outside the transaction: a simulation takes seconds and must hold no lock.
    result = engine.compute_one(household)
    digest = household_digest(facts_from_record(record))
    with transaction.atomic():
        previous = RightsCheck.objects.of_person(person.pk).first()
        appeared, disappeared = engine.diff(previous.check_result, result) if previous else ([], [])
        check = RightsCheck.objects.create(
            person=person,
            created_by=actor,
            month=household.month,
            situation=household_to_dict(household),
            result=result.to_dict(),
            openfisca_version=result.openfisca_version,
            trigger=Trigger.COUNTER,
            previous=previous,
            appeared=appeared,
            disappeared=disappeared,
            household_digest=digest,
        )
        journal(
            JournalEvent.RIGHTS_CHECKED,
            actor=actor,
            person=person,
            operator=actor.acting_operator,
            purpose=Purpose.RIGHTS_CHECK,
            details=check_details(check, result),
        )
    return check


def check_details(check: RightsCheck, result) -> dict:
    """Journal details of a check: ids and counts, never amounts nor the situation."""
    return {
        "check_id": check.pk,
        "previous_id": check.previous_id,
        "trigger": check.trigger,
        "month": check.month,
        "openfisca_version": check.openfisca_version,
        "probable_rights": len(result.eligible),
        "unclaimed": len(result.unclaimed),
        "to_check": len(result.to_check),
        "appeared": len(check.appeared),
        "disappeared": len(check.disappeared),
    }


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


def _file_changes(record: PersonRecord, person: Person, household: Household) -> dict:
    changes: dict = {}
    if record.has(DataCategory.HOUSEHOLD_INCOME):
        housing = household.housing
        changes["housing_status"] = HOUSING_TO_FILE[housing.status]
        changes["monthly_rent"] = _money(housing.rent) if housing.status.pays_rent else None
        # The file keeps one figure: what the household received last month, all incomes together.
        changes["monthly_resources"] = _money(sum(i.last_3_months[2] for m in household.members for i in m.incomes))
    if record.has(DataCategory.CONTACT):
        commune = Commune.objects.filter(insee_code=household.housing.commune_insee).first()
        if commune is not None:
            changes["commune"] = commune
    if record.has(DataCategory.HEALTH_AUTONOMY):
        applicant = household.applicant
        if applicant.gir is not None:
            changes["autonomy_gir"] = applicant.gir
        # A rate left at 0 may just be unknown at the counter: it never clears a recognition.
        if applicant.disability_rate >= RECOGNISED_DISABILITY_RATE:
            changes["disability_recognised"] = True
    return {name: value for name, value in changes.items() if getattr(person, name) != value}


def _sync_household(person: Person, household: Household, first_names: dict[str, str]) -> dict[str, int]:
    existing = {member_id(m.pk): m for m in person.household.all()}
    counts = {"added": 0, "updated": 0, "removed": 0}
    kept: set[str] = set()
    for member in household.members:
        if member.role is Role.APPLICANT:
            continue
        relationship = ROLE_TO_FILE[member.role]
        row = existing.get(member.id)
        if row is not None and member.role is Role.OTHER and row.relationship == Relationship.PARENT:
            relationship = Relationship.PARENT  # the engine has no "parent": keep the file's finer word
        name = (first_names.get(member.id) or "").strip()
        values = {
            "birth_date": member.birth_date,
            "relationship": relationship,
            "is_dependent": member.role is Role.CHILD,
        }
        if row is None:
            row = HouseholdMember(person=person, first_name=name or ROLE_NAMES[member.role], **values)
            row.full_clean()
            row.save()
            counts["added"] += 1
            continue
        kept.add(member.id)
        if name:
            values["first_name"] = name
        if any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.full_clean()
            row.save()
            counts["updated"] += 1
    for mid, row in existing.items():
        if mid not in kept:
            row.delete()
            counts["removed"] += 1
    return counts


def save_situation_to_file(
    actor, person: Person, household: Household, *, first_names: dict[str, str] | None = None
) -> list[str]:
    """Tell us once: write into the file what the person said at the counter; returns what changed.

    Only the categories the access function grants for the rights check are written: housing,
    rent, resources and household members with ``household_income``, the commune with
    ``contact``, the GIR and a recognised disability with ``health_autonomy``.
    """
    if not (actor.is_authenticated and actor.is_active and actor.role == "agent"):
        raise PermissionDenied(_("Seul un agent polyvalent peut modifier un dossier."))
    record = read_for_check(actor, person.pk)
    engine.validate(household, known_benefits=CODES)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        changes = _file_changes(record, person, household)
        if changes:
            update_person(person, by=actor, changes=changes)
        counts = _sync_household(person, household, first_names or {})
        if any(counts.values()):
            journal(
                JournalEvent.RIGHTS_HOUSEHOLD_UPDATED,
                actor=actor,
                person=person,
                operator=actor.acting_operator,
                purpose=Purpose.RIGHTS_CHECK,
                details=counts,
            )
    changed = sorted(changes)
    return [*changed, "household"] if any(counts.values()) else changed


def mark_reviewed(actor, check: RightsCheck) -> RightsCheck:
    """The agent has seen a re-check whose probable rights changed: the task leaves their list."""
    if not (actor.is_authenticated and actor.is_active and actor.role == "agent"):
        raise PermissionDenied(_("Seul un agent polyvalent traite les changements de droits."))
    responsible = check.responsible_agent()
    if responsible is not None and responsible != actor and responsible.structure_id != actor.structure_id:
        raise PermissionDenied(_("Ce changement de droits concerne un agent d'une autre structure."))
    with transaction.atomic():
        check = RightsCheck.objects.select_for_update().get(pk=check.pk)
        if not check.needs_review:
            return check
        check.reviewed_at = timezone.now()
        check.reviewed_by = actor
        check.save(update_fields=["reviewed_at", "reviewed_by"])
        journal(
            JournalEvent.RIGHTS_REVIEWED,
            actor=actor,
            person=check.person,
            operator=actor.acting_operator,
            purpose=Purpose.RIGHTS_CHECK,
            details={"check": check.pk},
        )
    return check
