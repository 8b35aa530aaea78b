"""Recording a visit: one atomic, journaled function."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from carte_blanche.consent.categories import Purpose
from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent
from carte_blanche.visits.models import CLIENT_KEY_MAX_LENGTH, Visit

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
    client_key: str = "",
) -> Visit:
    """Record a visit (``person=None`` for an anonymous one) and journal it when it concerns a person.

    The journal keeps the visit id, the procedures' slugs and the outcomes, never the note.
    Anonymous visits are not journaled (no person is concerned); they count in the figures.

    ``client_key`` is the idempotency key drawn by the browser for one filled form (the offline
    queue may send it twice): when this agent already recorded a visit with that key, that visit
    is returned, nothing is created nor journaled. The returned visit's ``duplicate`` attribute
    tells which case happened.
    """
    if not (by.is_authenticated and by.is_active and by.role in RECORDERS):
        raise PermissionDenied(_("Seul un agent polyvalent peut enregistrer une visite."))
    client_key = (client_key or "").strip()
    if len(client_key) > CLIENT_KEY_MAX_LENGTH:
        raise ValidationError({"client_key": [_("La clé d'envoi du formulaire est trop longue.")]})
    if client_key:
        existing = recorded_visit(by, client_key)
        if existing is not None:
            return existing
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
        "client_key": client_key,
    }
    if happened_at is not None:
        fields["happened_at"] = happened_at
    try:
        # A savepoint: a concurrent request with the same key may win the unique constraint.
        with transaction.atomic():
            visit = _create(fields, procedures, person, by)
    except IntegrityError:
        existing = recorded_visit(by, client_key) if client_key else None
        if existing is None:
            raise
        return existing
    visit.duplicate = False
    return visit


def recorded_visit(by, client_key: str) -> Visit | None:
    """The visit this agent already recorded with that idempotency key, marked ``duplicate``."""
    if not client_key:
        return None
    visit = Visit.objects.filter(agent_id=by.pk, client_key=client_key).first()
    if visit is not None:
        visit.duplicate = True
    return visit


def _create(fields: dict, procedures: list, person, by) -> Visit:
    visit = Visit(**fields)
    # The key's uniqueness is the database's to settle (see the IntegrityError above).
    visit.full_clean(exclude=["client_key"])
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
