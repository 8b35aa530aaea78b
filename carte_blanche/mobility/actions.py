"""Every change of state of the mobility service: one function each, journaled, in a transaction.

The dispatcher's own changes (proposals created, withdrawn) are in ``dispatching.py``; the
driver's answer and the cancellations are here. Work that follows a change (running the
dispatcher again, telling a driver) is queued with ``transaction.on_commit``: a crash before
the commit loses nothing and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.consent.categories import Purpose
from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent
from carte_blanche.mobility import notices, places
from carte_blanche.mobility.conf import mobility_settings
from carte_blanche.mobility.models import (
    Direction,
    Driver,
    Eligibility,
    Proposal,
    RideLeg,
    RideRequest,
)
from carte_blanche.mobility.states import (
    DriverStatus,
    EligibilityStatus,
    LegStatus,
    ProposalStatus,
    can,
    target,
)

AGENT_ROLES = {"agent", "mobility_coordinator"}


def _require(user, roles, message) -> None:
    if getattr(user, "role", "") not in roles:
        raise PermissionDenied(message)


def schedule_dispatch(day: dt.date, trigger: str) -> None:
    """Run the dispatcher for that day once the current transaction commits (Celery task)."""
    from carte_blanche.mobility.tasks import dispatch_day_task

    transaction.on_commit(lambda: dispatch_day_task.delay(day.isoformat(), trigger))


# --- Drivers ---------------------------------------------------------------------------------


def register_driver(*, email: str, first_name: str, last_name: str, password: str, phone: str, home_commune,
                    seats: int, wheelchair_accessible: bool, max_distance_km: int,
                    max_rides_per_week: int) -> Driver:  # fmt: skip
    """A volunteer signs up: an account (role volunteer driver) and a profile waiting for validation."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(username__iexact=email).exists():
            raise ValidationError({"email": _("Un compte existe déjà avec cette adresse électronique.")})
        user = User(username=email, email=email, first_name=first_name, last_name=last_name,
                    role="volunteer_driver")  # fmt: skip
        user.set_password(password)
        user.save()
        driver = Driver(
            user=user, phone=phone, home_commune=home_commune, seats=seats,
            wheelchair_accessible=wheelchair_accessible, max_distance_km=max_distance_km,
            max_rides_per_week=max_rides_per_week, status=DriverStatus.PENDING,
        )  # fmt: skip
        driver.full_clean()
        driver.save()
    return driver


def validate_driver(driver: Driver, *, by, active: bool = True) -> Driver:
    """A mobility coordinator validates (or suspends) a volunteer driver."""
    _require(by, {"mobility_coordinator"}, _("Seul un coordinateur mobilité valide les conducteurs."))
    with transaction.atomic():
        driver = Driver.objects.select_for_update().get(pk=driver.pk)
        driver.status = DriverStatus.ACTIVE if active else DriverStatus.SUSPENDED
        driver.validated_by = by
        driver.validated_at = timezone.now()
        driver.save(update_fields=["status", "validated_by", "validated_at"])
        if not active:
            # A suspended driver keeps no ride: the dispatcher finds others.
            days = set()
            for leg in RideLeg.objects.open().filter(driver=driver).select_related("request"):
                days.add(leg.request.day)
            for proposal in Proposal.objects.filter(driver=driver, status=ProposalStatus.PENDING).select_related(
                "leg__request"
            ):
                days.add(proposal.leg.request.day)
            for day in days:
                if day >= timezone.localdate():
                    schedule_dispatch(day, "driver_suspended")
    return driver


# --- Beneficiaries ---------------------------------------------------------------------------


