"""From the database to the planner and back: the communes of the scope become sites (population,
remoteness from the nearest permanent service point), the cycle's working days become the planner's
days, and its half-days become outings with times on site (docs/bus.md)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from carte_blanche.bus import actions
from carte_blanche.bus.conf import BusSettings, bus_settings
from carte_blanche.bus.models import TourPlan
from carte_blanche.bus.planner.metrics import evaluate
from carte_blanche.bus.planner.model import DEPOT_ID, Depot, HalfDayPlan, MatrixTravel, PlanningInput, Site
from carte_blanche.bus.planner.solver import plan_tour
from carte_blanche.referrals.workdays import is_working_day
from carte_blanche.territory.geo import Point
from carte_blanche.territory.models import Commune, OperatorKind, ServicePoint
from carte_blanche.territory.routing import commune_point, get_router


@dataclass(frozen=True)
class Forbidden:
    day: dt.date
    insee: str = ""  # empty: the whole territory (a public holiday, the bus at the garage)
    why: str = ""


def parse_forbidden(text: str) -> list[Forbidden]:
    """One per line: ``AAAA-MM-JJ motif`` (every commune) or ``CODE_INSEE AAAA-MM-JJ motif`` (one commune,
    e.g. its market day). Raises a ValidationError naming the line."""
    rows = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = line.split(maxsplit=2)
        insee = ""
        if len(parts[0]) == 5 and parts[0][:2].isdigit() and len(parts) >= 2:
            insee, parts = parts[0], parts[1:] if len(parts) == 2 else [parts[1], *parts[2:]]
        try:
            day = dt.date.fromisoformat(parts[0])
        except ValueError as exc:
            raise ValidationError(f"Ligne {number} : « {line} » ne commence pas par une date AAAA-MM-JJ.") from exc
        if insee and not Commune.objects.filter(insee_code=insee).exists():
            raise ValidationError(f"Ligne {number} : aucune commune du territoire n'a le code INSEE {insee}.")
        rows.append(Forbidden(day, insee, " ".join(parts[1:])))
    return rows


def permanent_points() -> list[Point]:
    """France services sites, plus Cahors (prefecture town, every operator has an office there)."""
    points = [Point(p.lat, p.lon) for p in ServicePoint.objects.filter(operator__kind=OperatorKind.FRANCE_SERVICES)
              .exclude(bus_stop__isnull=False)]  # fmt: skip
    cahors = Commune.objects.filter(insee_code="46042").first()
    if cahors is not None:
        points.append(commune_point(cahors))
    return points


def cycle_days(starts_on: dt.date, weeks: int, forbidden: list[Forbidden]) -> tuple[dt.date, ...]:
    everywhere = {f.day for f in forbidden if not f.insee}
    days = (starts_on + dt.timedelta(days=i) for i in range(weeks * 7))
    return tuple(d for d in days if is_working_day(d) and d not in everywhere)


def build_input(
    *, communes, starts_on: dt.date, weeks: int, half_days_per_week: int, forbidden: list[Forbidden],
    pinned: dict[str, int], conf: BusSettings | None = None,
) -> PlanningInput:  # fmt: skip
    conf = conf or bus_settings()
    router = get_router()
    depot = actions.depot()
    anchors = permanent_points()
    sites = []
    points = {DEPOT_ID: Point(depot.lat, depot.lon)}
    for commune in communes:
        here = commune_point(commune)
        remoteness = min((router.distance_km(here, p) for p in anchors), default=0.0)
        sites.append(Site(commune.insee_code, commune.name, commune.lat, commune.lon, commune.population, remoteness))
        points[commune.insee_code] = here
    km = {a: {b: router.distance_km(pa, pb) for b, pb in points.items()} for a, pa in points.items()}
    minutes = {a: {b: router.duration_min(pa, pb) for b, pb in points.items()} for a, pa in points.items()}
    by_site: dict[str, list[dt.date]] = {}
    for f in forbidden:
        if f.insee:
            by_site.setdefault(f.insee, []).append(f.day)
    half_minutes = int(
        (dt.datetime.combine(starts_on, conf.morning[1]) - dt.datetime.combine(starts_on, conf.morning[0])).seconds / 60
    )
    return PlanningInput(
        sites=tuple(sites),
        depot=Depot(depot.lat, depot.lon),
        days=cycle_days(starts_on, weeks, forbidden),
        budget=weeks * half_days_per_week,
        half_day_minutes=half_minutes,
        min_on_site_minutes=conf.min_on_site_min,
        max_stops_per_half_day=conf.max_stops_per_half_day,
        pinned=dict(pinned),
        forbidden={k: tuple(v) for k, v in by_site.items()},
        travel=MatrixTravel(km, minutes),
    )


def timetable(inp: PlanningInput, conf: BusSettings):
    """Times on site of each stop of a half-day: leave the depot at the start of the half-day,
    share the time left after driving equally between the stops (rounded down to 5 minutes)."""

    def times(half_day: HalfDayPlan):
        start, end = conf.morning if half_day.half == "am" else conf.afternoon
        tz = timezone.get_current_timezone()
        begins = dt.datetime.combine(half_day.day, start, tzinfo=tz)
        finishes = dt.datetime.combine(half_day.day, end, tzinfo=tz)
        legs = list(zip((DEPOT_ID, *half_day.stops), (*half_day.stops, DEPOT_ID), strict=True))
        driving = sum(inp.travel.minutes(a, b) for a, b in legs)
        on_site = max(((finishes - begins).total_seconds() / 60 - driving) / len(half_day.stops), 0)
        on_site = 5 * math.floor(on_site / 5)
        moment = begins
        rows = []
        for (a, b), site in zip(legs, half_day.stops, strict=False):
            arrive = moment + dt.timedelta(minutes=inp.travel.minutes(a, b))
            arrive = arrive + dt.timedelta(minutes=(-arrive.minute) % 5, seconds=-arrive.second)
            leave = arrive + dt.timedelta(minutes=on_site)
            rows.append((site, arrive, leave))
            moment = leave
        return rows

    return times


def compute_plan(
    *, by, scope_communes, starts_on: dt.date, weeks: int, half_days_per_week: int, forbidden_text: str = "",
    pinned: dict[str, int] | None = None, time_limit: float = 30.0,
) -> TourPlan:  # fmt: skip
    """Run the planner on the scope and keep its tour as a draft (with the metrics of docs/bus.md)."""
    conf = bus_settings()
    forbidden = parse_forbidden(forbidden_text)
    pinned = dict(pinned or {})
    communes = list(scope_communes)
    codes = {c.insee_code for c in communes}
    missing = sorted(set(pinned) - codes)
    if missing:
        raise ValidationError(f"Communes imposées hors du périmètre : {', '.join(missing)}.")
    inp = build_input(communes=communes, starts_on=starts_on, weeks=weeks, half_days_per_week=half_days_per_week,
                      forbidden=forbidden, pinned=pinned, conf=conf)  # fmt: skip
    if len(inp.days) * 2 < inp.budget:
        raise ValidationError("Pas assez de jours ouvrés dans le cycle pour ce nombre de demi-journées.")
    result = plan_tour(inp, time_limit=time_limit)
    if not result.half_days:
        raise ValidationError(
            "Aucune tournée possible avec ces contraintes (par exemple plus de passages imposés que de "
            "demi-journées, ou des dates exclues qui ne laissent aucun jour) : assouplissez-les."
        )
    by_code = {c.insee_code: c for c in communes}
    stops = {code: actions.stop_for(by_code[code]) for hd in result.half_days for code in hd.stops}
    plan = actions.save_plan(
        result, by=by, starts_on=starts_on, weeks=weeks, half_days_per_week=half_days_per_week,
        forbidden=[{"day": f.day.isoformat(), "insee": f.insee, "why": f.why} for f in forbidden],
        pinned=pinned, stops=stops, timetable=timetable(inp, conf),
    )  # fmt: skip
    metrics = evaluate(inp, result)
    plan.metrics = {
        "residents_covered": metrics.residents_covered_within_radius,
        "residents_total": metrics.residents_total,
        "share": metrics.share,
        "weighted_coverage": metrics.weighted_coverage,
        "km_per_cycle": metrics.km_per_cycle,
        "stops_per_cycle": metrics.stops_per_cycle,
        "distinct_communes": metrics.distinct_communes,
    }
    plan.save(update_fields=["metrics"])
    return plan
