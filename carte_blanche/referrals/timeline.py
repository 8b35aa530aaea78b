"""Referrals in a person's timeline (see carte_blanche/visits/timeline.py)."""

from __future__ import annotations

from django.utils import timezone

from carte_blanche.referrals.models import Referral
from carte_blanche.referrals.states import STATUS_LABELS
from carte_blanche.visits.timeline import TimelineItem, sees_whole_file_history


def referral_items(record, user) -> list[TimelineItem]:
    referrals = Referral.objects.filter(person_id=record.person_id).select_related("operator", "procedure", "structure")
    if not sees_whole_file_history(record, user):
        operator = getattr(user, "acting_operator", None) if user.is_authenticated else None
        if operator is None:
            return []
        referrals = referrals.filter(operator=operator)
    today = timezone.localdate()
    items = []
    for referral in referrals:
        late = " — en retard" if referral.is_overdue(today) else ""
        items.append(
            TimelineItem(
                when=timezone.localtime(referral.sent_at),
                kind="referral",
                title=f"Orientation vers {referral.operator.short_name}"
                + (f" : {referral.procedure.title}" if referral.procedure else ""),
                detail=f"{STATUS_LABELS[referral.state]}, réponse attendue le {referral.deadline:%d/%m/%Y}{late}",
                who=referral.structure.name,
            )
        )
    return items