def decide_eligibility(person, *, by, status: str, reason: str, referred_by: str, no_vehicle: bool = True,
                       valid_until: dt.date | None = None, comment: str = "") -> Eligibility:  # fmt: skip
    """An agent or a mobility coordinator records whether the person may use the volunteer drivers."""
    _require(by, AGENT_ROLES, _("Seul un agent ou un coordinateur mobilité décide de l'éligibilité."))
    status = EligibilityStatus(status)
    if status is EligibilityStatus.VALID and not no_vehicle:
        raise ValidationError(
            {"no_vehicle": _("La mobilité solidaire est réservée aux personnes sans véhicule utilisable.")}
        )
    valid_until = valid_until or timezone.localdate() + dt.timedelta(days=365)
    if valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("La date de fin de validité est passée.")})
    with transaction.atomic():
        eligibility = Eligibility(
            person=person, status=status, reason=reason, referred_by=referred_by, no_vehicle=no_vehicle,
            valid_until=valid_until, comment=comment, decided_by=by,
        )  # fmt: skip
        eligibility.full_clean()
        eligibility.save()
        record(
            JournalEvent.MOBILITY_ELIGIBILITY,
            actor=by,
            person=person,
            operator=by.acting_operator,
            purpose=Purpose.MOBILITY,
            details={"eligibility_id": eligibility.pk, "status": status.value, "reason": reason},
        )
    return eligibility


def current_eligibility(person) -> Eligibility | None:
    return Eligibility.objects.filter(person=person).first()


def _check_eligible(person, day: dt.date) -> None:
    eligibility = current_eligibility(person)
    if eligibility is None or not eligibility.is_valid_on(day):
        raise ValidationError(
            _("L'éligibilité de la personne à la mobilité solidaire doit être validée (et valable à cette date).")
        )


# --- Requests --------------------------------------------------------------------------------


def request_ride(
    person,
    *,
    by,
    day: dt.date,
    purpose: str,
    origin_commune,
    destination_commune,
    arrive_after: dt.time,
    arrive_before: dt.time,
    return_after: dt.time | None = None,
    return_before: dt.time | None = None,
    origin_address: str = "",
    destination_name: str = "",
    destination_address: str = "",
    destination_point: tuple[float, float] | None = None,
    wheelchair: bool = False,
    companion: bool = False,
    boarding_help: bool = False,
    purpose_detail: str = "",
    notes: str = "",
    appointment=None,
) -> RideRequest:
    """Create a ride request (outbound, and the return when asked) and queue the dispatcher."""
    _require(by, AGENT_ROLES, _("Seul un agent ou un coordinateur mobilité demande un transport."))
    if day < timezone.localdate():
        raise ValidationError({"day": _("La date du transport est passée.")})
    if arrive_before <= arrive_after:
        raise ValidationError({"arrive_before": _("L'heure limite d'arrivée doit suivre l'heure au plus tôt.")})
    if (return_after is None) != (return_before is None):
        raise ValidationError({"return_before": _("Indiquez les deux heures du retour, ou aucune.")})
    if return_after is not None and return_before <= return_after:
        raise ValidationError(
            {"return_before": _("L'heure limite de départ du retour doit suivre l'heure au plus tôt.")}
        )
    if return_after is not None and return_after < arrive_after:
        raise ValidationError({"return_after": _("Le retour ne peut pas partir avant l'arrivée de l'aller.")})
    _check_eligible(person, day)
    conf = mobility_settings()
    with transaction.atomic():
        ride = RideRequest(
            person=person, structure=getattr(by, "structure", None), appointment=appointment, purpose=purpose,
            purpose_detail=purpose_detail, day=day, origin_address=origin_address, origin_commune=origin_commune,
            destination_name=destination_name, destination_address=destination_address,
            destination_commune=destination_commune,
            destination_lat=destination_point[0] if destination_point else None,
            destination_lon=destination_point[1] if destination_point else None,
            wheelchair=wheelchair, companion=companion, boarding_help=boarding_help, notes=notes, created_by=by,
        )  # fmt: skip
        ride.full_clean()
        ride.save()
        direct = places.direct_minutes(ride)

        def at(t: dt.time) -> dt.datetime:
            return timezone.make_aware(dt.datetime.combine(day, t))

        out = places.outbound_windows(at(arrive_after), at(arrive_before), direct, conf)
        _create_leg(ride, Direction.OUTBOUND, out)
        if return_after is not None:
            back = places.return_windows(at(return_after), at(return_before), direct, conf)
            _create_leg(ride, Direction.RETURN, back)
        record(
            JournalEvent.RIDE_REQUESTED,
            actor=by,
            person=person,
            operator=by.acting_operator,
            purpose=Purpose.MOBILITY,
            details={"ride_id": ride.pk, "day": day.isoformat(), "appointment_id": getattr(appointment, "pk", None)},
        )
        schedule_dispatch(day, "request")
    return ride


