"""The volunteer driver's side of the solidarity mobility service.

- ``/conducteur/``: "Mes trajets" (proposals to answer, confirmed rides with the passenger's name
  and phone read through ``consent.access.access_person``, journaled);
- ``/trajets/p/<token>/``: the public link sent by SMS (times and communes only, never a name);
- ``/conducteur/disponibilites/``, ``/conducteur/inscription/`` (public), the mileage statements;
- ``/mobilite/releves/…``: the mobility coordinator's exports.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from carte_blanche.accounts.models import Role
from carte_blanche.consent.access import AccessDenied, access_person
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.mobility import actions, mileage
from carte_blanche.mobility.actions import answer_proposal, proposal_for_token, schedule_dispatch
from carte_blanche.mobility.dispatching import days_to_plan
from carte_blanche.mobility.models import (
    DatedAvailability,
    Direction,
    Driver,
    HalfDay,
    Proposal,
    RideLeg,
    Weekday,
    WeeklyAvailability,
)
from carte_blanche.mobility.states import DriverStatus, LegStatus, ProposalStatus
from carte_blanche.people.models import Person
from carte_blanche.web.mobility_driver_forms import (
    DatedAvailabilityForm,
    DriverSettingsForm,
    DriverSignupForm,
    parse_weekly,
)

ANSWERS = {"accept": True, "decline": False}
STATUS_MESSAGES = {
    ProposalStatus.ACCEPTED: "Vous avez accepté ce trajet. Merci ! Le nom et le téléphone du passager sont sur "
    "votre page « Mes trajets », après connexion.",
    ProposalStatus.DECLINED: "Vous avez refusé ce trajet : il est proposé à un autre conducteur. "
    "Merci d'avoir répondu.",
    ProposalStatus.EXPIRED: "Le délai de réponse est passé : ce trajet a été proposé à un autre conducteur.",
    ProposalStatus.WITHDRAWN: "Ce trajet ne vous est plus proposé (il a été annulé ou réorganisé).",
}


# --- Helpers ---------------------------------------------------------------------------------


def _require_driver_role(request: HttpRequest) -> None:
    if request.user.role != Role.VOLUNTEER_DRIVER:
        raise PermissionDenied("Cette page est réservée aux conducteurs bénévoles.")


def _require_coordinator(request: HttpRequest) -> None:
    if request.user.role != Role.MOBILITY_COORDINATOR:
        raise PermissionDenied("Les relevés kilométriques des conducteurs sont réservés au coordinateur mobilité.")


def _driver_of(request: HttpRequest) -> Driver | None:
    _require_driver_role(request)
    return Driver.objects.select_related("user", "home_commune").filter(user=request.user).first()


def _place(ride, *, origin: bool) -> str:
    """The commune and, at the destination, the place's name (a hospital, a France services)."""
    if origin:
        return ride.origin_commune.name
    if ride.destination_name:
        return f"{ride.destination_name} ({ride.destination_commune.name})"
    return ride.destination_commune.name


@dataclass
class Trip:
    """What a driver sees of a leg: times, places, needs. No name unless ``passenger`` is filled."""

    leg: RideLeg
    day: dt.date
    direction: str
    pickup: dt.datetime | None
    dropoff: dt.datetime | None
    pickup_window: tuple[dt.datetime, dt.datetime]
    dropoff_window: tuple[dt.datetime, dt.datetime]
    origin: str
    destination: str
    needs: list[str]
    notes: str
    proposal: Proposal | None = None
    passenger: str = ""
    phone: str = ""
    pickup_address: str = ""
    dropoff_address: str = ""


def _needs(ride) -> list[str]:
    needs = []
    if ride.wheelchair:
        needs.append("En fauteuil roulant")
    if ride.companion:
        needs.append("Accompagné d'une personne (2 places)")
    if ride.boarding_help:
        needs.append("Besoin d'aide pour monter en voiture")
    return needs


