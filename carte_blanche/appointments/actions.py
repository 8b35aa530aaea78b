"""Appointments: publish a permanence, book, cancel, move — one atomic function each.

Booking, cancelling and moving concern a person and are journaled; publishing a permanence
concerns nobody and is not (like the catalogue, it is reference data of the partner).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.appointments import hooks
from carte_blanche.appointments.models import Appointment, Mode, Permanence, Slot, Status
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.consent.models import Consent
from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent

# An appointment tells the operator who comes: consented identity for a referral, a case or an accompaniment
# (the bus France services' own slots).
BOOKING_PURPOSES = (Purpose.REFERRAL, Purpose.CASE_MANAGEMENT, Purpose.ACCOMPANIMENT)
MIN_SLOT_MINUTES = 5
MAX_SLOT_MINUTES = 240
MAX_SLOTS = 48
MAX_CAPACITY = 50


def _is_agent(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == "agent" and user.structure_id)


def _is_referent_of(user, operator_id: int) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.role == "partner_referent" and user.operator_id == operator_id
    )


def publish_permanence(
    *,
    by,
    operator,
    mode: str,
    service_point,
    title: str,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    slot_minutes: int,
    capacity: int,
) -> Permanence:
    """A partner referent publishes a permanence of its own operator, cut into equal slots."""
    if not _is_referent_of(by, operator.pk):
        raise PermissionDenied(_("Seul un référent de l'organisme publie ses permanences."))
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Donnez un intitulé à la permanence.")
    if mode not in Mode.values:
        errors["mode"] = _("Modalité inconnue.")
    elif mode == Mode.IN_PERSON and service_point is None:
        errors["service_point"] = _("Une permanence en personne a lieu dans un point de service : choisissez-le.")
    if not (1 <= capacity <= MAX_CAPACITY):
        errors["capacity"] = _("Le nombre de places va de 1 à %(max)s.") % {"max": MAX_CAPACITY}
    if not (MIN_SLOT_MINUTES <= slot_minutes <= MAX_SLOT_MINUTES):
        errors["slot_minutes"] = _("Un créneau dure de %(min)s à %(max)s minutes.") % {
            "min": MIN_SLOT_MINUTES,
            "max": MAX_SLOT_MINUTES,
        }
    tz = timezone.get_current_timezone()
    begins = dt.datetime.combine(day, start, tzinfo=tz)
    finishes = dt.datetime.combine(day, end, tzinfo=tz)
    if finishes <= begins:
        errors["end"] = _("L'heure de fin doit être après l'heure de début.")
    elif "slot_minutes" not in errors:
        minutes = int((finishes - begins).total_seconds() // 60)
        if minutes % slot_minutes:
            errors["slot_minutes"] = _(
                "La plage de %(minutes)s minutes ne se découpe pas en créneaux de %(slot)s minutes."
            ) % {"minutes": minutes, "slot": slot_minutes}
        elif minutes // slot_minutes > MAX_SLOTS:
            errors["slot_minutes"] = _("Au plus %(max)s créneaux par permanence : allongez les créneaux.") % {
                "max": MAX_SLOTS
            }
    if begins <= timezone.now():
        errors["day"] = _("La permanence ne peut pas commencer dans le passé.")
    if errors:
        raise ValidationError(errors)
    return open_permanence(
        operator=operator, mode=mode, service_point=service_point, title=title, begins=begins, finishes=finishes,
        slot_minutes=slot_minutes, capacity=capacity, created_by=by,
    )  # fmt: skip


def open_permanence(
    *, operator, mode: str, service_point, title: str, begins: dt.datetime, finishes: dt.datetime,
    slot_minutes: int, capacity: int, created_by,
) -> Permanence:  # fmt: skip
    """Create the permanence and its slots (checked by the caller: a referent's form, the bus tour)."""
    with transaction.atomic():
        permanence = Permanence.objects.create(
            operator=operator,
            mode=mode,
            service_point=service_point if mode == Mode.IN_PERSON else None,
            title=title,
            created_by=created_by,
        )
        step = dt.timedelta(minutes=slot_minutes)
        starts = begins
        slots = []
        while starts + step <= finishes:
            slots.append(Slot(permanence=permanence, starts_at=starts, ends_at=starts + step, capacity=capacity))
            starts += step
        Slot.objects.bulk_create(slots)
    return permanence


def _check_consent(person, operator) -> None:
    consented = Consent.objects.none()
    for purpose in BOOKING_PURPOSES:
        consented = consented | Consent.objects.active_for(operator, purpose).filter(
            person=person, category=DataCategory.IDENTITY
        )
    if not consented.exists():
        raise ValidationError(
            _(
                "%(operator)s ne peut pas recevoir ce rendez-vous : la personne ne lui a pas donné son accord "
                "(identité, pour une orientation ou un accompagnement). Recueillez d'abord son consentement."
            )
            % {"operator": operator.short_name}
        )


def _book(slot: Slot, person, by, referral) -> Appointment:
    """Inside a transaction: lock the slot, count its bookings, create the appointment."""
    slot = Slot.objects.select_for_update(of=("self",)).select_related("permanence__operator").get(pk=slot.pk)
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("Ce créneau est passé."))
    booked = Appointment.objects.filter(slot=slot, status=Status.BOOKED)
    if booked.filter(person=person).exists():
        raise ValidationError(_("La personne a déjà rendez-vous sur ce créneau."))
    if booked.count() >= slot.capacity:
        raise ValidationError(_("Ce créneau est complet."))
    try:
        with transaction.atomic():
            return Appointment.objects.create(
                slot=slot, person=person, booked_by=by, structure=by.structure, referral=referral
            )
    except IntegrityError as exc:
        raise ValidationError(_("La personne a déjà rendez-vous sur ce créneau.")) from exc


