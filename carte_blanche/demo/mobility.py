"""Demo data of the solidarity-mobility service: three volunteer drivers, the beneficiaries'
eligibility, the territory's other mobility offers, and a CPAM permanence in Cahors.

The offers are illustrative (marked "démonstration"): a territory enters its own, with their
real conditions, from the admin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from carte_blanche.appointments.actions import publish_permanence
from carte_blanche.appointments.models import Mode, Permanence
from carte_blanche.mobility.models import (
    Driver,
    EligibilityReason,
    HalfDay,
    MobilityOffer,
    OfferKind,
    WeeklyAvailability,
)
from carte_blanche.mobility.states import DriverStatus, EligibilityStatus
from carte_blanche.people.models import Person
from carte_blanche.territory.models import Commune, ServicePoint


@dataclass(frozen=True)
class DemoDriver:
    username: str
    phone: str  # numbers of the range reserved for fiction
    home: str  # INSEE code
    seats: int
    wheelchair: bool
    radius_km: int
    per_week: int
    weekly: tuple[tuple[int, str], ...]


_WEEKDAYS_AM = tuple((d, HalfDay.MORNING.value) for d in range(5))
_WEEKDAYS_PM = tuple((d, HalfDay.AFTERNOON.value) for d in range(5))

DRIVERS = (
    # Bernard, retired, lives on the causse: mornings on weekdays, Tuesday and Thursday afternoons.
    DemoDriver("conducteur", "+33639980101", "46138", 3, False, 40, 5, _WEEKDAYS_AM + ((1, "pm"), (3, "pm"))),
    DemoDriver("conductrice-lalbenque", "+33639980102", "46148", 3, False, 35, 4, _WEEKDAYS_AM),
    DemoDriver("conducteur-cahors", "+33639980103", "46042", 4, True, 30, 6, _WEEKDAYS_AM + _WEEKDAYS_PM),
)

OFFERS = (
    {
        "name": "Transport à la demande du Grand Cahors",
        "kind": OfferKind.ON_DEMAND,
        "provider": "Grand Cahors (démonstration)",
        "description": "Un minibus vient vous chercher à un point d'arrêt de votre commune et vous dépose à Cahors.",
        "conditions": "Ouvert à tous les habitants des communes desservies ; réservation la veille avant 17 h.",
        "price": "Prix d'un ticket de bus",
        "opening_hours": "Mo-Sa 07:00-19:00",
        "epci": "200023737",
    },
    {
        "name": "Ligne régionale Cahors – Labastide-Murat",
        "kind": OfferKind.BUS_LINE,
        "provider": "Région Occitanie (démonstration)",
        "description": "Car régional, deux allers-retours par jour en semaine.",
        "conditions": "Sans condition.",
        "price": "2 € le trajet",
        "communes": ("46042", "46138", "46310"),
    },
    {
        "name": "Garage solidaire",
        "kind": OfferKind.SOLIDARITY_GARAGE,
        "provider": "Association d'insertion (démonstration)",
        "description": "Réparations à prix réduit et vente de véhicules d'occasion révisés.",
        "conditions": "Sur orientation d'un travailleur social, pour les personnes aux revenus modestes.",
        "price": "Main-d'œuvre à tarif solidaire",
    },
    {
        "name": "Location solidaire de voitures et de scooters",
        "kind": OfferKind.VEHICLE_LOAN,
        "provider": "Plateforme mobilité (démonstration)",
        "description": "Un véhicule pour quelques semaines, le temps de commencer un emploi ou une formation.",
        "conditions": "Sur orientation de France Travail ou de la Mission locale, avec un permis valide.",
        "price": "À partir de 2 € par jour",
    },
    {
        "name": "Aide au permis de conduire",
        "kind": OfferKind.DRIVING_SCHOOL,
        "provider": "Auto-école sociale (démonstration)",
        "description": "Apprentissage du code et de la conduite à rythme adapté.",
        "conditions": "Demandeurs d'emploi et jeunes suivis par la Mission locale.",
        "price": "Selon ressources",
    },
)

# Beneficiaries: (persona's first names, reason, referred by).
ELIGIBLE = (
    ("Roseline", EligibilityReason.HEALTH, "France services de Catus"),
    ("Sébastien", EligibilityReason.NO_VEHICLE, "France services de Catus"),
)


def ensure_mobility(users: dict, today: dt.date, say) -> None:
    coordinator = users.get("coord-mobilite")
    for spec in DRIVERS:
        user = users.get(spec.username)
        if user is None or Driver.objects.filter(user=user).exists():
            continue
        driver = Driver.objects.create(
            user=user, phone=spec.phone, home_commune=Commune.objects.get(insee_code=spec.home), seats=spec.seats,
            wheelchair_accessible=spec.wheelchair, max_distance_km=spec.radius_km, max_rides_per_week=spec.per_week,
            status=DriverStatus.ACTIVE, validated_by=coordinator, validated_at=timezone.now(),
        )  # fmt: skip
        WeeklyAvailability.objects.bulk_create(
            WeeklyAvailability(driver=driver, weekday=d, half_day=h) for d, h in spec.weekly
        )
        say(f"Conducteur bénévole : {driver} ({driver.home_commune.name})")
    for spec in OFFERS:
        spec = dict(spec)
        epci, communes = spec.pop("epci", None), spec.pop("communes", ())
        offer, created = MobilityOffer.objects.get_or_create(name=spec["name"], defaults=spec)
        if created:
            if epci:
                offer.communes.set(Commune.objects.filter(epci__siren=epci))
            elif communes:
                offer.communes.set(Commune.objects.filter(insee_code__in=communes))
    if coordinator is not None:
        from carte_blanche.mobility.actions import decide_eligibility

        for first_names, reason, referred_by in ELIGIBLE:
            person = Person.objects.filter(first_names=first_names).first()
            if person is None or person.mobility_eligibilities.exists():
                continue
            decide_eligibility(
                person, by=coordinator, status=EligibilityStatus.VALID, reason=reason, referred_by=referred_by,
                valid_until=today + dt.timedelta(days=365),
            )  # fmt: skip
            say(f"Mobilité solidaire : {person} éligible")
    _ensure_cpam_permanence(users.get("referent-cpam"), today, say)


def _ensure_cpam_permanence(referent, today: dt.date, say) -> None:
    """CPAM appointments in Cahors on Thursday and Friday next week: where Roseline's ride goes."""
    if referent is None or Permanence.objects.filter(operator=referent.operator).exists():
        return
    place = ServicePoint.objects.filter(operator=referent.operator, commune__insee_code="46042").first()
    if place is None:
        return
    thursday = today + dt.timedelta(days=7 - today.weekday() + 3)
    for day in (thursday, thursday + dt.timedelta(days=1)):
        publish_permanence(
            by=referent, operator=referent.operator, mode=Mode.IN_PERSON, service_point=place,
            title="Accueil sur rendez-vous : droits santé, invalidité", day=day, start=dt.time(9), end=dt.time(12),
            slot_minutes=30, capacity=1,
        )  # fmt: skip
    say(f"Permanences publiées : CPAM du Lot à Cahors, le {thursday:%d/%m} et le lendemain")