def _trip(leg: RideLeg, *, with_notes: bool = True) -> Trip:
    ride = leg.request
    outbound = leg.direction == Direction.OUTBOUND
    origin, destination = _place(ride, origin=True), _place(ride, origin=False)
    if not outbound:
        origin, destination = destination, origin
    return Trip(
        leg=leg,
        day=ride.day,
        direction=leg.get_direction_display(),
        pickup=timezone.localtime(leg.planned_pickup) if leg.planned_pickup else None,
        dropoff=timezone.localtime(leg.planned_dropoff) if leg.planned_dropoff else None,
        pickup_window=(timezone.localtime(leg.pickup_earliest), timezone.localtime(leg.pickup_latest)),
        dropoff_window=(timezone.localtime(leg.dropoff_earliest), timezone.localtime(leg.dropoff_latest)),
        origin=origin,
        destination=destination,
        needs=_needs(ride),
        notes=ride.notes if with_notes else "",
    )


LEG_RELATED = ("request__origin_commune", "request__destination_commune")


def _statement_months(today: dt.date, count: int = 3) -> list[tuple[int, int, str]]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month, f"{mileage.MONTHS[month - 1]} {year}"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


# --- Mes trajets -----------------------------------------------------------------------------


def driver_rides(request: HttpRequest) -> HttpResponse:
    driver = _driver_of(request)
    context: dict = {"page_title": "Mes trajets", "driver": driver, "proposals": [], "days": []}
    if driver is None or driver.status != DriverStatus.ACTIVE:
        return render(request, "web/mobility/driver/rides.html", context)
    now = timezone.now()
    today = timezone.localdate()
    pending = (
        Proposal.objects.filter(driver=driver, status=ProposalStatus.PENDING, expires_at__gt=now)
        .select_related(*(f"leg__{r}" for r in LEG_RELATED))
        .order_by("leg__request__day", "leg__pickup_earliest", "pk")
    )
    proposals = []
    for proposal in pending:
        trip = _trip(proposal.leg)
        trip.proposal = proposal
        proposals.append(trip)
    legs = (
        RideLeg.objects.filter(
            driver=driver, status=LegStatus.CONFIRMED, request__day__gte=today, request__cancelled_at__isnull=True
        )
        .select_related(*LEG_RELATED)
        .order_by("request__day", "planned_pickup", "pickup_earliest", "pk")
    )
    records: dict[int, object] = {}
    days: OrderedDict[dt.date, list[Trip]] = OrderedDict()
    for leg in legs:
        trip = _trip(leg)
        _passenger(request, leg, trip, records)
        days.setdefault(trip.day, []).append(trip)
    context.update(
        proposals=proposals,
        days=list(days.items()),
        months=_statement_months(today),
    )
    return render(request, "web/mobility/driver/rides.html", context)


def _passenger(request: HttpRequest, leg: RideLeg, trip: Trip, records: dict) -> None:
    """Name, phone and addresses of the passenger, through the access function (one read per person)."""
    ride = leg.request
    if ride.person_id not in records:
        try:
            records[ride.person_id] = access_person(
                request.user,
                ride.person_id,
                Purpose.MOBILITY,
                categories=[DataCategory.IDENTITY, DataCategory.CONTACT],
                channel="web",
            )
        except (AccessDenied, Person.DoesNotExist):
            records[ride.person_id] = None
    record = records[ride.person_id]
    if record is None or record.identity is None:
        trip.passenger = f"Passager n° {ride.person_id}"
        return
    trip.passenger = record.display_name
    trip.phone = (record.contact or {}).get("phone", "") or ""
    origin_address = ride.origin_address or ride.origin_commune.name
    destination_address = ride.destination_address or _place(ride, origin=False)
    if leg.direction == Direction.OUTBOUND:
        trip.pickup_address, trip.dropoff_address = origin_address, destination_address
    else:
        trip.pickup_address, trip.dropoff_address = destination_address, origin_address