def _check_booking(slot: Slot, person, by, referral) -> None:
    if not _is_agent(by):
        raise PermissionDenied(_("Seul un agent polyvalent prend un rendez-vous pour une personne."))
    operator = slot.permanence.operator
    if referral is not None and (referral.person_id != person.pk or referral.operator_id != operator.pk):
        raise ValidationError(_("Cette orientation ne concerne pas cette personne et cet organisme."))
    _check_consent(person, operator)


def book(slot: Slot, person, *, by, referral=None) -> Appointment:
    """An agent books a seat in a partner's slot for a person who consented to that partner."""
    _check_booking(slot, person, by, referral)
    operator = slot.permanence.operator
    with transaction.atomic():
        appointment = _book(slot, person, by, referral)
        record(
            JournalEvent.APPOINTMENT_BOOKED,
            actor=by,
            person=person,
            operator=operator,
            purpose=Purpose.REFERRAL,
            details={
                "appointment_id": appointment.pk,
                "slot_id": slot.pk,
                "referral_id": referral.pk if referral else None,
            },
        )
    return appointment


def _cancel(appointment: Appointment, by) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot__permanence__operator", "person")
        .get(pk=appointment.pk)
    )
    operator_id = appointment.slot.permanence.operator_id
    if not (_is_agent(by) or _is_referent_of(by, operator_id)):
        raise PermissionDenied(_("Seul un agent ou un référent de l'organisme annule ce rendez-vous."))
    if appointment.status != Status.BOOKED:
        raise ValidationError(_("Ce rendez-vous est déjà annulé."))
    appointment.status = Status.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["status", "cancelled_at"])
    return appointment


def cancel(appointment: Appointment, *, by) -> Appointment:
    """An agent (of any structure) or a referent of the operator frees the seat."""
    with transaction.atomic():
        appointment = _cancel(appointment, by)
        hooks.changed(appointment, None, by)
        record(
            JournalEvent.APPOINTMENT_CANCELLED,
            actor=by,
            person=appointment.person,
            operator=appointment.slot.permanence.operator,
            purpose=Purpose.REFERRAL,
            details={"appointment_id": appointment.pk, "slot_id": appointment.slot_id},
        )
    return appointment


def move(appointment: Appointment, new_slot: Slot, *, by) -> Appointment:
    """Cancel and book again in one transaction: if the new slot is refused, the old one stays."""
    if new_slot.pk == appointment.slot_id:
        raise ValidationError(_("Choisissez un autre créneau."))
    _check_booking(new_slot, appointment.person, by, appointment.referral)
    with transaction.atomic():
        old = _cancel(appointment, by)
        new = _book(new_slot, old.person, by, old.referral)
        hooks.changed(old, new, by)
        record(
            JournalEvent.APPOINTMENT_MOVED,
            actor=by,
            person=old.person,
            operator=new_slot.permanence.operator,
            purpose=Purpose.REFERRAL,
            details={
                "from_appointment_id": old.pk,
                "appointment_id": new.pk,
                "from_slot_id": old.slot_id,
                "slot_id": new_slot.pk,
            },
        )
    return new
