"""The mobility service end to end in the domain: a ride born from Roseline's CPAM appointment
is dispatched to a volunteer driver, accepted, follows the appointment when it moves, and is
cancelled with it; a declined proposal goes to the next driver; unservable legs say why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carte_blanche.appointments.actions import book, cancel, move
from carte_blanche.appointments.models import Slot
from carte_blanche.consent.actions import grant_consent
from carte_blanche.messaging import sms
from carte_blanche.mobility import actions
from carte_blanche.mobility.dispatching import availability_windows, dispatch_day
from carte_blanche.mobility.models import DatedAvailability, Driver, Proposal, RideLeg
from carte_blanche.mobility.states import LegStatus, ProposalStatus
from carte_blanche.territory.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def cpam_slots(roseline, agent, cpam_referent):
    """Roseline consents to the CPAM; the demo's CPAM permanences in Cahors next week."""
    grant_consent(
        roseline, operator=cpam_referent.operator, categories=["identity", "contact"], purposes=["referral"],
        valid_until=timezone.localdate() + dt.timedelta(days=90), method="in_person", by=agent,
    )  # fmt: skip
    slots = list(Slot.objects.filter(permanence__operator=cpam_referent.operator).order_by("starts_at"))
    assert len(slots) >= 7
    return slots


def _legs(ride):
    return {leg.direction: leg for leg in RideLeg.objects.filter(request=ride).select_related("driver__user")}


def test_a_ride_born_from_an_appointment_is_dispatched_accepted_and_follows_the_appointment(
    roseline, agent, cpam_slots, settings
):
    sms.outbox.clear()
    appointment = book(cpam_slots[2], roseline, by=agent)  # 10:00
    ride = actions.request_ride_for_appointment(appointment, by=agent)

    legs = _legs(ride)
    outbound, back = legs["outbound"], legs["return"]
    starts = timezone.localtime(appointment.slot.starts_at)
    # Arrive before the start minus the margin; leave after the end.
    assert outbound.dropoff_latest == starts - dt.timedelta(minutes=10)
    assert back.pickup_earliest == timezone.localtime(appointment.slot.ends_at)
    # The dispatcher ran on commit (eager tasks): both legs are proposed to a driver near Soulomès.
    assert outbound.status == LegStatus.PROPOSED and back.status == LegStatus.PROPOSED
    assert outbound.planned_dropoff <= outbound.dropoff_latest
    assert outbound.planned_pickup >= outbound.pickup_earliest
    proposal = Proposal.objects.get(leg=outbound, status=ProposalStatus.PENDING)
    driver = proposal.driver
    assert sms.outbox and any(f"OUI {proposal.code}" in m.text and m.to == driver.phone for m in sms.outbox)
    assert "Roseline" not in " ".join(m.text for m in sms.outbox)  # no passenger name by SMS

    actions.answer_proposal(proposal, accept=True, via="page", by=driver.user)
    outbound.refresh_from_db()
    assert outbound.status == LegStatus.CONFIRMED and outbound.driver == driver

    # The appointment moves to the next day, same hour: the ride follows, the driver is told.
    later = next(s for s in cpam_slots if s.starts_at.date() > appointment.slot.starts_at.date())
    sms.outbox.clear()
    new_appointment = move(appointment, later, by=agent)
    ride.refresh_from_db()
    assert ride.appointment == new_appointment
    assert ride.day == timezone.localtime(later.starts_at).date()
    outbound = _legs(ride)["outbound"]
    assert outbound.dropoff_latest == timezone.localtime(later.starts_at) - dt.timedelta(minutes=10)
    assert outbound.status in (LegStatus.PROPOSED, LegStatus.UNSERVABLE)  # another day: planned afresh
    assert any(m.to == driver.phone and "plus confié" in m.text for m in sms.outbox)

    # Cancelled with its appointment.
    cancel(new_appointment, by=agent)
    ride.refresh_from_db()
    assert ride.cancelled_at is not None
    assert all(leg.status == LegStatus.CANCELLED for leg in _legs(ride).values())
    assert not Proposal.objects.filter(leg__request=ride, status=ProposalStatus.PENDING).exists()