def _create_leg(ride: RideRequest, direction: str, windows: places.Windows) -> RideLeg:
    return RideLeg.objects.create(
        request=ride,
        direction=direction,
        pickup_earliest=windows.pickup[0],
        pickup_latest=windows.pickup[1],
        dropoff_earliest=windows.dropoff[0],
        dropoff_latest=windows.dropoff[1],
    )


def appointment_place(appointment):
    """The service point of an in-person appointment (None for phone and visio)."""
    permanence = appointment.slot.permanence
    if permanence.mode != "in_person" or permanence.service_point is None:
        return None
    return permanence.service_point


def request_ride_for_appointment(
    appointment, *, by, origin_commune=None, origin_address: str = "", with_return: bool = True,
    wheelchair: bool = False, companion: bool = False, boarding_help: bool = False, notes: str = "",
) -> RideRequest:  # fmt: skip
    """A ride born from an appointment: arrive before the start (travel time plus a margin),
    come back after the end. It follows the appointment when it moves or is cancelled."""
    point = appointment_place(appointment)
    if point is None:
        raise ValidationError(_("Ce rendez-vous n'a pas lieu en personne : pas de transport à prévoir."))
    if appointment.status != "booked":
        raise ValidationError(_("Ce rendez-vous est annulé."))
    if RideRequest.objects.filter(appointment=appointment, cancelled_at__isnull=True).exists():
        raise ValidationError(_("Un transport est déjà prévu pour ce rendez-vous."))
    person = appointment.person
    starts = timezone.localtime(appointment.slot.starts_at)
    ends = timezone.localtime(appointment.slot.ends_at)
    origin_commune = origin_commune or person.commune
    if origin_commune is None:
        raise ValidationError({"origin_commune": _("Indiquez la commune de départ.")})
    conf = mobility_settings()
    probe = RideRequest(
        origin_commune=origin_commune,
        destination_commune=point.commune,
        destination_lat=point.lat,
        destination_lon=point.lon,
    )
    out, back = places.appointment_windows(starts, ends, places.direct_minutes(probe), conf)
    ride = request_ride(
        person,
        by=by,
        day=starts.date(),
        purpose=_purpose_of(appointment),
        purpose_detail=f"Rendez-vous {appointment.slot.permanence.operator.short_name} à {starts:%H:%M}",
        origin_commune=origin_commune,
        origin_address=origin_address or (person.address if origin_commune == person.commune else ""),
        destination_commune=point.commune,
        destination_name=point.name,
        destination_address=getattr(point, "address", ""),
        destination_point=(point.lat, point.lon),
        arrive_after=out.dropoff[0].time(),
        arrive_before=out.dropoff[1].time(),
        return_after=back.pickup[0].time() if with_return else None,
        return_before=back.pickup[1].time() if with_return else None,
        wheelchair=wheelchair,
        companion=companion,
        boarding_help=boarding_help,
        notes=notes,
        appointment=appointment,
    )
    return ride


def _purpose_of(appointment) -> str:
    operator = appointment.slot.permanence.operator
    kind = getattr(operator, "kind", "")
    return "health" if "cpam" in (operator.short_name or "").lower() or kind == "health" else "public_service"


def cancel_ride(ride: RideRequest, *, by, reason: str = "") -> RideRequest:
    """Cancel a ride request: its legs are cancelled and the drivers concerned are told."""
    _require(by, AGENT_ROLES, _("Seul un agent ou un coordinateur mobilité annule un transport."))
    with transaction.atomic():
        ride = RideRequest.objects.select_for_update().get(pk=ride.pk)
        if ride.cancelled_at is not None:
            raise ValidationError(_("Ce transport est déjà annulé."))
        _cancel_ride(ride, by=by, reason=reason)
    return ride


