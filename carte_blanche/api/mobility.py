"""Mobility API: the SMS provider's webhook for the drivers' replies, and the territory's offers.

- ``POST /api/v1/mobility/sms-replies``: the provider forwards each SMS a driver sends back
  (« OUI 1234 », « non 1234 »). Authenticated by the shared secret header ``X-CB-SMS-Secret``
  (``settings.SMS_INBOUND_SECRET``, compared in constant time; empty: the endpoint does not exist).
- ``GET /api/v1/mobility/offers``: the other mobility offers of the territory (public).
- ``GET /rides?day=``, ``POST /dispatch``, ``GET /indicators?start=&end=``: the plan of a day (agents, the
  mobility coordinator), running the dispatcher (the coordinator), the aggregate indicators (coordinators).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from carte_blanche.api.schemas import Error
from carte_blanche.consent.access import name_persons
from carte_blanche.consent.categories import Purpose
from carte_blanche.mobility import notices
from carte_blanche.mobility.actions import answer_proposal
from carte_blanche.mobility.dispatching import dispatch_day
from carte_blanche.mobility.indicators import indicators
from carte_blanche.mobility.models import MobilityOffer, Proposal, RideLeg, RideRequest
from carte_blanche.mobility.states import ProposalStatus
from carte_blanche.people.validators import normalise_phone

router = Router(tags=["mobilité"])

SECRET_HEADER = "X-CB-SMS-Secret"
YES = {"OUI", "O", "YES", "Y", "OK"}
NO = {"NON", "N", "NO"}
HELP = "Réponse non comprise : répondez OUI suivi du numéro du trajet (par exemple OUI 1234), ou NON 1234."
UNKNOWN = (
    "Aucun trajet en attente de votre réponse ne porte ce numéro. Vérifiez le numéro, ou répondez par le lien "
    "reçu ou sur votre page « Mes trajets »."
)


class SmsReplyIn(Schema):
    sender: str = Field(..., alias="from", description="Numéro de l'expéditeur (E.164 de préférence : +336…).")
    text: str = Field(..., max_length=1600, description="Texte du SMS reçu, par exemple « OUI 1234 ».")


class SmsReplyOut(Schema):
    status: str = Field(..., description="`accepted`, `declined`, `unknown` (code ou expéditeur inconnu) ou `error`.")
    message: str = Field(..., description="Texte en français, à renvoyer au conducteur si le fournisseur le permet.")


class OfferOut(Schema):
    name: str
    kind: str
    kind_label: str
    provider: str
    description: str
    conditions: str
    price: str
    communes: list[str] = Field(..., description="Codes INSEE des communes desservies (vide : tout le territoire).")
    phone: str
    url: str
    opening_hours: str = Field(..., description="Horaires, syntaxe OpenStreetMap `opening_hours`.")


def parse_reply(text: str) -> tuple[bool | None, int | None]:
    """(accept, code) from a driver's SMS: « OUI 1234 », « non1234 », « 1234 o », « Oui, 1234 merci »."""
    folded = unicodedata.normalize("NFKD", text or "")
    folded = "".join(c for c in folded if not unicodedata.combining(c)).upper()
    codes = re.findall(r"(?<!\d)(\d{4})(?!\d)", folded)
    words = re.findall(r"[A-Z]+", folded)
    answer = None
    for word in words:
        if word in YES:
            answer = True
            break
        if word in NO:
            answer = False
            break
    code = int(codes[0]) if len(codes) == 1 else None
    return answer, code


def _secret_ok(request: HttpRequest, secret: str) -> bool:
    given = request.headers.get(SECRET_HEADER, "")
    return hmac.compare_digest(given.encode(), secret.encode())


