"""The header menu, per role: each role sees the screens it can use."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from carte_blanche.accounts.models import Role

PERSON_READERS = {Role.AGENT, Role.PARTNER_REFERENT, Role.MOBILITY_COORDINATOR}


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def items_for(request) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    entries = [("Accueil", reverse("web:home"))]
    if user.role in PERSON_READERS:
        entries.append(("Personnes", reverse("web:person_search")))
    if user.role == Role.AGENT:
        entries.append(("Ouvrir un dossier", reverse("web:person_create")))
        entries.append(("Enregistrer une visite", reverse("web:visit_create")))
    if user.role == Role.RESIDENT and getattr(user, "person", None) is not None:
        entries.append(("Mes données", reverse("web:my_data")))
    if user.role in (Role.AGENT, Role.PARTNER_REFERENT):
        entries.append(("Orientations", reverse("web:referral_inbox")))
        entries.append(("Rendez-vous", reverse("web:appointment_list")))
    if user.role == Role.AGENT:
        entries.append(("Courriers et appels", reverse("web:notification_list")))
        entries.append(("Offres d'emploi", reverse("web:job_search")))
        entries.append(("Mobilité", reverse("web:mobility_plan")))
    if user.role == Role.MOBILITY_COORDINATOR:
        entries.append(("Planning des trajets", reverse("web:mobility_plan")))
        entries.append(("Conducteurs", reverse("web:mobility_drivers")))
        entries.append(("Indicateurs", reverse("web:mobility_indicators")))
        entries.append(("Offres de mobilité", reverse("web:mobility_offers")))
    if user.role == Role.EMPLOYER:
        entries.append(("Mes questions RH", reverse("web:hrdesk_question_list")))
    if user.role == Role.HR_ADVISOR:
        entries.append(("Questions RH", reverse("web:hrdesk_question_list")))
        entries.append(("Réponses types", reverse("web:hrdesk_library")))
    if user.role in (Role.EMPLOYER, Role.HR_ADVISOR):
        entries.append(("Simuler une embauche", reverse("web:hiring_simulator")))
        entries.append(("Contrats de travail", reverse("web:contract_list")))
        entries.append(("Offres d'emploi", reverse("web:job_offer_list")))
    if user.role == Role.HR_ADVISOR:
        entries.append(("Délais de réponse", reverse("web:hrdesk_stats")))
    if user.role == Role.VOLUNTEER_DRIVER:
        entries.append(("Mes trajets", reverse("web:driver_rides")))
        entries.append(("Mes disponibilités", reverse("web:driver_availability")))
    if user.role == Role.COORDINATOR:
        entries.append(("Tournée du bus", reverse("web:tour_plans")))
        entries.append(("Systèmes des organismes", reverse("web:operator_client_list")))
        entries.append(("Webhooks", reverse("web:webhook_list")))
    if user.role == Role.PARTNER_REFERENT:
        entries.append(("Mises à jour de dossiers", reverse("web:partner_updates")))
    if user.role == Role.AGENT:
        entries.append(("Bus France services", reverse("web:bus_tour")))
    entries.append(("Démarches", reverse("web:procedure_search")))
    entries.append(("Territoire", reverse("web:territory")))
    path = request.path
    home = reverse("web:home")
    return [NavItem(label, url, path == url if url == home else path.startswith(url)) for label, url in entries]
