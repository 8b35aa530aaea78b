"""Appointments: partners publish permanences, agents book a slot for a person, both list and export."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from carte_blanche.appointments.actions import book, cancel, move, publish_permanence
from carte_blanche.appointments.calendar import build_calendar
from carte_blanche.appointments.models import Appointment, Mode, Slot, Status
from carte_blanche.consent.access import access_person, name_persons
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.people.models import Person
from carte_blanche.referrals.models import Referral
from carte_blanche.territory.models import Operator, ServicePoint

ROLES = ("agent", "partner_referent")


class PermanenceForm(forms.Form):
    title = forms.CharField(
        label="Intitulé", max_length=200, help_text="Par exemple : Permanence RSA et prime d'activité."
    )
    mode = forms.ChoiceField(label="Modalité", choices=Mode.choices, initial=Mode.IN_PERSON)
    service_point = forms.ModelChoiceField(
        label="Lieu (pour une permanence en personne)",
        queryset=ServicePoint.objects.order_by("name"),
        required=False,
    )
    day = forms.DateField(label="Jour", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(label="Début", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label="Fin", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    slot_minutes = forms.IntegerField(label="Durée d'un créneau (minutes)", min_value=5, max_value=240, initial=30)
    capacity = forms.IntegerField(label="Places par créneau", min_value=1, max_value=50, initial=1)


class OperatorChoiceForm(forms.Form):
    operateur = forms.ModelChoiceField(label="Partenaire", queryset=Operator.objects.none())
    orientation = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operateur"].queryset = Operator.objects.filter(
            pk__in=Slot.objects.upcoming().values("permanence__operator")
        ).order_by("short_name")


def _side(user) -> str:
    if user.role not in ROLES:
        raise PermissionDenied("Votre rôle ne donne pas accès aux rendez-vous.")
    if user.role == "partner_referent" and not user.operator_id:
        raise PermissionDenied("Votre compte n'est rattaché à aucun organisme.")
    return "partner" if user.role == "partner_referent" else "agent"


def _add_errors(form, exc: ValidationError) -> None:
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, errors in items:
        form.add_error(field if field in form.fields else None, errors)


def permanence_list(request: HttpRequest) -> HttpResponse:
    if _side(request.user) != "partner":
        raise PermissionDenied("Seul un référent partenaire publie des permanences.")
    slots = (
        Slot.objects.upcoming()
        .filter(permanence__operator_id=request.user.operator_id)
        .with_booked()
        .select_related("permanence__service_point")
    )
    return render(request, "web/appointment_permanences.html", {"slots": slots, "page_title": "Permanences"})


def permanence_create(request: HttpRequest) -> HttpResponse:
    if _side(request.user) != "partner":
        raise PermissionDenied("Seul un référent partenaire publie des permanences.")
    form = PermanenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            permanence = publish_permanence(by=request.user, operator=request.user.operator, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Permanence publiée : {permanence.slots.count()} créneaux.")
            return redirect("web:permanence_list")
    return render(
        request, "web/appointment_permanence_form.html", {"form": form, "page_title": "Publier une permanence"}
    )


def appointment_book(request: HttpRequest, person_id: int) -> HttpResponse:
    if request.user.role != "agent":
        raise PermissionDenied("Seul un agent polyvalent prend un rendez-vous pour une personne.")
    try:
        record = access_person(request.user, person_id, Purpose.REFERRAL, {DataCategory.IDENTITY})
    except Person.DoesNotExist as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc
    # Moving an appointment: the same page, and the chosen slot replaces the old one.
    moving = None
    if request.GET.get("deplacer"):
        moving = (
            Appointment.objects.visible_to(request.user)
            .filter(pk=request.GET["deplacer"] if request.GET["deplacer"].isdigit() else 0, person_id=person_id)
            .filter(status=Status.BOOKED)
            .first()
        )
        if moving is None:
            raise Http404("Aucun rendez-vous à déplacer ne porte ce numéro.")
    chooser = OperatorChoiceForm(request.GET or None)
    operator = chooser.cleaned_data["operateur"] if chooser.is_valid() else None
    referral = None
    referral_id = chooser.cleaned_data.get("orientation") if chooser.is_valid() else None
    if referral_id:
        referral = Referral.objects.visible_to(request.user).filter(pk=referral_id, person_id=person_id).first()
    slots = []
    if operator is not None:
        slots = list(
            Slot.objects.upcoming()
            .with_free_seats()
            .filter(permanence__operator=operator)
            .select_related("permanence__service_point", "permanence__operator")[:100]
        )
    if request.method == "POST":
        slot = Slot.objects.select_related("permanence__operator").filter(pk=request.POST.get("slot") or 0).first()
        if slot is None or operator is None or slot.permanence.operator_id != operator.pk:
            messages.error(request, "Choisissez un créneau dans la liste.")
            return redirect(request.get_full_path())
        try:
            if moving is not None:
                move(moving, slot, by=request.user)
            else:
                book(slot, Person.objects.get(pk=person_id), by=request.user, referral=referral)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.get_full_path())
        start = timezone.localtime(slot.starts_at)
        verb = "déplacé au" if moving is not None else "pris avec " + operator.short_name + " le"
        messages.success(request, f"Rendez-vous {verb} {start:%d/%m/%Y} à {start:%H:%M}.")
        return redirect("web:appointment_list")
    return render(
        request,
        "web/appointment_book.html",
        {
            "record": record,
            "chooser": chooser,
            "operator": operator,
            "referral": referral,
            "moving": moving,
            "slots": slots,
            "page_title": f"Prendre rendez-vous pour {record.display_name}",
        },
    )


def appointment_list(request: HttpRequest) -> HttpResponse:
    side = _side(request.user)
    visible = Appointment.objects.visible_to(request.user)
    if request.method == "POST":
        appointment = visible.filter(pk=request.POST.get("annuler") or 0).first()
        if appointment is None:
            raise Http404("Aucun rendez-vous ne porte ce numéro.")
        try:
            cancel(appointment, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Rendez-vous n° {appointment.pk} annulé.")
        return redirect("web:appointment_list")
    appointments = list(
        visible.upcoming()
        .filter(status=Status.BOOKED)
        .select_related("slot__permanence__operator", "slot__permanence__service_point", "structure")[:200]
    )
    names = name_persons(request.user, [a.person_id for a in appointments], Purpose.REFERRAL)
    rows = [{"appointment": a, "name": names.get(a.person_id, f"Rendez-vous n° {a.pk}")} for a in appointments]
    return render(request, "web/appointment_list.html", {"rows": rows, "side": side, "page_title": "Rendez-vous"})


def appointment_calendar(request: HttpRequest) -> HttpResponse:
    _side(request.user)
    appointments = list(
        Appointment.objects.visible_to(request.user)
        .filter(slot__starts_at__gte=timezone.now() - dt.timedelta(days=90))
        .select_related("slot__permanence__operator", "slot__permanence__service_point")[:1000]
    )
    names = name_persons(request.user, [a.person_id for a in appointments], Purpose.REFERRAL, channel="ics")
    response = HttpResponse(build_calendar(appointments, names, now=timezone.now()), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    return response
