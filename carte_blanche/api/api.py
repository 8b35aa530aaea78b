"""REST API under /api/v1/, OpenAPI at /api/v1/openapi.json and docs at /api/v1/docs.

Person endpoints call the same access function as the web pages: same checks, same journal.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from carte_blanche.accounts.tokens import user_for_token
from carte_blanche.api.schemas import (
    CommuneOut,
    Error,
    OperatorOut,
    PersonOut,
    ProcedureHitOut,
    ProcedureOut,
    ReferralOut,
    SearchHitOut,
    ServicePointOut,
    TransitionIn,
    person_out,
    referral_out,
)
from carte_blanche.catalogue.models import Procedure
from carte_blanche.catalogue.searching import search_procedures
from carte_blanche.consent.access import access_person, name_persons, search_persons
from carte_blanche.consent.categories import Purpose
from carte_blanche.people.models import Person
from carte_blanche.referrals.actions import transition
from carte_blanche.referrals.models import Referral
from carte_blanche.referrals.states import IllegalTransition
from carte_blanche.territory.models import Commune, Operator, ServicePoint


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cb_…`: a personal token created at /comptes/jetons/, acting as its user."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Carte Blanche",
    version="1.0.0",
    description="API des services publics du bassin de Cahors. Les données des personnes ne sont "
    "renvoyées que dans les catégories qu'elles ont accepté de partager, et chaque lecture est journalisée.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api-1.0.0",
)


def _error(request, code: str, message: str, status: int):
    return api.create_response(request, {"code": code, "message": message}, status=status)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _error(request, "access_denied", str(exc) or "Accès refusé.", 403)


@api.exception_handler(Person.DoesNotExist)
def person_not_found(request, exc):
    return _error(request, "not_found", "Aucun dossier ne porte ce numéro.", 404)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    return _error(request, "not_authenticated", "Connectez-vous pour utiliser l'API.", 401)


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    fields = sorted({".".join(str(p) for p in e.get("loc", [])[1:]) or "requête" for e in exc.errors})
    return _error(request, "invalid_input", "Paramètres invalides : " + ", ".join(fields) + ".", 422)


api.add_router("/rights", "carte_blanche.api.rights.router")
api.add_router("/hiring", "carte_blanche.api.hiring.router")
api.add_router("/mobility", "carte_blanche.api.mobility.router")
api.add_router("/operator", "carte_blanche.api.operator.router")


def _purpose(raw: str) -> Purpose:
    try:
        return Purpose(raw)
    except ValueError as exc:
        raise PermissionDenied(f"Finalité inconnue : {raw}.") from exc


@api.get("/communes", response=list[CommuneOut], tags=["territoire"])
def list_communes(request: HttpRequest):
    return [
        CommuneOut(
            insee_code=c.insee_code,
            name=c.name,
            epci_siren=c.epci.siren,
            epci_name=c.epci.name,
            population=c.population,
            postal_codes=c.postal_codes,
            lat=c.lat,
            lon=c.lon,
        )
        for c in Commune.objects.select_related("epci").defer("geometry")
    ]


@api.get("/operators", response=list[OperatorOut], tags=["territoire"])
def list_operators(request: HttpRequest):
    return list(Operator.objects.all())


@api.get("/service-points", response=list[ServicePointOut], tags=["territoire"])
def list_service_points(request: HttpRequest):
    return [
        ServicePointOut(
            name=sp.name,
            operator=sp.operator.slug,
            commune_insee=sp.commune.insee_code,
            address=sp.address,
            lat=sp.lat,
            lon=sp.lon,
            opening_hours=sp.opening_hours,
        )
        for sp in ServicePoint.objects.select_related("operator", "commune")
    ]


def _procedure_out(p: Procedure) -> ProcedureOut:
    return ProcedureOut(
        slug=p.slug,
        title=p.title,
        theme=p.theme.slug,
        operator=p.operator.slug,
        audience=p.audience,
        documents=p.documents,
        online_url=p.online_url,
        cerfa=p.cerfa,
        typical_delay=p.typical_delay,
        on_the_spot=p.on_the_spot,
        benefits=p.benefits,
        keywords=p.keywords,
        version=p.version,
        is_active=p.is_active,
    )


@api.get("/procedures", response=list[ProcedureHitOut], auth=None, tags=["démarches"])
def find_procedures(request: HttpRequest, q: str = Query(..., min_length=2, max_length=100), limit: int = 20):
    """Search the procedures catalogue in French (accents, plurals, small typos)."""
    hits = search_procedures(q, limit=max(1, min(limit, 50)))
    return [ProcedureHitOut(score=round(h.score, 4), procedure=_procedure_out(h.procedure)) for h in hits]


@api.get("/procedures/{slug}", response={200: ProcedureOut, 404: Error}, auth=None, tags=["démarches"])
def get_procedure(request: HttpRequest, slug: str):
    procedure = Procedure.objects.select_related("theme", "operator").filter(slug=slug).first()
    if procedure is None:
        return Status(404, {"code": "not_found", "message": "Aucune démarche ne porte cet identifiant."})
    return _procedure_out(procedure)


@api.get("/persons", response={200: list[SearchHitOut], 403: Error}, tags=["personnes"])
def find_persons(
    request: HttpRequest, q: str = Query(..., min_length=2, max_length=100), purpose: str = "accompaniment"
):
    """Persons matching ``q`` whose identity the caller may read for ``purpose``."""
    hits = search_persons(request.user, q, _purpose(purpose), channel="api")
    return [
        SearchHitOut(
            id=h.person_id,
            first_names=h.first_names,
            last_name=h.last_name,
            birth_date=h.birth_date,
            commune=h.commune_name,
        )
        for h in hits
    ]


@api.get("/persons/{person_id}", response={200: PersonOut, 403: Error, 404: Error}, tags=["personnes"])
def get_person(request: HttpRequest, person_id: int, purpose: str):
    """The categories of one person's file the caller may read for ``purpose``; the read is journaled."""
    return person_out(access_person(request.user, person_id, _purpose(purpose), channel="api"))


