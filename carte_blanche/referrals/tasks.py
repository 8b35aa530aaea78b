from celery import shared_task

from carte_blanche.referrals.escalation import escalate_overdue


@shared_task(name="referrals.escalate")
def escalate_overdue_task() -> dict:
    return escalate_overdue()
