"""The service's indicators for a period: requests, served, unserved with reasons, km, rides per driver."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from carte_blanche.mobility.models import RideLeg, RideRequest
from carte_blanche.mobility.states import LegStatus


@dataclass(frozen=True)
class DriverLine:
    driver_id: int
    name: str
    legs: int
    km: Decimal


@dataclass(frozen=True)
class Indicators:
    start: dt.date
    end: dt.date
    requests: int
    cancelled: int
    legs: int
    served: int  # confirmed or done
    waiting: int  # requested or proposed
    unserved: int
    unserved_by_reason: dict[str, int] = field(default_factory=dict)
    km: Decimal = Decimal("0")
    per_driver: tuple[DriverLine, ...] = ()

    @property
    def served_share(self) -> float | None:
        decided = self.served + self.unserved
        return self.served / decided if decided else None


def indicators(start: dt.date, end: dt.date) -> Indicators:
    """Over the rides dated ``start`` … ``end`` (inclusive)."""
    requests = RideRequest.objects.filter(day__range=(start, end))
    legs = RideLeg.objects.filter(request__day__range=(start, end)).exclude(status=LegStatus.CANCELLED)
    legs = legs.filter(request__cancelled_at__isnull=True)
    by_status = dict(legs.values_list("status").annotate(n=Count("pk")))
    served_legs = legs.filter(status__in=[LegStatus.CONFIRMED, LegStatus.DONE])
    reasons = dict(legs.filter(status=LegStatus.UNSERVABLE).values_list("unservable_reason").annotate(n=Count("pk")))
    per_driver = [
        DriverLine(
            row["driver"],
            f"{row['driver__user__first_name']} {row['driver__user__last_name']}".strip(),
            row["n"],
            row["km"] or Decimal("0"),
        )  # fmt: skip
        for row in served_legs.values("driver", "driver__user__first_name", "driver__user__last_name")
        .annotate(n=Count("pk"), km=Sum("driven_km"))
        .order_by("-n", "driver__user__last_name")
    ]
    return Indicators(
        start=start,
        end=end,
        requests=requests.count(),
        cancelled=requests.filter(cancelled_at__isnull=False).count(),
        legs=legs.count(),
        served=by_status.get(LegStatus.CONFIRMED, 0) + by_status.get(LegStatus.DONE, 0),
        waiting=by_status.get(LegStatus.REQUESTED, 0) + by_status.get(LegStatus.PROPOSED, 0),
        unserved=by_status.get(LegStatus.UNSERVABLE, 0),
        unserved_by_reason=reasons,
        km=served_legs.aggregate(km=Sum("driven_km"))["km"] or Decimal("0"),
        per_driver=tuple(per_driver),
    )
