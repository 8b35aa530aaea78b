"""Celery task of the rights batch: one chunk of CSV rows computed on a worker.

`manage.py rights_batch --celery` sends its chunks here; with a broker, any machine running
`celery -A config worker` with this code computes them (`--queue` lets dedicated machines take
them: `celery -A config worker -Q rights`). `tasks.py` re-exports this module, so Celery's
autodiscovery registers the task. Rows travel as JSON (dicts of strings), both ways. A worker
process builds OpenFisca on its first chunk (about 10 s) and keeps it.
"""

from __future__ import annotations

from celery import shared_task

from carte_blanche.rights.engine import batch

__all__ = ["compute_chunk"]


@shared_task(name="rights.compute_chunk")
def compute_chunk(rows: list[dict], default_month: str | None = None) -> list[dict]:
    """Result rows of one chunk, in input order (see `engine.batch.compute_rows`)."""
    return batch.compute_rows(rows, default_month=default_month)
