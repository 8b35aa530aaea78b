"""Periodic check of the journal's integrity (Celery beat runs it daily; see README)."""

from __future__ import annotations

import logging

from celery import shared_task

from carte_blanche.journal.verify import verify_journal

logger = logging.getLogger(__name__)


@shared_task(name="journal.verify")
def verify_journal_task() -> dict:
    count, error = verify_journal()
    if error is not None:
        logger.error(
            "Journal des accès altéré",
            extra={"seq": error.seq, "row_id": error.row_id, "reason": error.reason, "rows": count},
        )
        return {"ok": False, "rows": count, "seq": error.seq, "row_id": error.row_id, "reason": error.reason}
    return {"ok": True, "rows": count}
