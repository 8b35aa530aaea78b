"""Local job offers: employers and HR advisors publish them, agents find those near a job seeker."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carte_blanche.accounts.models import Role
from carte_blanche.consent.access import access_person
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.jobs.actions import OfferClosed, check_can_manage, employers_managed_by, save_offer, transition
from carte_blanche.jobs.models import JobOffer
from carte_blanche.jobs.nearby import offers_near
from carte_blanche.jobs.states import TRANSITION_LABELS, IllegalTransition, Transition, allowed, is_editable
from carte_blanche.mobility.feasibility import RideCheck, ride_to_work
from carte_blanche.people.models import Person
from carte_blanche.web.employer_choice import chosen_employer
from carte_blanche.web.job_forms import JobOfferForm, JobSearchForm

MANAGERS = (Role.EMPLOYER, Role.HR_ADVISOR)


def _manager(request: HttpRequest) -> None:
    if request.user.role not in MANAGERS:
        raise PermissionDenied("Les offres d'emploi sont gérées par les employeurs et les conseillers RH.")


def _agent(request: HttpRequest) -> None:
    if request.user.role != Role.AGENT:
        raise PermissionDenied("La recherche d'offres près d'une commune est réservée aux agents polyvalents.")


def _offer(offer_id: int) -> JobOffer:
    offer = JobOffer.objects.select_related("employer", "commune").filter(pk=offer_id).first()
    if offer is None:
        raise Http404("Aucune offre d'emploi ne porte ce numéro.")
    return offer


def job_offer_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    employers = employers_managed_by(request.user)
    wanted = request.GET.get("entreprise", "")
    if wanted.isdigit():
        employers = employers.filter(pk=int(wanted))
    offers = JobOffer.objects.filter(employer__in=employers).select_related("employer", "commune")[:200]
    companies = list(employers[:50]) if request.user.role == Role.EMPLOYER or wanted else []
    return render(
        request,
        "web/jobs/list.html",
        {"offers": offers, "companies": companies, "page_title": "Offres d'emploi"},
    )


def job_offer_create(request: HttpRequest) -> HttpResponse:
    _manager(request)
    employers = employers_managed_by(request.user)
    employer = chosen_employer(request, employers, what="dont vous gérez les offres")
    check_can_manage(request.user, employer)
    offer = JobOffer(employer=employer, commune=employer.commune)
    return _edit(request, offer, reverse("web:job_offer_create") + f"?entreprise={employer.pk}")


def job_offer_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    _manager(request)
    offer = _offer(offer_id)
    check_can_manage(request.user, offer.employer)
    if not is_editable(offer.status):
        messages.error(request, "Une offre pourvue ne se modifie plus : publiez une nouvelle offre.")
        return redirect("web:job_offer_detail", offer_id=offer.pk)
    return _edit(request, offer, reverse("web:job_offer_edit", args=[offer.pk]))


def _edit(request: HttpRequest, offer: JobOffer, action: str) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = JobOfferForm(request.POST, instance=offer)
        if form.is_valid():
            try:
                offer = save_offer(request.user, form.save(commit=False))
            except OfferClosed as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Offre enregistrée." if offer.published_at else "Brouillon enregistré.")
            return redirect("web:job_offer_detail", offer_id=offer.pk)
        status = 400
    else:
        form = JobOfferForm(instance=offer)
    title = f"Modifier l'offre « {offer.title} »" if offer.pk else "Nouvelle offre d'emploi"
    return render(
        request,
        "web/jobs/form.html",
        {"form": form, "offer": offer, "employer": offer.employer, "action": action, "page_title": title},
        status=status,
    )


def job_offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _offer(offer_id)
    manages = employers_managed_by(request.user).filter(pk=offer.employer_id).exists()
    # Agents read the offers they may show a job seeker; nobody else reads them here.
    if not manages and (
        request.user.role != Role.AGENT
        or not JobOffer.objects.open_on(timezone.localdate()).filter(pk=offer.pk).exists()
    ):
        raise Http404("Aucune offre d'emploi ne porte ce numéro.")
    transitions = [(t.value, TRANSITION_LABELS[t]) for t in allowed(offer.status)] if manages else []
    return render(
        request,
        "web/jobs/detail.html",
        {
            "offer": offer,
            "manages": manages,
            "editable": manages and is_editable(offer.status),
            "transitions": transitions,
            "page_title": offer.title,
        },
    )


@require_POST
def job_offer_transition(request: HttpRequest, offer_id: int) -> HttpResponse:
    _manager(request)
    offer = _offer(offer_id)
    check_can_manage(request.user, offer.employer)
    raw = request.POST.get("transition", "")
    if raw not in {t.value for t in Transition}:
        raise Http404("Action inconnue.")
    name = Transition(raw)
    try:
        transition(offer, name, by=request.user)
    except IllegalTransition as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = {
            Transition.PUBLISH: "L'offre est publiée : les agents France services la proposent autour de sa commune.",
            Transition.WITHDRAW: "L'offre est retirée : elle n'est plus proposée.",
            Transition.MARK_FILLED: "L'offre est pourvue : elle n'est plus proposée.",
        }
        messages.success(request, done[name])
    return redirect("web:job_offer_detail", offer_id=offer.pk)


@dataclass(frozen=True)
class OfferWithRide:
    """An offer found near the person, with whether a volunteer driver could take them there."""

    offer: JobOffer
    distance_km: float
    rounded_km: int
    ride: RideCheck


def _with_rides(results, origin):
    if not results:
        return results
    return [
        OfferWithRide(item.offer, item.distance_km, item.rounded_km,
                      ride_to_work(origin, item.offer.commune, item.offer.work_schedule.to_dict()))
        for item in results
    ]  # fmt: skip


def _results(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The same view answers the full page and, for HTMX, only the results."""
    context["results"] = _with_rides(context["results"], context["origin"])
    if request.htmx:
        return render(request, "web/jobs/_results.html", context)
    return render(request, template, context)


def job_search(request: HttpRequest) -> HttpResponse:
    _agent(request)
    form = JobSearchForm(request.GET or None)
    results, origin = None, None
    if form.is_valid():
        origin = form.cleaned_data["commune"]
        results = offers_near(origin, today=timezone.localdate(), **form.criteria())
    context = {
        "form": form,
        "results": results,
        "origin": origin,
        "person_name": "",
        "with_commune": True,
        "action": reverse("web:job_search"),
        "page_title": f"Offres d'emploi près de {origin.name}" if origin else "Offres d'emploi près de…",
    }
    return _results(request, "web/jobs/search.html", context)


def job_search_for_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """The same search, centred on the person's commune, read (and journaled) through the access function."""
    try:
        record = access_person(
            request.user, person_id, Purpose.ACCOMPANIMENT, [DataCategory.IDENTITY, DataCategory.CONTACT]
        )
    except Person.DoesNotExist as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc
    _agent(request)
    origin = record.contact["commune"] if record.contact else None
    form = JobSearchForm(request.GET, with_commune=False)
    results = None
    if origin is not None and form.is_valid():
        results = offers_near(origin, today=timezone.localdate(), **form.criteria())
    context = {
        "form": form,
        "results": results,
        "origin": origin,
        "record": record,
        "person_name": record.display_name,
        "with_commune": False,
        "action": reverse("web:job_search_for_person", args=[person_id]),
        "page_title": f"Offres d'emploi près de {origin.name}" if origin else "Offres d'emploi",
    }
    return _results(request, "web/jobs/search.html", context)