def test_a_move_within_the_day_keeps_the_confirmed_driver(roseline, agent, cpam_slots):
    appointment = book(cpam_slots[2], roseline, by=agent)
    ride = actions.request_ride_for_appointment(appointment, by=agent, with_return=False)
    proposal = Proposal.objects.get(leg__request=ride, status=ProposalStatus.PENDING)
    actions.answer_proposal(proposal, accept=True, via="sms")
    sms.outbox.clear()
    move(appointment, cpam_slots[3], by=agent)  # half an hour later, same day
    leg = _legs(ride)["outbound"]
    assert leg.status == LegStatus.CONFIRMED and leg.driver == proposal.driver
    assert leg.planned_dropoff <= timezone.localtime(cpam_slots[3].starts_at) - dt.timedelta(minutes=10)
    assert any(m.to == proposal.driver.phone and "change" in m.text for m in sms.outbox)


def test_a_declined_proposal_goes_to_the_next_driver_and_then_says_why_nobody_is_left(roseline, agent, cpam_slots):
    appointment = book(cpam_slots[0], roseline, by=agent)
    ride = actions.request_ride_for_appointment(appointment, by=agent, with_return=False)
    seen = []
    for _ in range(5):
        leg = _legs(ride)["outbound"]
        if leg.status != LegStatus.PROPOSED:
            break
        proposal = Proposal.objects.get(leg=leg, status=ProposalStatus.PENDING)
        assert proposal.driver_id not in seen
        seen.append(proposal.driver_id)
        actions.answer_proposal(proposal, accept=False, via="link")
    leg = _legs(ride)["outbound"]
    assert len(seen) >= 2  # at least two demo drivers cover Soulomès → Cahors
    assert leg.status == LegStatus.UNSERVABLE
    assert leg.unservable_reason == "no_vehicle"


def test_an_expired_proposal_goes_to_the_next_driver(roseline, agent, cpam_slots):
    appointment = book(cpam_slots[1], roseline, by=agent)
    ride = actions.request_ride_for_appointment(appointment, by=agent, with_return=False)
    first = Proposal.objects.get(leg__request=ride, status=ProposalStatus.PENDING)
    assert actions.expire_proposals(now=first.expires_at + dt.timedelta(seconds=1)) >= 1
    first.refresh_from_db()
    assert first.status == ProposalStatus.EXPIRED
    second = Proposal.objects.get(leg__request=ride, status=ProposalStatus.PENDING)
    assert second.driver_id != first.driver_id
    with pytest.raises(ValidationError):
        actions.answer_proposal(first, accept=True, via="link")


def test_a_wheelchair_ride_only_goes_to_an_accessible_car(roseline, agent, cpam_slots):
    appointment = book(cpam_slots[4], roseline, by=agent)
    ride = actions.request_ride_for_appointment(appointment, by=agent, wheelchair=True, with_return=False)
    leg = _legs(ride)["outbound"]
    if leg.status == LegStatus.PROPOSED:
        assert leg.driver.wheelchair_accessible
    else:
        assert leg.unservable_reason in ("no_vehicle", "window_too_tight")


def test_no_driver_on_sunday_is_flagged_with_its_reason(sebastien, agent):
    sunday = timezone.localdate() + dt.timedelta(days=6 - timezone.localdate().weekday() + 7)
    cahors = Commune.objects.get(insee_code="46042")
    ride = actions.request_ride(
        sebastien, by=agent, day=sunday, purpose="shopping", origin_commune=sebastien.commune,
        destination_commune=cahors, arrive_after=dt.time(10), arrive_before=dt.time(10, 30),
    )  # fmt: skip
    leg = _legs(ride)["outbound"]
    assert leg.status == LegStatus.UNSERVABLE and leg.unservable_reason == "no_vehicle"


def test_a_request_needs_a_valid_eligibility(agent, demo):
    from carte_blanche.people.models import Person

    sarah = Person.objects.get(first_names="Sarah")
    with pytest.raises(ValidationError, match="éligibilité"):
        actions.request_ride(
            sarah, by=agent, day=timezone.localdate() + dt.timedelta(days=3), purpose="health",
            origin_commune=sarah.commune, destination_commune=sarah.commune,
            arrive_after=dt.time(9), arrive_before=dt.time(9, 30),
        )  # fmt: skip


def test_eligibility_requires_no_vehicle(agent, sebastien):
    with pytest.raises(ValidationError):
        actions.decide_eligibility(
            sebastien, by=agent, status="valid", reason="no_licence", referred_by="CCAS", no_vehicle=False
        )