@router.post(
    "/sms-replies",
    auth=None,
    response={200: SmsReplyOut, 401: Error, 403: Error, 404: Error},
    summary="Réponse d'un conducteur par SMS (webhook du fournisseur)",
    description=(
        "Le fournisseur de SMS transmet ici chaque SMS reçu d'un conducteur bénévole : "
        '`{"from": "+33612345678", "text": "OUI 1234"}`. L\'appel est authentifié par l\'en-tête '
        "`X-CB-SMS-Secret` (le secret partagé `CB_SMS_INBOUND_SECRET`) ; sans secret configuré, le point "
        "d'accès n'existe pas (404). Le texte est lu sans tenir compte des majuscules, des accents ni des espaces "
        "(OUI, NON, O, N, puis le numéro à 4 chiffres du trajet). La proposition en attente portant ce numéro "
        "et adressée à ce téléphone est acceptée ou refusée, et le conducteur reçoit un accusé par SMS. Un numéro "
        "ou un expéditeur inconnu donne le statut `unknown` (200), sans dire lequel des deux."
    ),
)
def sms_reply(request: HttpRequest, payload: SmsReplyIn):
    secret = getattr(settings, "SMS_INBOUND_SECRET", "")
    if not secret:
        return Status(404, {"code": "not_found", "message": "Ce point d'accès n'est pas activé."})
    if not request.headers.get(SECRET_HEADER):
        return Status(401, {"code": "not_authenticated", "message": "En-tête X-CB-SMS-Secret manquant."})
    if not _secret_ok(request, secret):
        return Status(403, {"code": "access_denied", "message": "Secret partagé invalide."})
    accept, code = parse_reply(payload.text)
    if accept is None or code is None:
        return {"status": "error", "message": HELP}
    try:
        sender = normalise_phone(payload.sender.strip())
    except DjangoValidationError:
        sender = ""
    proposal = (
        Proposal.objects.filter(code=code, status=ProposalStatus.PENDING, driver__phone=sender)
        .select_related("driver__user", "leg__request")
        .first()
        if sender
        else None
    )
    if proposal is None:
        return {"status": "unknown", "message": UNKNOWN}
    try:
        proposal = answer_proposal(proposal, accept=accept, via="sms", by=None)
    except DjangoValidationError as exc:
        return {"status": "error", "message": " ".join(exc.messages)}
    notices.tell_driver_answer(proposal)
    if proposal.status == ProposalStatus.ACCEPTED:
        return {
            "status": "accepted",
            "message": f"Trajet n° {code} accepté, merci ! Le nom et le téléphone du passager sont sur votre page "
            "« Mes trajets ».",
        }
    return {"status": "declined", "message": f"Trajet n° {code} refusé : il est proposé à un autre conducteur. Merci !"}


@router.get(
    "/offers",
    auth=None,
    response=list[OfferOut],
    summary="Autres offres de mobilité du territoire",
    description=(
        "Les offres de mobilité actives du territoire (transport à la demande, lignes de car, garages et "
        "auto-écoles solidaires, prêt de véhicules, covoiturage), avec leurs conditions, leur tarif et les codes "
        "INSEE des communes desservies. Public, sans authentification : aucune donnée de personne."
    ),
)
def list_offers(request: HttpRequest):
    offers = MobilityOffer.objects.filter(active=True).prefetch_related("communes").order_by("kind", "name")
    return [
        {
            "name": offer.name,
            "kind": offer.kind,
            "kind_label": str(offer.get_kind_display()),
            "provider": offer.provider,
            "description": offer.description,
            "conditions": offer.conditions,
            "price": offer.price,
            "communes": sorted(c.insee_code for c in offer.communes.all()),
            "phone": offer.phone,
            "url": offer.url,
            "opening_hours": offer.opening_hours,
        }
        for offer in offers
    ]


# --- The plan, the dispatcher and the indicators (authenticated) ------------------------------


class LegOut(Schema):
    ride_id: int
    leg_id: int
    direction: str
    status: str
    status_label: str
    unservable_reason: str = Field(
        ..., description="`no_vehicle`, `capacity`, `window_too_tight`, `fleet_full` ou vide."
    )
    day: dt.date
    person: str | None = Field(..., description="Nom, si l'appelant peut identifier la personne (journalisé).")
    origin_insee: str
    destination_insee: str
    destination_name: str
    pickup_window: list[dt.datetime]
    dropoff_window: list[dt.datetime]
    planned_pickup: dt.datetime | None
    planned_dropoff: dt.datetime | None
    driver: str | None
    distance_km: float | None


class DispatchIn(Schema):
    day: dt.date


class DispatchOut(Schema):
    day: dt.date
    legs: int
    vehicles: int
    served: int
    unserved: int
    distance_km: float
    seconds: float


class ReasonCount(Schema):
    reason: str
    count: int


class DriverCount(Schema):
    driver_id: int
    name: str
    legs: int
    km: float


class IndicatorsOut(Schema):
    start: dt.date
    end: dt.date
    requests: int
    cancelled: int
    legs: int
    served: int
    waiting: int
    unserved: int
    unserved_by_reason: list[ReasonCount]
    km: float
    per_driver: list[DriverCount]


