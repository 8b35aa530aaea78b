"""Telling a commune's subscribers that the bus is coming (SMS or e-mail, through messaging)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from carte_blanche.bus.conf import bus_settings
from carte_blanche.bus.models import Subscription
from carte_blanche.bus.timetable import published_calls
from carte_blanche.messaging.notify import notify_contact


def send_notices(today: dt.date | None = None) -> int:
    """For each published call ``NOTICE_DAYS`` days ahead, one message per active subscription
    of its commune (never twice: the key names the call, the subscription and the delay)."""
    today = today or timezone.localdate()
    sent = 0
    base = settings.CB_PUBLIC_URL.rstrip("/")
    for days in bus_settings().notice_days:
        day = today + dt.timedelta(days=days)
        for call in published_calls().filter(outing__day=day):
            commune = call.stop.commune
            starts, ends = timezone.localtime(call.starts_at), timezone.localtime(call.ends_at)
            when = "demain" if days == 1 else f"le {starts:%d/%m}"
            values = {
                "when": when,
                "commune": commune.name,
                "place": call.stop.name,
                "start": f"{starts:%Hh%M}",
                "end": f"{ends:%Hh%M}",
                "link": f"{base}/bus/communes/{commune.insee_code}/",
            }
            for sub in Subscription.objects.filter(commune=commune, ended_at__isnull=True):
                notify_contact(
                    "bus.notice", key=f"bus-notice:{call.pk}:{sub.pk}:{days}", phone=sub.phone, email=sub.email,
                    values=values, related=("bus_call", call.pk),
                )  # fmt: skip
                sent += 1
    return sent