def test_availability_merges_half_days_and_removes_absences(demo):
    from carte_blanche.mobility.conf import mobility_settings

    driver = Driver.objects.get(user__username="conducteur")
    conf = mobility_settings()
    tuesday = timezone.localdate() + dt.timedelta(days=(1 - timezone.localdate().weekday()) % 7 or 7)
    assert availability_windows(driver, tuesday, conf) == [(450, 1140)]  # 07:30–19:00, morning + afternoon
    DatedAvailability.objects.create(driver=driver, day=tuesday, starts=dt.time(11), ends=dt.time(14),
                                     available=False)  # fmt: skip
    driver = Driver.objects.prefetch_related("weekly", "dated").get(pk=driver.pk)
    assert availability_windows(driver, tuesday, conf) == [(450, 660), (840, 1140)]
    wednesday = tuesday + dt.timedelta(days=1)
    assert availability_windows(driver, wednesday, conf) == [(450, 780)]


def test_the_weekly_cap_is_respected(roseline, agent, cpam_slots):
    for driver in Driver.objects.all():
        driver.max_rides_per_week = 1
        driver.save()
    appointment = book(cpam_slots[2], roseline, by=agent)
    ride = actions.request_ride_for_appointment(appointment, by=agent)
    drivers = [leg.driver_id for leg in _legs(ride).values() if leg.driver_id]
    assert len(drivers) == len(set(drivers))  # one ride each at most


def test_a_dispatch_run_is_recorded(roseline, agent, cpam_slots):
    appointment = book(cpam_slots[2], roseline, by=agent)
    actions.request_ride_for_appointment(appointment, by=agent)
    run = dispatch_day(timezone.localtime(appointment.slot.starts_at).date(), trigger="manual")
    assert run.legs == 2 and run.served + run.unserved == 2 and run.vehicles >= 1


def test_a_driver_reads_only_the_passengers_of_their_rides(roseline, sebastien, agent, cpam_slots):
    from carte_blanche.consent.access import AccessDenied, access_person

    appointment = book(cpam_slots[2], roseline, by=agent)
    ride = actions.request_ride_for_appointment(appointment, by=agent, with_return=False)
    proposal = Proposal.objects.get(leg__request=ride, status=ProposalStatus.PENDING)
    user = proposal.driver.user
    record = access_person(user, roseline.pk, "mobility", ["identity", "contact", "health_autonomy"])
    assert record.identity["first_names"] == "Roseline" and record.health_autonomy is None
    with pytest.raises(AccessDenied):
        access_person(user, sebastien.pk, "mobility", ["identity"])
    with pytest.raises(AccessDenied):
        access_person(user, roseline.pk, "accompaniment", ["identity"])


def test_an_answer_after_the_deadline_is_refused_and_the_leg_goes_on(roseline, agent, cpam_slots):
    appointment = book(cpam_slots[1], roseline, by=agent)
    ride = actions.request_ride_for_appointment(appointment, by=agent, with_return=False)
    late = Proposal.objects.get(leg__request=ride, status=ProposalStatus.PENDING)
    Proposal.objects.filter(pk=late.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="délai de réponse est passé"):
        actions.answer_proposal(late, accept=True, via="sms")
    late.refresh_from_db()
    assert late.status == ProposalStatus.EXPIRED  # kept, although the answer was refused
    nxt = Proposal.objects.get(leg__request=ride, status=ProposalStatus.PENDING)
    assert nxt.driver_id != late.driver_id


def test_a_volunteer_signs_up_and_waits_for_validation(demo, mobility_coordinator):
    driver = actions.register_driver(
        email="paul@example.org", first_name="Paul", last_name="Roux", password="un-mot-de-passe-solide",
        phone="+33612345678", home_commune=Commune.objects.get(insee_code="46064"), seats=2,
        wheelchair_accessible=False, max_distance_km=25, max_rides_per_week=3,
    )  # fmt: skip
    assert driver.status == "pending" and driver.user.role == "volunteer_driver"
    with pytest.raises(ValidationError):
        actions.register_driver(
            email="PAUL@example.org", first_name="P", last_name="R", password="x" * 12, phone="+33612345679",
            home_commune=driver.home_commune, seats=2, wheelchair_accessible=False, max_distance_km=25,
            max_rides_per_week=3,
        )  # fmt: skip
    actions.validate_driver(driver, by=mobility_coordinator)
    driver.refresh_from_db()
    assert driver.status == "active" and driver.validated_by == mobility_coordinator