@require_POST
def driver_answer(request: HttpRequest, proposal_id: int, answer: str) -> HttpResponse:
    _require_driver_role(request)
    if answer not in ANSWERS:
        raise Http404("Réponse inconnue.")
    proposal = Proposal.objects.select_related("driver").filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404("Aucune proposition ne porte ce numéro.")
    if proposal.driver.user_id != request.user.pk:
        raise PermissionDenied("Cette proposition est adressée à un autre conducteur.")
    try:
        proposal = answer_proposal(proposal, accept=ANSWERS[answer], via="page", by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if proposal.status == ProposalStatus.ACCEPTED:
            messages.success(request, f"Trajet n° {proposal.code} accepté : il figure dans vos trajets confirmés.")
        else:
            messages.success(request, f"Trajet n° {proposal.code} refusé : il est proposé à un autre conducteur.")
    return redirect("web:driver_rides")


# --- The public link of the SMS --------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def ride_answer(request: HttpRequest, token: str) -> HttpResponse:
    proposal = proposal_for_token(token)
    if proposal is None:
        raise Http404("Ce lien de réponse n'existe pas.")
    error = ""
    status = 200
    if request.method == "POST":
        accept = ANSWERS.get(request.POST.get("answer", ""))
        if accept is None:
            error, status = "Choisissez « Accepter » ou « Refuser ».", 400
        else:
            try:
                answer_proposal(proposal, accept=accept, via="link", by=None)
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 409
            else:
                return redirect("web:ride_answer", token=token)
        proposal = proposal_for_token(token)
    pending = proposal.status == ProposalStatus.PENDING and proposal.expires_at > timezone.now()
    closed = ""
    if not pending:
        closed = STATUS_MESSAGES.get(ProposalStatus(proposal.status), "") or STATUS_MESSAGES[ProposalStatus.EXPIRED]
    return render(
        request,
        "web/mobility/driver/answer.html",
        {
            # No notes here: they may name the passenger, and this page needs no login.
            "trip": _trip(proposal.leg, with_notes=False),
            "proposal": proposal,
            "pending": pending,
            "closed": closed,
            "accepted": proposal.status == ProposalStatus.ACCEPTED,
            "error": error,
            "deadline": timezone.localtime(proposal.expires_at),
            "page_title": "Trajet proposé",
        },
        status=status,
    )


# --- Availability ----------------------------------------------------------------------------


def _schedule_redispatch() -> None:
    for day in days_to_plan():
        schedule_dispatch(day, "availability")


def driver_availability(request: HttpRequest) -> HttpResponse:
    driver = _driver_of(request)
    if driver is None:
        return render(
            request,
            "web/mobility/driver/availability.html",
            {"driver": None, "page_title": "Mes disponibilités"},
        )
    settings_form = DriverSettingsForm(instance=driver)
    dated_form = DatedAvailabilityForm(prefix="creneau")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "settings":
            settings_form = DriverSettingsForm(request.POST, instance=driver)
            if settings_form.is_valid():
                with transaction.atomic():
                    settings_form.save()
                    wanted = {parse_weekly(v) for v in settings_form.cleaned_data["weekly"]}
                    driver.weekly.exclude(
                        pk__in=[w.pk for w in driver.weekly.all() if (w.weekday, w.half_day) in wanted]
                    ).delete()
                    have = set(driver.weekly.values_list("weekday", "half_day"))
                    WeeklyAvailability.objects.bulk_create(
                        WeeklyAvailability(driver=driver, weekday=weekday, half_day=half)
                        for weekday, half in sorted(wanted - have)
                    )
                    _schedule_redispatch()
                messages.success(request, "Disponibilités enregistrées : vos prochains trajets en tiennent compte.")
                return redirect("web:driver_availability")
            status = 400
        elif action == "add_dated":
            slot = DatedAvailability(driver=driver)
            dated_form = DatedAvailabilityForm(request.POST, prefix="creneau", instance=slot)
            if dated_form.is_valid():
                with transaction.atomic():
                    dated_form.save()
                    _schedule_redispatch()
                slot = dated_form.instance
                label = "Créneau ajouté" if slot.available else "Absence enregistrée"
                messages.success(request, f"{label} le {slot.day:%d/%m/%Y}.")
                return redirect("web:driver_availability")
            status = 400
        elif action == "remove_dated":
            raw = request.POST.get("dated_id", "")
            slot = driver.dated.filter(pk=int(raw)).first() if raw.isdigit() else None
            if slot is None:
                raise Http404("Aucun créneau de ce numéro.")
            with transaction.atomic():
                slot.delete()
                _schedule_redispatch()
            messages.success(request, "Créneau supprimé.")
            return redirect("web:driver_availability")
        else:
            raise Http404("Action inconnue.")
    checked = set(settings_form["weekly"].value() or [])
    grid = [
        (label, [(f"{value}-{half}", f"{value}-{half}" in checked, half_label) for half, half_label in HALVES])
        for value, label in WEEKDAYS
    ]
    dated = driver.dated.filter(day__gte=timezone.localdate())
    return render(
        request,
        "web/mobility/driver/availability.html",
        {
            "driver": driver,
            "settings_form": settings_form,
            "dated_form": dated_form,
            "grid": grid,
            "halves": HALVES,
            "dated": dated,
            "page_title": "Mes disponibilités",
        },
        status=status,
    )


HALVES = [(half.value, str(half.label).capitalize()) for half in HalfDay]
WEEKDAYS = [(day.value, str(day.label).capitalize()) for day in Weekday]


# --- Self-registration (public) --------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def driver_signup(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = DriverSignupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.register_driver(
                    email=data["email"], first_name=data["first_name"], last_name=data["last_name"],
                    password=data["password1"], phone=data["phone"], home_commune=data["home_commune"],
                    seats=data["seats"], wheelchair_accessible=data["wheelchair_accessible"],
                    max_distance_km=data["max_distance_km"], max_rides_per_week=data["max_rides_per_week"],
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("web:driver_signup_thanks")
        status = 400
    else:
        form = DriverSignupForm()
    return render(
        request,
        "web/mobility/driver/signup.html",
        {"form": form, "page_title": "Devenir conducteur bénévole"},
        status=status,
    )


@login_not_required
def driver_signup_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "web/mobility/driver/signup_thanks.html", {"page_title": "Merci pour votre inscription"})


