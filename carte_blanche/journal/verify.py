from __future__ import annotations

from carte_blanche.journal.chain import ChainError, verify
from carte_blanche.journal.models import JournalEntry, JournalHead


def verify_journal() -> tuple[int, ChainError | None]:
    """Walk the whole chain from the database; return (rows checked, first error)."""
    head = JournalHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    count = 0

    def rows():
        nonlocal count
        for entry in JournalEntry.objects.order_by("seq").iterator(chunk_size=2000):
            count += 1
            yield entry.pk, entry.as_link()

    error = verify(rows(), head)
    return count, error