def _cancel_ride(ride: RideRequest, *, by, reason: str) -> None:
    ride.cancelled_at = timezone.now()
    ride.save(update_fields=["cancelled_at"])
    for leg in ride.legs.select_for_update():
        if leg.status in (LegStatus.DONE, LegStatus.CANCELLED):
            continue
        _take_back(leg, why="cancelled")
        leg.status = LegStatus.CANCELLED
        leg.driver = None
        leg.save(update_fields=["status", "driver", "updated_at"])
    record(
        JournalEvent.RIDE_CANCELLED,
        actor=by,
        person=ride.person,
        operator=getattr(by, "acting_operator", None),
        purpose=Purpose.MOBILITY,
        details={"ride_id": ride.pk, "reason": reason},
    )
    if ride.day >= timezone.localdate():
        schedule_dispatch(ride.day, "cancellation")


def _take_back(leg: RideLeg, *, why: str) -> None:
    """Withdraw the pending proposal of the leg and release its driver, telling them."""
    for proposal in leg.proposals.filter(status__in=[ProposalStatus.PENDING, ProposalStatus.ACCEPTED]):
        transition = "withdraw" if proposal.status == ProposalStatus.PENDING else "release"
        proposal.status = target(transition)
        proposal.answered_at = proposal.answered_at or timezone.now()
        proposal.save(update_fields=["status", "answered_at"])
        notices.tell_driver_withdrawn(proposal, why=why)


def follow_appointment_change(old, new, by) -> None:
    """The appointment moved (``new``) or was cancelled (``new is None``): its rides follow."""
    conf = mobility_settings()
    for ride in RideRequest.objects.select_for_update().filter(appointment=old, cancelled_at__isnull=True):
        if new is None or appointment_place(new) is None:
            _cancel_ride(ride, by=by, reason="appointment_cancelled" if new is None else "appointment_not_in_person")
            continue
        point = appointment_place(new)
        starts = timezone.localtime(new.slot.starts_at)
        ends = timezone.localtime(new.slot.ends_at)
        old_day = ride.day
        ride.appointment = new
        ride.day = starts.date()
        ride.destination_commune = point.commune
        ride.destination_name = point.name
        ride.destination_lat, ride.destination_lon = point.lat, point.lon
        ride.purpose_detail = f"Rendez-vous {new.slot.permanence.operator.short_name} à {starts:%H:%M}"
        ride.save()
        out, back = places.appointment_windows(starts, ends, places.direct_minutes(ride), conf)
        for leg in ride.legs.select_for_update().exclude(status__in=[LegStatus.DONE, LegStatus.CANCELLED]):
            windows = out if leg.direction == Direction.OUTBOUND else back
            leg.pickup_earliest, leg.pickup_latest = windows.pickup
            leg.dropoff_earliest, leg.dropoff_latest = windows.dropoff
            if old_day != ride.day:
                # Another day: another driver's availability; the dispatcher starts afresh.
                _take_back(leg, why="moved")
                leg.status = LegStatus.REQUESTED
                leg.driver = None
                leg.planned_pickup = leg.planned_dropoff = None
            leg.save()
            if leg.status in (LegStatus.CONFIRMED, LegStatus.PROPOSED):
                notices.tell_driver_moved(leg)
        record(
            JournalEvent.RIDE_CHANGED,
            actor=by,
            person=ride.person,
            operator=getattr(by, "acting_operator", None),
            purpose=Purpose.MOBILITY,
            details={"ride_id": ride.pk, "appointment_id": new.pk, "day": ride.day.isoformat()},
        )
        schedule_dispatch(ride.day, "appointment_moved")
        if old_day != ride.day and old_day >= timezone.localdate():
            schedule_dispatch(old_day, "appointment_moved")


# --- Proposals -------------------------------------------------------------------------------


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)
    return token, hashlib.sha256(token.encode()).hexdigest()


def proposal_for_token(token: str) -> Proposal | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return Proposal.objects.select_related("leg__request", "driver__user").filter(token_hash=digest).first()


