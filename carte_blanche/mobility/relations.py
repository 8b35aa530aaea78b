"""Whom a volunteer driver works with: the passengers of the legs proposed to or accepted by them.

Registered with the access function (``consent.access.register_relationship``): a driver may
read the name and contact of those persons, for the mobility purpose, and of no one else.
"""

from __future__ import annotations

from django.utils import timezone

from carte_blanche.mobility.states import LegStatus, ProposalStatus


def persons_carried_by(user) -> set[int]:
    from carte_blanche.mobility.models import Proposal, RideLeg

    driver = getattr(user, "driver_profile", None)
    if driver is None:
        return set()
    since = timezone.localdate() - timezone.timedelta(days=1)
    confirmed = RideLeg.objects.filter(driver=driver, status=LegStatus.CONFIRMED, request__day__gte=since)
    pending = Proposal.objects.filter(driver=driver, status=ProposalStatus.PENDING)
    ids = set(confirmed.values_list("request__person_id", flat=True))
    ids |= set(pending.values_list("leg__request__person_id", flat=True))
    return ids
