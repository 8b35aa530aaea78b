"""Celery tasks of the webhooks."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="webhooks.deliver")
def deliver_task(delivery_id: int) -> str:
    from carte_blanche.webhooks.delivery import deliver

    return deliver(delivery_id).status


@shared_task(name="webhooks.retry_due")
def retry_due_task() -> int:
    from carte_blanche.webhooks.delivery import retry_due

    return retry_due()
