"""Messages sent to a person, in their timeline (see carte_blanche/visits/timeline.py)."""

from __future__ import annotations

from django.utils import timezone

from carte_blanche.messaging.models import Channel, Notification, NotificationStatus
from carte_blanche.visits.timeline import TimelineItem, sees_whole_file_history

TITLES = {
    Channel.SMS: "Message envoyé par SMS",
    Channel.EMAIL: "Message envoyé par courriel",
    Channel.LETTER: "Courrier envoyé",
    Channel.PHONE: "Appel passé",
}


def notification_items(record, user) -> list[TimelineItem]:
    """Agents and the person see every message that left; partners none."""
    if not sees_whole_file_history(record, user):
        return []
    rows = Notification.objects.filter(
        person_id=record.person_id, status__in=[NotificationStatus.SENT, NotificationStatus.DONE]
    ).select_related("done_by")
    items = []
    for row in rows:
        when = row.sent_at or row.done_at or row.created_at
        who = ""
        if row.done_by is not None:
            who = row.done_by.get_full_name() or row.done_by.username
        title = TITLES[Channel(row.channel)]
        items.append(
            TimelineItem(
                when=timezone.localtime(when),
                kind="notification",
                title=f"{title} : {row.subject}" if row.subject else title,
                detail=row.body,
                who=who,
            )
        )
    return items
