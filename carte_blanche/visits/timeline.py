"""A person's timeline: visits now, and whatever later services register (referrals, appointments…).

A timeline is personal data. It is built only from a :class:`~carte_blanche.consent.access.PersonRecord`
(so the read was decided and journaled by ``access_person``) that grants the identity category;
each provider then decides what of its own items the reader may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from carte_blanche.consent.access import PersonRecord
from carte_blanche.consent.categories import DataCategory
from carte_blanche.visits.models import Visit


@dataclass(frozen=True)
class TimelineItem:
    when: dt.datetime
    kind: str  # "visit", later "referral", "appointment", "rights_check"…
    title: str
    detail: str = ""
    who: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


Provider = Callable[[PersonRecord, object], Iterable[TimelineItem]]

KIND_LABELS: dict[str, str] = {}
_providers: list[Provider] = []


def register(provider: Provider, *, kinds: dict[str, str] | None = None) -> Provider:
    """Add a source of items (called from an app's ``ready()``); ``kinds`` maps each kind to its label."""
    KIND_LABELS.update(kinds or {})
    if provider not in _providers:
        _providers.append(provider)
    return provider


def timeline_for(record: PersonRecord, user) -> list[TimelineItem]:
    """Every item the reader may see about the record's person, most recent first."""
    if not record.has(DataCategory.IDENTITY):
        return []
    items = [item for provider in _providers for item in provider(record, user)]
    return sorted(items, key=lambda item: item.when, reverse=True)


def sees_whole_file_history(record: PersonRecord, user) -> bool:
    """Agents (identity by role) and the person themself see every item; others only their operator's."""
    if getattr(user, "role", "") == "agent":
        return True
    person = getattr(user, "person", None) if user.is_authenticated else None
    return person is not None and person.pk == record.person_id


def visit_items(record: PersonRecord, user) -> list[TimelineItem]:
    visits = Visit.objects.for_person(record.person_id).for_display()
    whole = sees_whole_file_history(record, user)
    operator_id = None
    if not whole:
        operator = getattr(user, "acting_operator", None) if user.is_authenticated else None
        if operator is None:
            return []
        operator_id = operator.pk
        # A partner sees the visits about its own procedures, and only those procedures.
        visits = visits.about_procedures_of(operator_id)
    items = []
    for visit in visits:
        procedures = [p for p in visit.procedures.all() if whole or p.operator_id == operator_id]
        title = " ; ".join(p.title for p in procedures) or "Visite sans démarche précise"
        place = visit.place_commune.name if visit.place_commune else ""
        parts = [visit.get_channel_display(), place, f"{visit.minutes} min", ", ".join(visit.outcome_labels)]
        detail = " · ".join(part for part in parts if part)
        if whole and visit.note:
            detail += f" — Note : {visit.note}"
        agent = visit.agent.get_full_name() or visit.agent.username
        items.append(
            TimelineItem(
                when=timezone.localtime(visit.happened_at),
                kind="visit",
                title=title,
                detail=detail,
                who=f"{agent}, {visit.structure.name}",
            )
        )
    return items
