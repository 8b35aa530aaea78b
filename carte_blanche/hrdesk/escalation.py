"""Late questions: remind the advisor (or the centre's queue), then alert the coordinators.

Each step is sent once: the notification key names the question, its deadline and the level, so
the hourly task may run any number of times; a new deadline (information given, question
reopened) starts a new cycle.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from carte_blanche.hrdesk.models import (
    DEFAULT_COORDINATOR_AFTER_HOURS,
    EventKind,
    HrQuestion,
    HrQuestionEvent,
    ServiceLevel,
)
from carte_blanche.hrdesk.notifications import queue_advisors
from carte_blanche.messaging.notify import notify_user


def coordinator_after_hours(theme: str) -> int:
    hours = ServiceLevel.objects.filter(theme=theme).values_list("coordinator_after_hours", flat=True).first()
    return DEFAULT_COORDINATOR_AFTER_HOURS if hours is None else hours


def escalate_overdue(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"advisor": 0, "coordinators": 0}
    for question in HrQuestion.objects.overdue(now).select_related("employer", "assigned_to"):
        late_hours = int((now - question.due_at).total_seconds() // 3600)
        level = 2 if late_hours >= coordinator_after_hours(question.theme) else 1
        if level <= question.escalation_level:
            continue
        with transaction.atomic():
            locked = HrQuestion.objects.select_for_update().get(pk=question.pk)
            if level <= locked.escalation_level or locked.due_at != question.due_at:
                continue
            skipped_first = locked.escalation_level == 0 and level == 2
            locked.escalation_level = level
            locked.escalated_at = now
            locked.save(update_fields=["escalation_level", "escalated_at"])
            recipients = _coordinators() if level == 2 else []
            if level == 1 or skipped_first:
                recipients = _advisors(question) + recipients
            HrQuestionEvent.objects.create(
                question=locked,
                kind=EventKind.ESCALATED,
                details={"level": level, "late_hours": late_hours, "recipients": [u.pk for u in recipients]},
            )
            values = {
                "id": question.pk,
                "subject": question.subject,
                "employer": question.employer.name,
                "due": f"{timezone.localtime(question.due_at):%d/%m/%Y %H:%M}",
                "late": late_hours,
            }
            cycle = f"{question.due_at:%Y%m%dT%H%M%S%f}"
            for user in recipients:
                # Sent at once: the key (question, deadline, level, recipient) makes it once only.
                notify_user(
                    user,
                    "hrdesk.late.coordinator" if user.role == "coordinator" else "hrdesk.late.advisor",
                    key=f"hrdesk:{question.pk}:late:{cycle}:{level}:user{user.pk}",
                    values=values,
                    related=("hr_question", question.pk),
                )
        counts["coordinators" if level == 2 else "advisor"] += 1
    return counts


def _advisors(question: HrQuestion) -> list:
    if question.assigned_to and question.assigned_to.is_active:
        return [question.assigned_to] if question.assigned_to.email else []
    return [u for u in queue_advisors(question) if u.email]


def _coordinators() -> list:
    from carte_blanche.accounts.models import Role, User

    return list(User.objects.filter(role=Role.COORDINATOR, is_active=True).exclude(email="").order_by("pk"))
