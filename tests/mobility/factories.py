"""Test helpers of the driver side: drivers, ride requests with their legs, proposals, built directly
with the models (no dispatcher), so the tests do not depend on the solver."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from carte_blanche.mobility.actions import new_token
from carte_blanche.mobility.models import Direction, Driver, Proposal, RideLeg, RideRequest
from carte_blanche.mobility.states import DriverStatus, LegStatus, ProposalStatus
from carte_blanche.territory.models import Commune

CAHORS = "46042"
PRADINES = "46224"

_codes = itertools.count(4321)


def commune(insee: str):
    return Commune.objects.get(insee_code=insee)


def make_driver(user, *, phone: str = "+33612345678", status: str = DriverStatus.ACTIVE, home: str = CAHORS) -> Driver:
    """The driver profile of ``user`` (the ``driver`` fixture's user has none in the demo data)."""
    existing = Driver.objects.filter(user=user).first()
    if existing is not None:
        existing.phone, existing.status = phone, status
        existing.save(update_fields=["phone", "status"])
        return existing
    return Driver.objects.create(user=user, phone=phone, home_commune=commune(home), status=status)


def make_driver_user(username: str, *, phone: str = "+33698765432", status: str = DriverStatus.ACTIVE) -> Driver:
    from carte_blanche.accounts.models import User

    user = User.objects.create_user(
        username=username, email=f"{username}@example.org", password="x", role="volunteer_driver",
        first_name="Autre", last_name="Conducteur",
    )  # fmt: skip
    return make_driver(user, phone=phone, status=status)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_ride(
    person,
    *,
    by,
    day: dt.date,
    origin: str = PRADINES,
    destination: str = CAHORS,
    with_return: bool = True,
    **fields,
) -> RideRequest:
    """A request with its outbound leg (pick-up 9h–9h20, drop-off 9h30–9h50) and return leg (11h–11h30)."""
    ride = RideRequest.objects.create(
        person=person, purpose="health", day=day, origin_commune=commune(origin),
        origin_address=fields.pop("origin_address", "12 rue des Tilleuls"),
        destination_commune=commune(destination),
        destination_name=fields.pop("destination_name", "Centre hospitalier"),
        destination_address=fields.pop("destination_address", "335 rue du Président Wilson"),
        created_by=by, **fields,
    )  # fmt: skip
    RideLeg.objects.create(
        request=ride, direction=Direction.OUTBOUND, pickup_earliest=_at(day, 9), pickup_latest=_at(day, 9, 20),
        dropoff_earliest=_at(day, 9, 30), dropoff_latest=_at(day, 9, 50),
    )  # fmt: skip
    if with_return:
        RideLeg.objects.create(
            request=ride, direction=Direction.RETURN, pickup_earliest=_at(day, 11), pickup_latest=_at(day, 11, 30),
            dropoff_earliest=_at(day, 11, 10), dropoff_latest=_at(day, 12),
        )  # fmt: skip
    return ride


def outbound(ride: RideRequest) -> RideLeg:
    return ride.legs.get(direction=Direction.OUTBOUND)


def back(ride: RideRequest) -> RideLeg:
    return ride.legs.get(direction=Direction.RETURN)


def propose(leg: RideLeg, driver: Driver, *, hours: int = 6, code: int | None = None) -> tuple[Proposal, str]:
    """Offer the leg to the driver as the dispatcher does; returns the proposal and the link's token."""
    token, digest = new_token()
    leg.status = LegStatus.PROPOSED
    leg.driver = driver
    leg.planned_pickup = leg.pickup_earliest + dt.timedelta(minutes=10)
    leg.planned_dropoff = leg.dropoff_earliest + dt.timedelta(minutes=10)
    leg.save()
    proposal = Proposal.objects.create(
        leg=leg, driver=driver, token_hash=digest, code=code or next(_codes),
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )  # fmt: skip
    return proposal, token


def confirm(leg: RideLeg, driver: Driver, *, driven_km: str = "12.4", distance_km: str = "8.0", done=False) -> RideLeg:
    """The leg as accepted by the driver (or driven, ``done=True``)."""
    token, digest = new_token()
    leg.status = LegStatus.DONE if done else LegStatus.CONFIRMED
    leg.driver = driver
    leg.planned_pickup = leg.pickup_earliest
    leg.planned_dropoff = leg.dropoff_earliest
    leg.driven_km = Decimal(driven_km)
    leg.distance_km = Decimal(distance_km)
    leg.save()
    Proposal.objects.create(
        leg=leg, driver=driver, token_hash=digest, code=next(_codes), status=ProposalStatus.ACCEPTED,
        expires_at=timezone.now() + dt.timedelta(hours=1), answered_at=timezone.now(), answered_via="page",
    )  # fmt: skip
    return leg
