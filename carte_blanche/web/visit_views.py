"""Visits: the agent's one-minute record of who came, for what, and what was done."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_GET

from carte_blanche.accounts.models import Role
from carte_blanche.catalogue.models import Procedure
from carte_blanche.catalogue.searching import search_procedures
from carte_blanche.consent.access import PersonRecord, access_person
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.people.models import Person
from carte_blanche.satisfaction.actions import record_counter_answer
from carte_blanche.territory.models import Commune, StructureKind
from carte_blanche.visits.actions import record_visit, recorded_visit
from carte_blanche.visits.models import CLIENT_KEY_MAX_LENGTH, MAX_MINUTES, NOTE_MAX_LENGTH, Channel, Outcome, Visit

QUICK_DURATIONS = (5, 10, 15, 30)
SUGGESTIONS = 8
UNKNOWN_ANSWER = "ne-sait-pas"
RESOLVED_CHOICES = [("oui", "Oui"), ("non", "Non"), (UNKNOWN_ANSWER, "Ne sait pas")]
# The offline queue of the tablet (static/carte_blanche/offline/visit-offline.js) sends its visits
# with this header: the view answers JSON instead of a page or a redirect.
SYNC_HEADER_VALUE = "carte-blanche-sync"
SERVICE_WORKER = Path(__file__).parent / "static" / "carte_blanche" / "offline" / "visit-sw.js"


class SearchInput(forms.TextInput):
    input_type = "search"


def _procedure_label(procedure: Procedure) -> str:
    return f"{procedure.title} ({procedure.operator.short_name})"


class VisitForm(forms.Form):
    personne = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Drawn again by the browser each time the form is shown or emptied: one key per filled form.
    client_key = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        max_length=CLIENT_KEY_MAX_LENGTH,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]*$", "La clé d'envoi du formulaire n'est pas valable.")],
        error_messages={"max_length": "La clé d'envoi du formulaire n'est pas valable."},
    )
    channel = forms.ChoiceField(
        label="Comment", choices=Channel.choices, initial=Channel.IN_PERSON, widget=forms.RadioSelect
    )
    place_commune = forms.ModelChoiceField(
        label="Commune de l'arrêt du bus",
        queryset=Commune.objects.order_by("name"),
        required=False,
        error_messages={"required": "Indiquez la commune où le bus était arrêté."},
    )
    q = forms.CharField(
        label="Chercher une démarche",
        help_text="Un mot suffit : rsa, carte grise, retraite…",
        required=False,
        max_length=100,
        widget=SearchInput(
            attrs={
                "autocomplete": "off",
                "hx-get": reverse_lazy("web:visit_procedures"),
                "hx-trigger": "input changed delay:250ms, search",
                "hx-target": "#choix-demarches",
                "hx-include": "#choix-demarches",
            }
        ),
    )
    procedures = forms.ModelMultipleChoiceField(
        label="Démarches de la visite",
        queryset=Procedure.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Cette démarche n'existe pas ou n'est plus en vigueur."},
    )
    outcomes = forms.MultipleChoiceField(
        label="Ce qui a été fait",
        choices=Outcome.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une suite donnée à la visite."},
    )
    duration = forms.TypedChoiceField(
        label="Temps passé",
        choices=[(n, f"{n} min") for n in QUICK_DURATIONS],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    minutes = forms.IntegerField(
        label="Ou une autre durée, en minutes",
        min_value=1,
        max_value=MAX_MINUTES,
        required=False,
        error_messages={
            "min_value": "La durée est d'au moins une minute.",
            "max_value": f"La durée ne peut dépasser {MAX_MINUTES} minutes.",
        },
    )
    note = forms.CharField(
        label="Note (facultatif)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=(
            "Quelques mots utiles à la suite, pas plus. N'écrivez ni santé, ni situation familiale, "
            "ni avis sur la personne : elle peut lire cette note."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolved = forms.ChoiceField(
        label="La demande est-elle résolue ?",
        help_text="Demandez-le à la personne en fin de visite : sa réponse compte, sans son nom, dans les indicateurs.",
        choices=RESOLVED_CHOICES,
        initial=UNKNOWN_ANSWER,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, structure, shown: list[Procedure] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        if structure is not None and structure.kind == StructureKind.BUS:
            self.fields["place_commune"].required = True
        else:
            del self.fields["place_commune"]
        # Only the chosen procedures and the suggestions are drawn, not the whole catalogue.
        self.fields["procedures"].widget.choices = [(p.pk, _procedure_label(p)) for p in shown or []]

    def clean(self):
        data = super().clean()
        if data.get("minutes") is None and "minutes" not in self.errors:
            if data.get("duration") is None:
                self.add_error("duration", "Indiquez le temps passé : touchez une durée ou tapez un nombre de minutes.")
            else:
                data["minutes"] = data["duration"]
        return data


def _require_agent(request: HttpRequest) -> None:
    if request.user.role != Role.AGENT:
        raise PermissionDenied("Seul un agent polyvalent peut enregistrer une visite.")


def _chosen_ids(data: QueryDict) -> list[int]:
    return [int(v) for v in data.getlist("procedures") if v.isdigit()]


def _shown_procedures(chosen_ids: list[int], query: str) -> tuple[list[Procedure], list[Procedure] | None]:
    """The chosen procedures (kept ticked) followed by the suggestions for the query."""
    chosen = list(Procedure.objects.active().filter(pk__in=chosen_ids).select_related("operator"))
    hits = None
    if query:
        hits = [h.procedure for h in search_procedures(query, limit=SUGGESTIONS + len(chosen))]
        hits = [p for p in hits if p.pk not in {c.pk for c in chosen}][:SUGGESTIONS]
    return chosen + (hits or []), hits


def _person_record(request: HttpRequest, raw: str | None) -> PersonRecord | None:
    """The file the visit is about, read (and journaled) for accompaniment; None for an anonymous visit."""
    if not raw:
        return None
    try:
        person_id = int(raw)
    except ValueError as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc
    try:
        return access_person(
            request.user, person_id, Purpose.ACCOMPANIMENT, {DataCategory.IDENTITY, DataCategory.CONTACT}
        )
    except Person.DoesNotExist as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc


def _is_sync(request: HttpRequest) -> bool:
    return request.method == "POST" and request.headers.get("X-Requested-With") == SYNC_HEADER_VALUE


def _sync_errors(form: VisitForm, errors: dict[str, list[str]] | None = None) -> JsonResponse:
    """422 for the offline queue: the French messages, by field and as one readable text."""
    if errors is None:
        errors = {name: [str(m) for m in messages_] for name, messages_ in form.errors.items()}
    lines = []
    for name, field_messages in errors.items():
        label = form.fields[name].label if name in form.fields and form.fields[name].label else ""
        lines += [f"{label} : {m}" if label else m for m in field_messages]
    return JsonResponse(
        {"status": "invalid", "errors": errors, "message": " ".join(lines) or "La visite n'a pas pu être enregistrée."},
        status=422,
        json_dumps_params={"ensure_ascii": False},
    )


def _visit_sync(request: HttpRequest) -> JsonResponse:
    """A visit sent again by the offline queue: JSON, and at most one visit per client key."""
    existing = recorded_visit(request.user, request.POST.get("client_key", "").strip())
    if existing is not None:
        # Already there (the first sending got through but its answer was lost): no second read, no second visit.
        return JsonResponse({"status": "duplicate", "id": existing.pk}, status=200)
    structure = request.user.structure
    try:
        record = _person_record(request, request.POST.get("personne"))
    except Http404:
        message = "Le dossier de cette visite n'existe plus : enregistrez-la à nouveau."
        return _sync_errors(VisitForm(structure=structure), {"personne": [message]})
    shown, _hits = _shown_procedures(_chosen_ids(request.POST), "")
    form = VisitForm(request.POST, structure=structure, shown=shown)
    visit = _record(request, form, record) if form.is_valid() else None
    if visit is None:
        return _sync_errors(form)
    return JsonResponse(
        {"status": "duplicate" if visit.duplicate else "created", "id": visit.pk},
        status=200 if visit.duplicate else 201,
    )


def visit_create(request: HttpRequest) -> HttpResponse:
    _require_agent(request)
    if _is_sync(request):
        return _visit_sync(request)
    data = request.POST if request.method == "POST" else request.GET
    record = _person_record(request, data.get("personne"))
    structure = request.user.structure
    searching = request.method == "POST" and request.POST.get("action") == "chercher"
    query = data.get("q", "").strip()[:100]
    shown, hits = _shown_procedures(_chosen_ids(data), query)
    personne = record.person_id if record else None

    if request.method == "POST" and not searching:
        form = VisitForm(request.POST, structure=structure, shown=shown)
        if form.is_valid():
            visit = _record(request, form, record)
            if visit is not None and visit.duplicate:
                messages.info(request, "Cette visite était déjà enregistrée : elle ne compte qu'une fois.")
                if record is None:
                    return redirect("web:home")
                return redirect(reverse("web:person_detail", args=[record.person_id]) + "#parcours")
            if visit is not None:
                if record is None:
                    messages.success(request, "Visite anonyme enregistrée. Merci !")
                    return redirect("web:home")
                messages.success(request, "Visite enregistrée dans le parcours de la personne.")
                return redirect(reverse("web:person_detail", args=[record.person_id]) + "#parcours")
    elif searching:
        # Without JavaScript, "Chercher" sends the form back: redraw it with the suggestions, no errors.
        initial = {
            name: request.POST.get(name)
            for name in ("channel", "place_commune", "duration", "minutes", "note", "resolved")
        }
        initial |= {"outcomes": request.POST.getlist("outcomes"), "procedures": _chosen_ids(request.POST)}
        initial["client_key"] = request.POST.get("client_key", "")
        form = VisitForm(initial={**initial, "personne": personne, "q": query}, structure=structure, shown=shown)
    else:
        # On the bus, the stop is most often the person's own commune.
        commune = record.contact["commune"].pk if record and record.contact else None
        # A key drawn here serves without JavaScript; the page script draws a new one at each showing.
        form = VisitForm(
            initial={"personne": personne, "place_commune": commune, "client_key": uuid.uuid4().hex},
            structure=structure,
            shown=shown,
        )
    return render(
        request,
        "web/visit_form.html",
        {
            "form": form,
            "record": record,
            "structure": structure,
            "query": query,
            "hits": hits,
            "page_title": f"Visite — {record.display_name}" if record else "Enregistrer une visite",
        },
    )


def _record(request: HttpRequest, form: VisitForm, record: PersonRecord | None) -> Visit | None:
    data = form.cleaned_data
    try:
        with transaction.atomic():
            visit = record_visit(
                by=request.user,
                person=Person.objects.get(pk=record.person_id) if record else None,
                structure=request.user.structure,
                channel=data["channel"],
                procedures=data["procedures"],
                outcomes=data["outcomes"],
                minutes=data["minutes"],
                note=data["note"],
                place_commune=data.get("place_commune"),
                client_key=data.get("client_key", ""),
            )
            if not visit.duplicate and data.get("resolved") in ("oui", "non"):
                record_counter_answer(visit, data["resolved"] == "oui", by=request.user)
        return visit
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    return None


@login_not_required  # no data in it; a redirect to the login page would break the worker's update
@require_GET
def visit_service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker of the visit form, served under /visites/ so that its scope covers the form."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("web:visit_list")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def visit_procedures(request: HttpRequest) -> HttpResponse:
    """HTMX fragment: the chosen procedures, still ticked, and the suggestions for `q`."""
    _require_agent(request)
    query = request.GET.get("q", "").strip()[:100]
    chosen_ids = _chosen_ids(request.GET)
    shown, hits = _shown_procedures(chosen_ids, query)
    form = VisitForm(initial={"procedures": chosen_ids}, structure=request.user.structure, shown=shown)
    return render(request, "web/visit_procedure_choices.html", {"form": form, "query": query, "hits": hits})


def visit_list(request: HttpRequest) -> HttpResponse:
    """The day at the agent's structure: each visit, and the figures by outcome."""
    _require_agent(request)
    structure = request.user.structure
    today = timezone.localdate()
    visits = list(Visit.objects.at_structure(structure).on_day(today).for_display())
    outcome_counts = Counter(value for visit in visits for value in visit.outcomes)
    return render(
        request,
        "web/visit_list.html",
        {
            "visits": visits,
            "structure": structure,
            "today": today,
            "by_outcome": [(outcome.label, outcome_counts[outcome.value]) for outcome in Outcome],
            "anonymous": sum(1 for v in visits if v.person_id is None),
            "total_minutes": sum(v.minutes for v in visits),
            "page_title": "Visites du jour",
        },
    )
