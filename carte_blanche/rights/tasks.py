"""Periodic re-check of rights (Celery beat runs it daily; see config/settings.py)."""

from __future__ import annotations

from celery import shared_task

from carte_blanche.rights.recheck import recheck_all


@shared_task(name="rights.recheck")
def recheck_task() -> dict:
    return recheck_all().as_dict()


from .batch_tasks import *  # noqa: E402,F401,F403  (batch chunks, see batch_tasks.py)
