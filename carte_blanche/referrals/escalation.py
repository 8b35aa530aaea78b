"""Late referrals: remind the partner's referents, then alert the operator's manager."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent
from carte_blanche.referrals.models import Referral, ServiceLevel
from carte_blanche.referrals.workdays import working_days_between

# Level 1 as soon as the deadline has passed; level 2 after this many more working days.
MANAGER_AFTER_WORKING_DAYS = 2


def escalate_overdue(today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"reminded": 0, "manager": 0}
    for referral in Referral.objects.overdue(today).select_related("operator", "person"):
        late = working_days_between(referral.deadline, today)
        level = 2 if late >= MANAGER_AFTER_WORKING_DAYS else 1
        if level <= referral.escalation_level:
            continue
        with transaction.atomic():
            locked = Referral.objects.select_for_update().get(pk=referral.pk)
            if level <= locked.escalation_level:
                continue
            locked.escalation_level = level
            locked.escalated_at = timezone.now()
            locked.save(update_fields=["escalation_level", "escalated_at"])
            recipients = _recipients(referral, level)
            if recipients:
                send_mail(
                    f"Orientation n° {referral.pk} en retard ({late} jour(s) ouvré(s))",
                    f"L'orientation n° {referral.pk} adressée à {referral.operator.name} attendait une réponse "
                    f"le {referral.deadline:%d/%m/%Y}. Merci d'y répondre dans Carte Blanche.",
                    None,
                    recipients,
                )
            record(
                JournalEvent.REFERRAL_ESCALATED,
                person=referral.person,
                operator=referral.operator,
                details={"referral_id": referral.pk, "level": level, "late_working_days": late},
            )
        counts["manager" if level == 2 else "reminded"] += 1
    return counts


def _recipients(referral: Referral, level: int) -> list[str]:
    from carte_blanche.accounts.models import User

    referents = list(
        User.objects.filter(role="partner_referent", operator=referral.operator, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if level == 2:
        manager = (
            ServiceLevel.objects.filter(operator=referral.operator).values_list("manager_email", flat=True).first()
        )
        if manager:
            referents.append(manager)
    return referents
