"""State changes of person files; each one is atomic and journaled."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent
from carte_blanche.people.models import HouseholdMember, Person

# Only front-desk agents open files; other roles work on files opened at a counter.
CREATORS = frozenset({"agent"})


def create_person(*, by, household: list[dict] | None = None, **fields) -> Person:
    """Open a person's file (validated), with their household, in one transaction."""
    if not (by.is_authenticated and by.is_active and by.role in CREATORS):
        raise PermissionDenied(_("Seul un agent polyvalent peut ouvrir un dossier."))
    with transaction.atomic():
        person = Person(**fields)
        person.full_clean()
        person.save()
        for member in household or []:
            item = HouseholdMember(person=person, **member)
            item.full_clean()
            item.save()
        record(
            JournalEvent.PERSON_CREATED,
            actor=by,
            person=person,
            operator=by.acting_operator,
            details={"household_members": len(household or []), "structure_id": by.structure_id},
        )
    return person


def update_person(person: Person, *, by, changes: dict) -> Person:
    """Change fields of a file; the journal keeps which fields changed, never the values."""
    if not (by.is_authenticated and by.is_active and by.role in CREATORS):
        raise PermissionDenied(_("Seul un agent polyvalent peut modifier un dossier."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        changed = sorted(name for name, value in changes.items() if getattr(person, name) != value)
        for name in changed:
            setattr(person, name, changes[name])
        person.full_clean()
        person.save()
        record(
            JournalEvent.PERSON_UPDATED,
            actor=by,
            person=person,
            operator=by.acting_operator,
            details={"fields": changed},
        )
        from carte_blanche.webhooks.events import person_changed

        source = by.structure.name if getattr(by, "structure", None) else str(by.acting_operator or "")
        person_changed(person, changed, source=source, source_operator_id=getattr(by.acting_operator, "pk", None))
    return person