def answer_proposal(proposal: Proposal, *, accept: bool, via: str, by=None) -> Proposal:
    """The driver accepts or declines (link, SMS, their page), or the coordinator on the phone.

    A declined proposal sends the leg back to the dispatcher, which excludes this driver.
    """
    if by is not None and getattr(by, "role", "") not in {"mobility_coordinator", "volunteer_driver"}:
        raise PermissionDenied(_("Seul le conducteur ou un coordinateur mobilité répond à une proposition."))
    if by is not None and by.role == "volunteer_driver" and getattr(by, "driver_profile", None) != proposal.driver:
        raise PermissionDenied(_("Cette proposition est adressée à un autre conducteur."))
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("leg__request", "driver").get(pk=proposal.pk)
        name = "accept" if accept else "decline"
        if not can(name, proposal.status):
            raise ValidationError(
                _("Cette proposition n'attend plus de réponse (%(state)s).") % {"state": proposal.status_label.lower()}
            )
        expired = proposal.expires_at <= timezone.now()
        if expired:
            _expire(proposal)  # committed: the leg goes to the next driver, the answer is refused below
        else:
            _answer(proposal, accept=accept, name=name, via=via, by=by)
    if expired:
        raise ValidationError(_("Le délai de réponse est passé : le trajet a été proposé à un autre conducteur."))
    return proposal


def _answer(proposal: Proposal, *, accept: bool, name: str, via: str, by) -> None:
    leg = RideLeg.objects.select_for_update().get(pk=proposal.leg_id)
    proposal.status = target(name)
    proposal.answered_at = timezone.now()
    proposal.answered_via = via
    proposal.answered_by = by
    proposal.save(update_fields=["status", "answered_at", "answered_via", "answered_by"])
    if accept:
        leg.status = LegStatus.CONFIRMED
        leg.driver = proposal.driver
    else:
        leg.status = LegStatus.REQUESTED
        leg.driver = None
    leg.save(update_fields=["status", "driver", "updated_at"])
    record(
        JournalEvent.RIDE_ANSWERED,
        actor=by or proposal.driver.user,
        person=leg.request.person,
        purpose=Purpose.MOBILITY,
        details={"proposal_id": proposal.pk, "leg_id": leg.pk, "answer": name, "via": via},
    )
    if accept:
        notices.tell_person_confirmed(leg)
    else:
        schedule_dispatch(leg.request.day, "decline")


def _expire(proposal: Proposal) -> None:
    proposal.status = target("expire")
    proposal.answered_at = timezone.now()
    proposal.answered_via = "system"
    proposal.save(update_fields=["status", "answered_at", "answered_via"])
    RideLeg.objects.filter(pk=proposal.leg_id, status=LegStatus.PROPOSED).update(
        status=LegStatus.REQUESTED, driver=None, updated_at=timezone.now()
    )
    schedule_dispatch(proposal.leg.request.day, "expired")


def expire_proposals(now: dt.datetime | None = None) -> int:
    """Unanswered proposals past their deadline go to the next driver (periodic task)."""
    now = now or timezone.now()
    count = 0
    for pk in Proposal.objects.filter(status=ProposalStatus.PENDING, expires_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            proposal = Proposal.objects.select_for_update().select_related("leg__request").get(pk=pk)
            if proposal.status == ProposalStatus.PENDING:
                _expire(proposal)
                count += 1
    return count


def close_past_days(today: dt.date | None = None) -> int:
    """Confirmed legs of past days are done (they count in the drivers' mileage)."""
    today = today or timezone.localdate()
    return RideLeg.objects.filter(status=LegStatus.CONFIRMED, request__day__lt=today).update(
        status=LegStatus.DONE, updated_at=timezone.now()
    )


def proposal_deadline(pickup: dt.datetime, now: dt.datetime | None = None) -> dt.datetime:
    conf = mobility_settings()
    now = now or timezone.now()
    deadline = min(now + dt.timedelta(hours=conf.answer_hours), pickup - dt.timedelta(minutes=conf.answer_before_min))
    return max(deadline, now + dt.timedelta(minutes=15))
