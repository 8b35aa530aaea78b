"""What the mobility service tells drivers and passengers, through ``messaging.notify``.

Drivers get SMS (they are on the road) at the number of their profile; passengers get their own
channel. Messages to drivers name communes and times, never the passenger: the name and phone
are on the driver's page, behind the login and the access function.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from carte_blanche.messaging.notify import notify_person, notify_user

WHY = {
    "cancelled": "transport annulé",
    "moved": "rendez-vous déplacé à un autre jour",
    "reassigned": "trajets réorganisés",
    "suspended": "compte suspendu",
}


def _link(path: str) -> str:
    return settings.CB_PUBLIC_URL.rstrip("/") + path


def _hm(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Hh%M}" if moment else "?"


def _values(leg) -> dict:
    ride = leg.request
    outbound = leg.direction == "outbound"
    origin = ride.origin_commune.name if outbound else (ride.destination_name or ride.destination_commune.name)
    destination = (ride.destination_name or ride.destination_commune.name) if outbound else ride.origin_commune.name
    return {
        "day": f"{ride.day:%d/%m}",
        "pickup": _hm(leg.planned_pickup or leg.pickup_latest),
        "origin": origin,
        "destination": destination,
    }


def tell_driver_proposal(proposal, token: str) -> None:
    leg = proposal.leg
    values = _values(leg) | {"code": proposal.code, "link": _link(reverse("web:ride_answer", args=[token]))}
    notify_user(
        proposal.driver.user, "ride.driver.proposal", key=f"ride-proposal:{proposal.pk}", values=values,
        related=("ride", leg.request_id), sms_to=proposal.driver.phone,
    )  # fmt: skip


def tell_driver_withdrawn(proposal, *, why: str) -> None:
    leg = proposal.leg
    values = _values(leg) | {"code": proposal.code, "why": WHY.get(why, why)}
    notify_user(
        proposal.driver.user, "ride.driver.withdrawn", key=f"ride-withdrawn:{proposal.pk}", values=values,
        related=("ride", leg.request_id), sms_to=proposal.driver.phone,
    )  # fmt: skip


def tell_driver_moved(leg) -> None:
    proposal = leg.proposals.filter(status__in=["pending", "accepted"]).select_related("driver__user").first()
    if proposal is None:
        return
    stamp = f"{leg.pickup_earliest:%Y%m%d%H%M}-{leg.pickup_latest:%H%M}"
    values = _values(leg) | {"code": proposal.code, "link": _link(reverse("web:driver_rides"))}
    notify_user(
        proposal.driver.user, "ride.driver.changed", key=f"ride-changed:{proposal.pk}:{stamp}", values=values,
        related=("ride", leg.request_id), sms_to=proposal.driver.phone,
    )  # fmt: skip


def tell_driver_answer(proposal) -> None:
    answer = "Accepté" if proposal.status == "accepted" else "Refusé"
    notify_user(
        proposal.driver.user, "ride.driver.answer_ack", key=f"ride-ack:{proposal.pk}",
        values={"answer": answer, "code": proposal.code}, related=("ride", proposal.leg.request_id),
        sms_to=proposal.driver.phone,
    )  # fmt: skip


def tell_person_confirmed(leg) -> None:
    ride = leg.request
    driver = leg.driver
    values = _values(leg) | {"driver": driver.user.first_name or "un conducteur"}
    # A letter would come too late for a ride within three days: a call instead.
    letter_ok = (ride.day - timezone.localdate()).days >= 3
    notify_person(
        ride.person, "ride.person.confirmed", key=f"ride-confirmed:{leg.pk}:{driver.pk}:{values['pickup']}",
        values=values, related=("ride", ride.pk), letter_ok=letter_ok,
    )  # fmt: skip


def tell_driver_reminder(driver, day: dt.date, legs) -> None:
    first = min(legs, key=lambda leg: leg.planned_pickup or leg.pickup_latest)
    values = {
        "day": f"{day:%d/%m}",
        "count": len(legs),
        "first": f"{_hm(first.planned_pickup or first.pickup_latest)} ({_values(first)['origin']})",
        "link": _link(reverse("web:driver_rides")),
    }
    notify_user(
        driver.user, "ride.driver.reminder", key=f"ride-reminder:{driver.pk}:{day.isoformat()}", values=values,
        sms_to=driver.phone,
    )  # fmt: skip
