"""The volunteer drivers' monthly mileage statements (*relevés kilométriques*).

A statement lists the legs a driver drove in a month (communes only, never a passenger) and the
refund: the kilometres driven (``RideLeg.driven_km``: the driver's share of their route that day,
empty runs included; the leg's own distance when the dispatcher left it empty) of the DONE and
CONFIRMED legs of the month's past days, times ``conf.km_rate``, rounded to the cent.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from carte_blanche.mobility.conf import mobility_settings
from carte_blanche.mobility.models import Direction, Driver, RideLeg
from carte_blanche.mobility.states import LegStatus

# The association that refunds the drivers (a setting may name another one).
SERVICE_NAME = "Mobilité solidaire du Grand Cahors"

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

COUNTED = (LegStatus.DONE, LegStatus.CONFIRMED)
CENT = Decimal("0.01")


def service_name() -> str:
    return getattr(settings, "MOBILITY_SERVICE_NAME", "") or SERVICE_NAME


@dataclass(frozen=True)
class Line:
    day: dt.date
    direction: str  # "Aller" / "Retour"
    origin: str  # commune
    destination: str  # commune
    distance_km: Decimal
    driven_km: Decimal


@dataclass(frozen=True)
class Statement:
    driver: Driver
    driver_name: str
    year: int
    month: int
    rate: Decimal
    lines: list[Line] = field(default_factory=list)
    km: Decimal = Decimal("0.0")
    amount: Decimal = Decimal("0.00")
    service: str = SERVICE_NAME
    issued_on: dt.date | None = None

    @property
    def rides(self) -> int:
        return len(self.lines)

    @property
    def period(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"


def _check_month(year: int, month: int) -> None:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError(f"Mois inconnu : {month}/{year}.")


def _month_legs(year: int, month: int, today: dt.date):
    _check_month(year, month)
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return (
        RideLeg.objects.filter(
            status__in=[s.value for s in COUNTED],
            driver__isnull=False,
            request__day__range=(first, min(last, today - dt.timedelta(days=1))),
        )
        .select_related("request__origin_commune", "request__destination_commune")
        .order_by("request__day", "planned_pickup", "pickup_earliest", "pk")
    )


def _km(leg: RideLeg) -> Decimal:
    value = leg.driven_km if leg.driven_km is not None else leg.distance_km
    return Decimal(value or 0)


def _line(leg: RideLeg) -> Line:
    ride = leg.request
    origin, destination = ride.origin_commune.name, ride.destination_commune.name
    if leg.direction == Direction.RETURN:
        origin, destination = destination, origin
    return Line(
        day=ride.day,
        direction=leg.get_direction_display(),
        origin=origin,
        destination=destination,
        distance_km=Decimal(leg.distance_km or 0),
        driven_km=_km(leg),
    )


def _amount(km: Decimal, rate: Decimal) -> Decimal:
    return (km * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def statement(driver: Driver, year: int, month: int, *, today: dt.date | None = None) -> Statement:
    """The statement of one driver for one month (the days before ``today`` only)."""
    today = today or timezone.localdate()
    rate = mobility_settings().km_rate
    lines = [_line(leg) for leg in _month_legs(year, month, today).filter(driver=driver)]
    km = sum((line.driven_km for line in lines), Decimal("0.0"))
    return Statement(
        driver=driver,
        driver_name=driver.user.get_full_name() or driver.user.username,
        year=year,
        month=month,
        rate=rate,
        lines=lines,
        km=km,
        amount=_amount(km, rate),
        service=service_name(),
        issued_on=today,
    )


def statement_pdf(statement: Statement) -> bytes:
    """The statement as an A4 PDF (WeasyPrint), to sign and hand to the association."""
    from weasyprint import HTML

    html = render_to_string("mobility/mileage_statement.html", {"statement": statement})
    return HTML(string=html).write_pdf()


def _french_decimal(value: Decimal) -> str:
    return str(value).replace(".", ",")


def statements_csv(year: int, month: int, *, today: dt.date | None = None) -> str:
    """One row per driver (active ones, and any other who drove that month): name, rides, km, amount.

    Semicolon-separated with decimal commas, as a French spreadsheet opens it.
    """
    today = today or timezone.localdate()
    rate = mobility_settings().km_rate
    totals: dict[int, tuple[int, Decimal]] = {}
    for leg in _month_legs(year, month, today):
        rides, km = totals.get(leg.driver_id, (0, Decimal("0.0")))
        totals[leg.driver_id] = (rides + 1, km + _km(leg))
    drivers = Driver.objects.select_related("user").filter(pk__in=list(totals)) | Driver.objects.active()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["conducteur", "trajets", "km", "montant (€)", "taux (€/km)", "mois"])
    for driver in drivers.select_related("user").distinct().order_by("user__last_name", "user__first_name", "pk"):
        rides, km = totals.get(driver.pk, (0, Decimal("0.0")))
        writer.writerow(
            [
                driver.user.get_full_name() or driver.user.username,
                rides,
                _french_decimal(km),
                _french_decimal(_amount(km, rate)),
                _french_decimal(rate),
                f"{year:04d}-{month:02d}",
            ]
        )
    return out.getvalue()
