"""The only way to write the journal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from carte_blanche.journal.chain import GENESIS_HASH, compute_hash
from carte_blanche.journal.models import JournalEntry, JournalEvent, JournalHead


def _actor_label(actor) -> str:
    if actor is None:
        return "système"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    role = getattr(actor, "get_role_display", lambda: "")()
    label = full or getattr(actor, "username", str(actor))
    return f"{label} ({role})" if role else label


def record(
    event: JournalEvent,
    *,
    actor=None,
    person=None,
    operator=None,
    purpose: str = "",
    details: dict[str, Any] | None = None,
) -> JournalEntry:
    """Append one entry to the chain, atomically and in order."""
    with transaction.atomic():
        head, _ = JournalHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        # Microseconds are kept by both SQLite and PostgreSQL, so the stored value hashes the same.
        now = dt.datetime.now(tz=dt.UTC)
        entry = JournalEntry(
            seq=head.last_seq + 1,
            created_at=now,
            event=JournalEvent(event).value,
            actor_id=getattr(actor, "pk", None),
            actor_label=_actor_label(actor),
            person_id=getattr(person, "pk", None),
            operator_id=getattr(operator, "pk", None),
            purpose=str(purpose or ""),
            details=details or {},
            prev_hash=head.last_hash,
        )
        entry.hash = compute_hash(entry.as_link())
        entry.save()
        head.last_seq = entry.seq
        head.last_hash = entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry
