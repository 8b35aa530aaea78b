"""What the public sees: the published calls of the bus, by commune and for the whole tour."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from carte_blanche.bus.models import Call, PlanStatus


def published_calls(*, since: dt.datetime | None = None, commune=None):
    calls = Call.objects.filter(outing__plan__status=PlanStatus.PUBLISHED).select_related(
        "stop__commune", "outing__plan", "permanence"
    )
    if since is not None:
        calls = calls.filter(ends_at__gte=since)
    if commune is not None:
        calls = calls.filter(stop__commune=commune)
    return calls.order_by("starts_at", "order")


def next_calls(commune, *, count: int = 6):
    return list(published_calls(since=timezone.now(), commune=commune)[:count])


def served_communes():
    """Communes with a published call still to come, with their next one."""
    seen: dict[int, Call] = {}
    for call in published_calls(since=timezone.now()):
        seen.setdefault(call.stop.commune_id, call)
    return sorted(seen.values(), key=lambda c: c.stop.commune.name)
