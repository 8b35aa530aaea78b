"""Hash chain of the access journal: pure functions, no Django import.

Each entry's hash covers its own canonical content and the previous entry's hash, so
changing, inserting or deleting any row breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class ChainLink:
    seq: int
    created_at: str  # ISO 8601, UTC
    event: str
    actor_id: int | None
    actor_label: str
    person_id: int | None
    operator_id: int | None
    purpose: str
    details: dict
    prev_hash: str
    hash: str = ""


def canonical(link: ChainLink) -> bytes:
    payload = {
        "seq": link.seq,
        "created_at": link.created_at,
        "event": link.event,
        "actor_id": link.actor_id,
        "actor_label": link.actor_label,
        "person_id": link.person_id,
        "operator_id": link.operator_id,
        "purpose": link.purpose,
        "details": link.details,
        "prev_hash": link.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(link: ChainLink) -> str:
    return hashlib.sha256(canonical(link)).hexdigest()


@dataclass(frozen=True)
class ChainError:
    seq: int | None
    row_id: int | None
    reason: str


def verify(rows: Iterable[tuple[int, ChainLink]], head: tuple[int, str] | None) -> ChainError | None:
    """Return the first break in the chain, or None when it is intact.

    ``rows`` are (row id, link) in seq order; ``head`` is the (last seq, last hash) the
    journal recorded when it last appended, which catches a deletion of the newest rows.
    """
    expected_seq = 1
    prev_hash = GENESIS_HASH
    for row_id, link in rows:
        if link.seq != expected_seq:
            return ChainError(
                link.seq, row_id, f"séquence {expected_seq} attendue, {link.seq} trouvée (ligne supprimée ou insérée)"
            )
        if link.prev_hash != prev_hash:
            return ChainError(
                link.seq, row_id, "le hash précédent ne correspond pas (ligne précédente modifiée ou supprimée)"
            )
        if compute_hash(link) != link.hash:
            return ChainError(link.seq, row_id, "le contenu ne correspond pas à son hash (ligne modifiée)")
        prev_hash = link.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if head is not None:
        head_seq, head_hash = head
        if head_seq != last_seq or (last_seq and head_hash != prev_hash):
            return ChainError(
                head_seq,
                None,
                f"la tête du journal annonce {head_seq} entrées, {last_seq} trouvées (fin du journal supprimée)",
            )
    elif last_seq:
        return ChainError(None, None, "la tête du journal est absente")
    return None
