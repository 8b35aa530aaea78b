"""Celery tasks of the bus."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="bus.send_notices")
def send_notices_task() -> int:
    from carte_blanche.bus.notices import send_notices

    return send_notices()