# --- Mileage statements ----------------------------------------------------------------------


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _statement(driver: Driver, year: int, month: int):
    try:
        return mileage.statement(driver, year, month)
    except ValueError as exc:
        raise Http404(str(exc)) from exc


def driver_statement_pdf(request: HttpRequest, year: int, month: int) -> HttpResponse:
    driver = _driver_of(request)
    if driver is None:
        raise Http404("Vous n'avez pas encore de profil de conducteur.")
    statement = _statement(driver, year, month)
    return _pdf_response(mileage.statement_pdf(statement), f"releve-kilometrique-{year:04d}-{month:02d}.pdf")


def mileage_statement_pdf(request: HttpRequest, year: int, month: int, driver_id: int) -> HttpResponse:
    _require_coordinator(request)
    driver = get_object_or_404(Driver.objects.select_related("user", "home_commune"), pk=driver_id)
    statement = _statement(driver, year, month)
    return _pdf_response(
        mileage.statement_pdf(statement), f"releve-kilometrique-{driver.pk}-{year:04d}-{month:02d}.pdf"
    )


def mileage_export_csv(request: HttpRequest, year: int, month: int) -> HttpResponse:
    _require_coordinator(request)
    try:
        content = mileage.statements_csv(year, month)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="releves-kilometriques-{year:04d}-{month:02d}.csv"'
    return response
