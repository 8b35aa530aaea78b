from celery import shared_task

from carte_blanche.appointments.reminders import send_reminders


@shared_task(name="appointments.remind")
def send_reminders_task() -> dict:
    return send_reminders()