def _visible_referrals(request):
    if request.user.role not in ("agent", "partner_referent"):
        raise PermissionDenied("Votre rôle ne donne pas accès aux orientations.")
    return (
        Referral.objects.visible_to(request.user)
        .select_related("operator", "structure", "procedure")
        .prefetch_related("messages")
    )


@api.get("/referrals", response={200: list[ReferralOut], 403: Error}, tags=["orientations"])
def list_referrals(request: HttpRequest, status: str | None = None, overdue: bool = False):
    """Referrals of the caller's operator (partner) or structure (agent), by deadline."""
    referrals = _visible_referrals(request)
    if status:
        referrals = referrals.filter(status=status)
    if overdue:
        referrals = referrals.overdue(timezone.localdate())
    referrals = list(referrals.order_by("deadline", "id")[:500])
    names = name_persons(request.user, [r.person_id for r in referrals], Purpose.REFERRAL, channel="api")
    return [referral_out(r, names) for r in referrals]


@api.get("/referrals/{referral_id}", response={200: ReferralOut, 403: Error, 404: Error}, tags=["orientations"])
def get_referral(request: HttpRequest, referral_id: int):
    referral = _visible_referrals(request).filter(pk=referral_id).first()
    if referral is None:
        return Status(404, {"code": "not_found", "message": "Aucune orientation ne porte ce numéro."})
    names = name_persons(request.user, [referral.person_id], Purpose.REFERRAL, channel="api")
    return referral_out(referral, names)


@api.post(
    "/referrals/{referral_id}/transitions",
    response={200: ReferralOut, 403: Error, 404: Error, 409: Error, 422: Error},
    tags=["orientations"],
)
def referral_transition(request: HttpRequest, referral_id: int, payload: TransitionIn):
    """Accept, request information, refuse, answer (partners) or provide information, close (agents)."""
    referral = _visible_referrals(request).filter(pk=referral_id).first()
    if referral is None:
        return Status(404, {"code": "not_found", "message": "Aucune orientation ne porte ce numéro."})
    try:
        transition(referral, payload.transition, by=request.user, text=payload.text)
    except IllegalTransition as exc:
        return Status(409, {"code": "illegal_transition", "message": str(exc)})
    except ValueError:
        return Status(422, {"code": "invalid_input", "message": f"Action inconnue : {payload.transition}."})
    except DjangoValidationError as exc:
        return Status(422, {"code": "invalid_input", "message": " ".join(exc.messages)})
    return get_referral(request, referral_id)