def _staff(request: HttpRequest) -> None:
    if getattr(request.user, "role", "") not in ("agent", "mobility_coordinator"):
        raise PermissionDenied("Réservé aux agents et au coordinateur mobilité.")


@router.get(
    "/rides",
    response={200: list[LegOut], 403: Error},
    summary="Trajets d'un jour",
    description=(
        "Les trajets (allers et retours) du jour demandé : tous pour le coordinateur mobilité, ceux de sa "
        "structure pour un agent ; l'état, le motif quand aucun conducteur n'est trouvé, l'horaire prévu et le "
        "conducteur. Le nom de la personne n'est donné que si l'appelant peut l'identifier (lecture journalisée)."
    ),
)
def list_rides(request: HttpRequest, day: dt.date):
    _staff(request)
    legs = list(
        RideLeg.objects.filter(request__in=RideRequest.objects.visible_to(request.user), request__day=day)
        .select_related("request__origin_commune", "request__destination_commune", "driver__user")
        .order_by("pickup_earliest", "pk")
    )
    names = name_persons(request.user, [leg.request.person_id for leg in legs], Purpose.MOBILITY, channel="api")
    return [
        {
            "ride_id": leg.request_id,
            "leg_id": leg.pk,
            "direction": leg.direction,
            "status": leg.status,
            "status_label": leg.status_label,
            "unservable_reason": leg.unservable_reason,
            "day": leg.request.day,
            "person": names.get(leg.request.person_id),
            "origin_insee": leg.request.origin_commune.insee_code,
            "destination_insee": leg.request.destination_commune.insee_code,
            "destination_name": leg.request.destination_name,
            "pickup_window": [leg.pickup_earliest, leg.pickup_latest],
            "dropoff_window": [leg.dropoff_earliest, leg.dropoff_latest],
            "planned_pickup": leg.planned_pickup,
            "planned_dropoff": leg.planned_dropoff,
            "driver": str(leg.driver) if leg.driver else None,
            "distance_km": float(leg.distance_km) if leg.distance_km is not None else None,
        }
        for leg in legs
    ]


@router.post(
    "/dispatch",
    response={200: DispatchOut, 403: Error, 422: Error},
    summary="Relancer le répartiteur pour un jour",
    description="Coordinateur mobilité : planifie à nouveau tous les trajets du jour (propositions aux conducteurs).",
)
def run_dispatch(request: HttpRequest, payload: DispatchIn):
    if getattr(request.user, "role", "") != "mobility_coordinator":
        raise PermissionDenied("Réservé au coordinateur mobilité.")
    if payload.day < timezone.localdate():
        return Status(422, {"code": "invalid", "message": "Ce jour est passé : rien à planifier."})
    run = dispatch_day(payload.day, trigger="api", by=request.user)
    return {
        "day": run.day, "legs": run.legs, "vehicles": run.vehicles, "served": run.served,
        "unserved": run.unserved, "distance_km": float(run.distance_km), "seconds": run.seconds,
    }  # fmt: skip


@router.get(
    "/indicators",
    response={200: IndicatorsOut, 403: Error, 422: Error},
    summary="Indicateurs de la mobilité solidaire",
    description=(
        "Sur les trajets datés du `start` au `end` inclus : demandes, trajets assurés, en attente, sans conducteur "
        "(par motif), kilomètres, trajets par conducteur. Chiffres agrégés, sans donnée de personne ; pour le "
        "coordinateur mobilité et le coordinateur du territoire."
    ),
)
def mobility_indicators(request: HttpRequest, start: dt.date, end: dt.date):
    if getattr(request.user, "role", "") not in ("mobility_coordinator", "coordinator"):
        raise PermissionDenied("Réservé aux coordinateurs.")
    if end < start or (end - start).days > 366:
        return Status(422, {"code": "invalid", "message": "Période invalide : un an au plus, la fin après le début."})
    result = indicators(start, end)
    return {
        "start": result.start, "end": result.end, "requests": result.requests, "cancelled": result.cancelled,
        "legs": result.legs, "served": result.served, "waiting": result.waiting, "unserved": result.unserved,
        "unserved_by_reason": [{"reason": k, "count": v} for k, v in sorted(result.unserved_by_reason.items())],
        "km": float(result.km),
        "per_driver": [
            {"driver_id": d.driver_id, "name": d.name, "legs": d.legs, "km": float(d.km)} for d in result.per_driver
        ],
    }  # fmt: skip
