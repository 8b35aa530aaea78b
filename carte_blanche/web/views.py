"""Web views: short functions that call the access function and the actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carte_blanche.accounts.models import Role
from carte_blanche.consent.access import PERSON_FIELDS, access_person, search_persons
from carte_blanche.consent.actions import (
    confirm_consent_by_sms,
    grant_consent,
    request_consent_by_sms,
    revoke_consent,
)
from carte_blanche.consent.categories import CATEGORY_LABELS, PURPOSE_LABELS, DataCategory, Purpose
from carte_blanche.consent.models import Consent, ConsentCodeRequest, ConsentMethod
from carte_blanche.consent.policy import ROLE_PURPOSES
from carte_blanche.documents.actions import documents_for_record
from carte_blanche.messaging.sms import SmsError
from carte_blanche.people.actions import create_person, update_person
from carte_blanche.people.models import Person
from carte_blanche.satisfaction.models import SatisfactionSurvey
from carte_blanche.territory.models import Commune, Epci, Operator, ServicePoint, Structure
from carte_blanche.web.forms import ConsentCodeForm, ConsentForm, HouseholdFormSet, PersonForm, PersonSearchForm
from carte_blanche.web.rights_views import recent_checks

# The purpose a role reads a file for unless it says otherwise.
DEFAULT_PURPOSE = {
    Role.AGENT: Purpose.ACCOMPANIMENT,
    Role.PARTNER_REFERENT: Purpose.CASE_MANAGEMENT,
    Role.MOBILITY_COORDINATOR: Purpose.MOBILITY,
    Role.RESIDENT: Purpose.SELF,
}
SATISFACTION_DAYS = 90


def _purpose(request: HttpRequest) -> Purpose:
    allowed = ROLE_PURPOSES.get(request.user.role, ())
    if not allowed:
        raise PermissionDenied("Votre rôle ne donne pas accès aux dossiers des personnes.")
    raw = request.GET.get("finalite") or request.POST.get("finalite")
    try:
        purpose = Purpose(raw) if raw else DEFAULT_PURPOSE[request.user.role]
    except ValueError as exc:
        raise Http404("Finalité inconnue.") from exc
    if purpose not in allowed:
        raise PermissionDenied("Cette finalité ne correspond pas à votre rôle.")
    return purpose


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict = {"page_title": "Accueil", "query": "", "hits": None}
    if user.role == Role.PARTNER_REFERENT:
        purpose = Purpose.CASE_MANAGEMENT
        context["consenting"] = search_persons(user, "", purpose, limit=50, list_all=True)
        context["purpose"] = purpose
    elif user.role == Role.COORDINATOR:
        context["figures"] = _territory_figures()
        context["consents_by_operator"] = (
            Consent.objects.active().values("operator__short_name").annotate(n=Count("id")).order_by("-n")
        )
        context["satisfaction"] = _satisfaction_figures()
    elif user.role == Role.RESIDENT:
        context["person_id"] = getattr(getattr(user, "person", None), "pk", None)
    context["structure"] = user.structure
    context["operator"] = user.acting_operator
    if user.role not in Role.values:
        raise PermissionDenied(
            "Votre compte n'a pas de rôle : demandez à la coordination du territoire de vous en attribuer un."
        )
    return render(request, f"web/home_{user.role}.html", context)


def _territory_figures() -> dict:
    return {
        "communes": Commune.objects.count(),
        "population": Commune.objects.aggregate(total=Sum("population"))["total"] or 0,
        "epcis": Epci.objects.count(),
        "operators": Operator.objects.count(),
        "service_points": ServicePoint.objects.count(),
        "structures": Structure.objects.count(),
        "persons": Person.objects.count(),
        "active_consents": Consent.objects.active().count(),
    }


def _satisfaction_figures() -> dict:
    """Answers to "Votre demande a-t-elle été résolue ?" over the last days: counts only, nobody named."""
    since = timezone.now() - dt.timedelta(days=SATISFACTION_DAYS)
    surveys = SatisfactionSurvey.objects
    return {
        "days": SATISFACTION_DAYS,
        "all": surveys.resolution_rate(since),
        "by_operator": surveys.rates_by_operator(since),
    }


def person_search(request: HttpRequest) -> HttpResponse:
    purpose = _purpose(request)
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    hits = search_persons(request.user, query, purpose) if query else None
    context = {"form": form, "hits": hits, "query": query, "purpose": purpose, "page_title": "Rechercher une personne"}
    if request.htmx:
        return render(request, "web/_search_results.html", context)
    return render(request, "web/person_search.html", context)


def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    purpose = _purpose(request)
    try:
        record = access_person(request.user, person_id, purpose)
    except Person.DoesNotExist as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc
    consent_form = None
    if record.can_manage_consents:
        consent_form = ConsentForm(role=request.user.role)
    return render(
        request,
        "web/person_detail.html",
        {
            "record": record,
            "purpose": purpose,
            "purposes": ROLE_PURPOSES[request.user.role],
            "category_labels": {str(k): v for k, v in CATEGORY_LABELS.items()},
            "missing_sentence": _missing_sentence(record.granted),
            "consent_form": consent_form,
            "documents": documents_for_record(record),
            "rights_checks": recent_checks(record, request.user),
            "page_title": record.display_name,
        },
    )


def _missing_sentence(granted) -> str:
    missing = [CATEGORY_LABELS[c].lower() for c in DataCategory if c not in granted]
    if not missing:
        return ""
    return "Non partagé avec vous pour cette finalité : " + ", ".join(missing) + "."


def person_create(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.AGENT:
        raise PermissionDenied("Seul un agent polyvalent peut ouvrir un dossier.")
    form = PersonForm(request.POST or None)
    household = HouseholdFormSet(request.POST or None, prefix="foyer")
    if request.method == "POST" and form.is_valid() and household.is_valid():
        members = [
            {
                k: v
                for k, v in f.cleaned_data.items()
                if k in ("first_name", "last_name", "birth_date", "relationship", "is_dependent")
            }
            for f in household.forms
            if f.has_changed() and f.cleaned_data
        ]
        try:
            person = create_person(by=request.user, household=members, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Dossier ouvert. Recueillez maintenant les consentements utiles à la personne.")
            return redirect("web:person_detail", person_id=person.pk)
    return render(
        request, "web/person_form.html", {"form": form, "household": household, "page_title": "Ouvrir un dossier"}
    )


def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    """Correct a file (a move, a new phone): the change is made once, for every partner."""
    if request.user.role != Role.AGENT:
        raise PermissionDenied("Seul un agent polyvalent peut modifier un dossier.")
    purpose = _purpose(request)
    try:
        record = access_person(request.user, person_id, purpose)
    except Person.DoesNotExist as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc
    editable = {name for category in record.granted for name in PERSON_FIELDS[category]}
    person = Person.objects.get(pk=person_id)
    form = PersonForm(request.POST or None, instance=person, only=editable)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        try:
            update_person(Person.objects.get(pk=person_id), by=request.user, changes=changes)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Dossier mis à jour.")
            return redirect(reverse("web:person_detail", args=[person_id]) + f"?finalite={purpose}")
    return render(
        request,
        "web/person_edit.html",
        {"form": form, "record": record, "purpose": purpose, "page_title": f"Modifier — {record.display_name}"},
    )


@require_POST
def consent_grant(request: HttpRequest, person_id: int) -> HttpResponse:
    purpose = _purpose(request)
    # Reading the file first both checks that the user may act on it and journals the access.
    try:
        record = access_person(request.user, person_id, purpose, {DataCategory.IDENTITY})
    except Person.DoesNotExist as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc
    if not record.can_manage_consents:
        raise PermissionDenied("Vous ne pouvez pas enregistrer de consentement pour cette personne.")
    form = ConsentForm(request.POST, role=request.user.role)
    if form.is_valid() and form.cleaned_data["method"] == ConsentMethod.SMS_CODE:
        data = form.cleaned_data
        try:
            code_request = request_consent_by_sms(
                Person.objects.get(pk=person_id),
                operator=data["operator"],
                categories=data["categories"],
                purposes=data["purposes"],
                valid_until=data["valid_until"],
                by=request.user,
            )
        except (ValidationError, SmsError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.info(request, "Code envoyé par SMS : demandez à la personne de vous le lire.")
            return redirect(reverse("web:consent_code", args=[code_request.pk]) + f"?finalite={purpose}")
    elif form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                grant_consent(
                    Person.objects.get(pk=person_id),
                    operator=data["operator"],
                    categories=data["categories"],
                    purposes=data["purposes"],
                    valid_until=data["valid_until"],
                    method=data["method"],
                    by=request.user,
                )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Consentement enregistré pour {data['operator']}.")
            return redirect(reverse("web:person_detail", args=[person_id]) + f"?finalite={purpose}#consentements")
    return render(
        request,
        "web/consent_form.html",
        {"form": form, "record": record, "purpose": purpose, "page_title": "Enregistrer un consentement"},
        status=400,
    )


def consent_code(request: HttpRequest, request_id: int) -> HttpResponse:
    """Second step of a consent by SMS: the agent types the code the person reads out."""
    code_request = get_object_or_404(ConsentCodeRequest, pk=request_id, created_by=request.user)
    purpose = _purpose(request)
    record = access_person(request.user, code_request.person_id, purpose, {DataCategory.IDENTITY})
    form = ConsentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirm_consent_by_sms(code_request, form.cleaned_data["code"], by=request.user)
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        else:
            messages.success(request, f"Consentement enregistré pour {code_request.operator}.")
            return redirect(
                reverse("web:person_detail", args=[code_request.person_id]) + f"?finalite={purpose}#consentements"
            )
    return render(
        request,
        "web/consent_code.html",
        {
            "form": form,
            "record": record,
            "code_request": code_request,
            "phone_end": code_request.phone[-2:],
            "purpose": purpose,
            "page_title": "Code de consentement",
        },
    )


@require_POST
def consent_revoke(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = get_object_or_404(Consent.objects.select_related("person", "operator"), pk=consent_id)
    purpose = _purpose(request)
    try:
        revoke_consent(consent, by=request.user)
    except PermissionDenied as exc:
        # Same answer as an unknown id: the page must not reveal which consents exist.
        raise Http404("Aucun consentement ne porte ce numéro.") from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Consentement retiré : {consent.operator} n'a plus accès à ces données.")
    return redirect(reverse("web:person_detail", args=[consent.person_id]) + f"?finalite={purpose}#consentements")


def my_data(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    if request.user.role != Role.RESIDENT or person is None:
        raise Http404("Aucun dossier n'est lié à votre compte.")
    return redirect(reverse("web:person_detail", args=[person.pk]) + f"?finalite={Purpose.SELF}")


def territory(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/territory.html",
        {
            "epcis": Epci.objects.annotate(n=Count("communes"), population=Sum("communes__population")),
            "communes": Commune.objects.select_related("epci").order_by("name"),
            "service_points": ServicePoint.objects.select_related("operator", "commune"),
            "operators": Operator.objects.all(),
            "page_title": "Le territoire",
        },
    )


@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/privacy.html",
        {
            "page_title": "Vos données personnelles",
            "categories": CATEGORY_LABELS.values(),
            "purposes": [v for k, v in PURPOSE_LABELS.items() if k is not Purpose.SELF],
        },
    )
