from celery import shared_task

from carte_blanche.hrdesk.escalation import escalate_overdue


@shared_task(name="hrdesk.escalate")
def escalate_overdue_task() -> dict:
    return escalate_overdue()
