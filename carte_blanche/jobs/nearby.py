"""Open offers near a commune, by the territory's distance router (ADR 0003)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from carte_blanche.jobs.models import ContractKind, JobOffer
from carte_blanche.territory.routing import commune_distance_km

DEFAULT_RADIUS_KM = 20
RADIUS_CHOICES_KM = (5, 10, 20, 30, 50)


@dataclass(frozen=True)
class NearbyOffer:
    offer: JobOffer
    distance_km: float

    @property
    def rounded_km(self) -> int:
        return round(self.distance_km)


def offers_near(
    origin,
    *,
    today: dt.date,
    radius_km: float = DEFAULT_RADIUS_KM,
    contract_kind: ContractKind | str | None = None,
    part_time: bool | None = None,
    without_licence: bool = False,
) -> list[NearbyOffer]:
    """Published, open offers within ``radius_km`` of the commune ``origin``, nearest first.

    The distance is the router's road estimate between the communes' centroids; one call per
    distinct workplace commune.
    """
    offers = JobOffer.objects.open_on(today).select_related("employer", "commune")
    if contract_kind:
        offers = offers.filter(contract_kind=contract_kind)
    if part_time is not None:
        offers = offers.filter(part_time=part_time)
    if without_licence:
        offers = offers.filter(licence_required=False, vehicle_required=False)
    distances: dict[int, float] = {}
    found = []
    for offer in offers:
        if offer.commune_id not in distances:
            distances[offer.commune_id] = commune_distance_km(origin, offer.commune)
        distance = distances[offer.commune_id]
        if distance <= radius_km:
            found.append(NearbyOffer(offer, distance))
    found.sort(key=lambda n: (n.distance_km, n.offer.closes_on or dt.date.max, n.offer.pk))
    return found
