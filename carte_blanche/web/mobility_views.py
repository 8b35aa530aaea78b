"""Solidarity mobility for agents and the mobility coordinator: eligibility, ride requests (also
from an appointment), the day's plan with the dispatcher, drivers' validation, the territory's
other offers and the indicators. The driver's own pages are in ``mobility_driver_views``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carte_blanche.accounts.models import Role
from carte_blanche.appointments.models import Appointment
from carte_blanche.consent.access import access_person, name_persons
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.mobility import actions
from carte_blanche.mobility.dispatching import dispatch_day, unserved_label
from carte_blanche.mobility.indicators import indicators
from carte_blanche.mobility.models import Driver, MobilityOffer, Proposal, RideLeg, RideRequest
from carte_blanche.mobility.states import DriverStatus, LegStatus
from carte_blanche.people.models import Person
from carte_blanche.web.mobility_forms import (
    AppointmentRideForm,
    EligibilityForm,
    OfferFilterForm,
    PeriodForm,
    RideRequestForm,
)

STAFF = {Role.AGENT, Role.MOBILITY_COORDINATOR}
IDENTITY_CONTACT = [DataCategory.IDENTITY, DataCategory.CONTACT]


def _staff(request: HttpRequest) -> None:
    if request.user.role not in STAFF:
        raise PermissionDenied("Réservé aux agents et au coordinateur mobilité.")


def _coordinator(request: HttpRequest) -> None:
    if request.user.role != Role.MOBILITY_COORDINATOR:
        raise PermissionDenied("Réservé au coordinateur mobilité.")


def _record(request: HttpRequest, person_id: int):
    try:
        return access_person(request.user, person_id, Purpose.MOBILITY, IDENTITY_CONTACT)
    except Person.DoesNotExist as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc


def _errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- A person's mobility: eligibility and requests ---------------------------------------------


def person_mobility(request: HttpRequest, person_id: int) -> HttpResponse:
    _staff(request)
    record = _record(request, person_id)
    person = Person.objects.select_related("commune").get(pk=person_id)
    eligibility = actions.current_eligibility(person)
    eligibility_form = EligibilityForm(prefix="elig")
    initial = {"origin_commune": person.commune_id, "day": timezone.localdate() + dt.timedelta(days=1)}
    if record.contact:
        initial["origin_address"] = record.contact.get("address", "")
    ride_form = RideRequestForm(prefix="ride", initial=initial)
    status = 200
    if request.method == "POST" and "elig-status" in request.POST:
        eligibility_form = EligibilityForm(request.POST, prefix="elig")
        if eligibility_form.is_valid():
            try:
                actions.decide_eligibility(person, by=request.user, **eligibility_form.cleaned_data)
            except ValidationError as exc:
                _errors(eligibility_form, exc)
            else:
                messages.success(request, "La décision d'éligibilité est enregistrée.")
                return redirect("web:person_mobility", person_id=person_id)
        status = 422
    elif request.method == "POST":
        ride_form = RideRequestForm(request.POST, prefix="ride")
        if ride_form.is_valid():
            data = dict(ride_form.cleaned_data)
            data.pop("with_return")
            try:
                ride = actions.request_ride(person, by=request.user, **data)
            except ValidationError as exc:
                _errors(ride_form, exc)
            else:
                messages.success(request, _planned_message(ride))
                return redirect("web:ride_detail", ride_id=ride.pk)
        status = 422
    rides = RideRequest.objects.filter(person=person).select_related("origin_commune", "destination_commune")
    return render(
        request,
        "web/mobility/person.html",
        {
            "record": record,
            "eligibility": eligibility,
            "eligible": eligibility is not None and eligibility.is_valid_on(timezone.localdate()),
            "eligibility_form": eligibility_form,
            "ride_form": ride_form,
            "rides": rides.prefetch_related("legs")[:30],
            "page_title": f"Mobilité — {record.display_name}",
        },
        status=status,
    )


def _planned_message(ride: RideRequest) -> str:
    legs = list(ride.legs.select_related("driver__user"))
    if any(leg.status == LegStatus.UNSERVABLE for leg in legs):
        return "Transport enregistré, mais le répartiteur n'a pas trouvé de conducteur : le motif est indiqué."
    if any(leg.status == LegStatus.PROPOSED for leg in legs):
        return "Transport enregistré et proposé à un conducteur bénévole : vous verrez ici sa réponse."
    return "Transport enregistré : le répartiteur le planifiera."


def appointment_ride(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """A ride born from an appointment: the windows come from the appointment's times."""
    _staff(request)
    appointment = (
        Appointment.objects.select_related("slot__permanence__service_point__commune", "slot__permanence__operator")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise Http404("Aucun rendez-vous ne porte ce numéro.")
    record = _record(request, appointment.person_id)
    place = actions.appointment_place(appointment)
    person = appointment.person
    initial = {"origin_commune": person.commune_id, "origin_address": (record.contact or {}).get("address", "")}
    form = AppointmentRideForm(initial=initial)
    status = 200
    if request.method == "POST":
        form = AppointmentRideForm(request.POST)
        if form.is_valid():
            try:
                ride = actions.request_ride_for_appointment(appointment, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _planned_message(ride))
                return redirect("web:ride_detail", ride_id=ride.pk)
        status = 422
    existing = RideRequest.objects.filter(appointment=appointment, cancelled_at__isnull=True).first()
    return render(
        request,
        "web/mobility/appointment_ride.html",
        {
            "record": record,
            "appointment": appointment,
            "place": place,
            "form": form,
            "existing": existing,
            "eligibility": actions.current_eligibility(person),
            "page_title": "Transport pour un rendez-vous",
        },
        status=status,
    )


# --- A ride --------------------------------------------------------------------------------------


def _ride(request: HttpRequest, ride_id: int) -> RideRequest:
    ride = (
        RideRequest.objects.visible_to(request.user)
        .select_related("origin_commune", "destination_commune", "appointment__slot__permanence__operator")
        .filter(pk=ride_id)
        .first()
    )
    if ride is None:
        raise Http404("Aucun transport ne porte ce numéro (ou il ne vous est pas visible).")
    return ride


def ride_detail(request: HttpRequest, ride_id: int) -> HttpResponse:
    _staff(request)
    ride = _ride(request, ride_id)
    record = _record(request, ride.person_id)
    legs = ride.legs.select_related("driver__user").prefetch_related(
        Prefetch("proposals", queryset=Proposal.objects.select_related("driver__user").order_by("created_at"))
    )
    return render(
        request,
        "web/mobility/ride_detail.html",
        {
            "ride": ride,
            "record": record,
            "legs": [(leg, unserved_label(leg.unservable_reason) if leg.unservable_reason else "") for leg in legs],
            "can_cancel": ride.cancelled_at is None and ride.day >= timezone.localdate(),
            "page_title": str(ride),
        },
    )


@require_POST
def ride_cancel(request: HttpRequest, ride_id: int) -> HttpResponse:
    _staff(request)
    ride = _ride(request, ride_id)
    try:
        actions.cancel_ride(ride, by=request.user, reason=request.POST.get("motif", "")[:200])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Le transport est annulé ; les conducteurs concernés sont prévenus.")
    return redirect("web:ride_detail", ride_id=ride.pk)


@require_POST
def proposal_phone_answer(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The coordinator records the driver's answer given on the phone."""
    _coordinator(request)
    proposal = Proposal.objects.select_related("leg").filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404("Aucune proposition ne porte ce numéro.")
    accept = request.POST.get("reponse") == "accepte"
    try:
        actions.answer_proposal(proposal, accept=accept, via="phone", by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "Acceptation enregistrée." if accept else "Refus enregistré : le trajet part au conducteur suivant.",
        )
    return redirect("web:ride_detail", ride_id=proposal.leg.request_id)


# --- The coordinator's plan -------------------------------------------------------------------


def mobility_plan(request: HttpRequest) -> HttpResponse:
    """The coming days: each leg, its driver or the reason none was found; run the dispatcher."""
    _staff(request)
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("du", ""))
    except ValueError:
        start = today
    end = start + dt.timedelta(days=13)
    legs = list(
        RideLeg.objects.filter(request__in=RideRequest.objects.visible_to(request.user))
        .filter(request__day__range=(start, end), request__cancelled_at__isnull=True)
        .exclude(status=LegStatus.CANCELLED)
        .select_related("request__origin_commune", "request__destination_commune", "driver__user")
        .order_by("request__day", "pickup_earliest")
    )
    names = name_persons(request.user, [leg.request.person_id for leg in legs], Purpose.MOBILITY)
    days: dict[dt.date, list] = defaultdict(list)
    for leg in legs:
        reason = unserved_label(leg.unservable_reason) if leg.unservable_reason else ""
        days[leg.request.day].append({"leg": leg, "name": names.get(leg.request.person_id), "reason": reason})
    counts = {
        "pending_drivers": Driver.objects.filter(status=DriverStatus.PENDING).count(),
        "unservable": sum(1 for leg in legs if leg.status == LegStatus.UNSERVABLE),
        "waiting": sum(1 for leg in legs if leg.status in (LegStatus.REQUESTED, LegStatus.PROPOSED)),
    }
    return render(
        request,
        "web/mobility/plan.html",
        {
            "days": sorted(days.items()),
            "start": start,
            "end": end,
            "previous": start - dt.timedelta(days=14),
            "next": end + dt.timedelta(days=1),
            "counts": counts,
            "is_coordinator": request.user.role == Role.MOBILITY_COORDINATOR,
            "page_title": "Mobilité solidaire — planning",
        },
    )


@require_POST
def mobility_dispatch(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    try:
        day = dt.date.fromisoformat(request.POST.get("jour", ""))
    except ValueError:
        messages.error(request, "Date invalide.")
        return redirect("web:mobility_plan")
    if day < timezone.localdate():
        messages.error(request, "Ce jour est passé : rien à planifier.")
        return redirect("web:mobility_plan")
    run = dispatch_day(day, trigger="manual", by=request.user)
    if run.legs == 0:
        messages.info(request, f"Aucun trajet à planifier le {day:%d/%m/%Y}.")
    else:
        messages.success(
            request,
            f"Répartiteur du {day:%d/%m/%Y} : {run.served} trajet(s) attribué(s) sur {run.legs}, "
            f"{run.unserved} sans conducteur, {run.vehicles} disponibilité(s) de conducteurs, "
            f"{run.distance_km} km au total.",
        )
    return redirect(reverse("web:mobility_plan") + f"?du={day.isoformat()}#jour-{day.isoformat()}")


# --- Drivers ----------------------------------------------------------------------------------


def driver_list(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    drivers = Driver.objects.select_related("user", "home_commune").prefetch_related("weekly", "area_communes")
    return render(
        request,
        "web/mobility/drivers.html",
        {"drivers": drivers, "month": timezone.localdate(), "page_title": "Conducteurs bénévoles"},
    )


@require_POST
def driver_validate(request: HttpRequest, driver_id: int) -> HttpResponse:
    _coordinator(request)
    driver = Driver.objects.filter(pk=driver_id).first()
    if driver is None:
        raise Http404("Aucun conducteur ne porte ce numéro.")
    active = request.POST.get("decision") == "valider"
    actions.validate_driver(driver, by=request.user, active=active)
    messages.success(request, f"{driver} est {'validé' if active else 'suspendu'}.")
    return redirect("web:mobility_drivers")


# --- Offers and indicators --------------------------------------------------------------------


@login_not_required
def mobility_offers(request: HttpRequest) -> HttpResponse:
    """The territory's mobility offers with their conditions (public)."""
    form = OfferFilterForm(request.GET or None)
    offers = MobilityOffer.objects.filter(active=True).prefetch_related("communes")
    if form.is_valid():
        if form.cleaned_data.get("commune"):
            commune = form.cleaned_data["commune"]
            offers = offers.filter(communes=commune) | MobilityOffer.objects.filter(active=True, communes=None)
        if form.cleaned_data.get("kind"):
            offers = offers.filter(kind=form.cleaned_data["kind"])
    return render(
        request,
        "web/mobility/offers.html",
        {"form": form, "offers": offers.distinct().order_by("kind", "name"), "page_title": "Offres de mobilité"},
    )


def mobility_indicators(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    form = PeriodForm(request.GET or PeriodForm.this_month())
    result = indicators(form.cleaned_data["start"], form.cleaned_data["end"]) if form.is_valid() else None
    return render(
        request,
        "web/mobility/indicators.html",
        {
            "form": form,
            "result": result,
            "reasons": [
                (unserved_label(k), v) for k, v in sorted((result.unserved_by_reason if result else {}).items())
            ],
            "page_title": "Mobilité solidaire — indicateurs",
        },
        status=200 if result else 422,
    )
