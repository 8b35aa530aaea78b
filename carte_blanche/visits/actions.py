"""Recording a visit: one atomic, journaled function."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carte_blanche.consent.categories import Purpose
from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent
from carte_blanche.visits.models import Visit

# Visits are recorded at a counter (a France services site, a mairie, the bus).
RECORDERS = frozenset({"agent"})


def record_visit(
    *,
    by,
    person=None,
    structure,
    channel: str,
    procedures: Iterable,
    outcomes: Iterable[str],
    minutes: int,
    note: str = "",
    place_commune=None,
    happened_at=None,
) -> Visit:
    """Record a visit (``person=None`` for an anonymous one) and journal it when it concerns a person.

    The journal keeps the visit id, the procedures' slugs and the outcomes, never the note.
    Anonymous visits are not journaled (no person is concerned); they count in the figures.
    """
    if not (by.is_authenticated and by.is_active and by.role in RECORDERS):
        raise PermissionDenied(_("Seul un agent polyvalent peut enregistrer une visite."))
    procedures = list(dict.fromkeys(procedures))
    errors: dict[str, list[str]] = {}
    if structure is None:
        errors["structure"] = [_("Indiquez la structure où la visite a eu lieu.")]
    inactive = [p.title for p in procedures if not p.is_active]
    if inactive:
        errors["procedures"] = [_("Cette démarche n'est plus en vigueur : %s.") % ", ".join(inactive)]
    if errors:
        raise ValidationError(errors)
    fields = {
        "agent": by,
        "structure": structure,
        "place_commune": place_commune,
        "channel": channel,
        "person": person,
        "outcomes": list(outcomes),
        "minutes": minutes,
        "note": (note or "").strip(),
    }
    if happened_at is not None:
        fields["happened_at"] = happened_at
    with transaction.atomic():
        visit = Visit(**fields)
        visit.full_clean()
        visit.save()
        visit.procedures.set(procedures)
        if person is not None:
            record(
                JournalEvent.VISIT_RECORDED,
                actor=by,
                person=person,
                operator=by.acting_operator,
                purpose=Purpose.ACCOMPANIMENT,
                details={
                    "visit_id": visit.pk,
                    "structure_id": visit.structure_id,
                    "channel": visit.channel,
                    "procedures": sorted(p.slug for p in procedures),
                    "outcomes": visit.outcomes,
                },
            )
    return visit
