"""Operator API: an operator's own system calls /api/v1/operator/ with its own credentials.

``Authorization: Bearer <client_id>.<secret>`` (created by a coordinator at /integrations/clients/).
The system acts as its service account (a partner referent of its operator), so each read goes
through ``consent.access`` like the pages: no consent, no data; every read and refusal is journaled,
naming the calling system. The client is further limited to its purposes and categories.
See docs/operator-api.md.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Body, Field, Query, Router, Schema, Status
from ninja.security import HttpBearer

from carte_blanche.api.schemas import (
    Error,
    PersonOut,
    ReferralOut,
    person_out,
    referral_out,
)
from carte_blanche.consent.access import AccessDenied, access_person, name_persons
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent
from carte_blanche.operator_api import ratelimit
from carte_blanche.operator_api.actions import (
    NotSource,
    OutOfScope,
    authenticate,
    find_by_identifier,
    push_update,
    set_file_number,
)
from carte_blanche.operator_api.models import OperatorClient
from carte_blanche.people.models import Person
from carte_blanche.referrals.models import Referral

ERRORS = """

Erreurs (JSON `{"code": "…", "message": "…"}`, message en français) :
`401 not_authenticated` (identifiants absents, inconnus, expirés ou système révoqué),
`403 access_denied` (pas de consentement actif de la personne pour votre organisme,
ou catégorie hors du périmètre du système),
`403 purpose_not_allowed` (finalité hors du périmètre du système),
`403 not_source` (votre organisme n'est pas la source de cette catégorie),
`404 not_found`, `422 invalid_input` (champs en erreur dans `fields`),
`429 rate_limited` (en-tête `Retry-After` : secondes avant la prochaine fenêtre)."""


class OperatorAuthFailed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


_handlers_installed = False


def _install_error_handlers() -> None:
    """Authentication runs before the view: its failures go through the API's exception handlers.
    Registered on first use (importing the API object here at import time would be circular)."""
    global _handlers_installed
    if _handlers_installed:
        return
    from carte_blanche.api.api import api

    def auth_failed(request, exc):
        return api.create_response(request, {"code": "not_authenticated", "message": exc.message}, status=401)

    def rate_limited(request, exc):
        response = api.create_response(
            request,
            {
                "code": "rate_limited",
                "message": f"Trop d'appels pour ce système : réessayez dans {exc.retry_after} secondes.",
            },
            status=429,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response

    api.add_exception_handler(OperatorAuthFailed, auth_failed)
    api.add_exception_handler(RateLimited, rate_limited)
    _handlers_installed = True


class OperatorClientAuth(HttpBearer):
    """`Authorization: Bearer <client_id>.<secret>`: an operator's system, acting as its service account."""

    def authenticate(self, request, token):
        _install_error_handlers()
        client, reason = authenticate(token)
        if client is None:
            raise OperatorAuthFailed(reason)
        retry_after = ratelimit.hit(client.pk, client.rate_per_minute)
        if retry_after is not None:
            raise RateLimited(retry_after)
        request.user = client.service_user
        request.operator_client = client
        return client


router = Router(auth=OperatorClientAuth(), tags=["systèmes des organismes"])


class FieldErrors(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


class LookupOut(Schema):
    id: int = Field(..., description="Identifiant de la personne sur la plateforme.")
    purpose: str
    granted_categories: list[str]


class PushOut(Schema):
    id: int
    category: str
    changed_fields: list[str] = Field(..., description="Les champs dont la valeur a changé (jamais les valeurs).")


class FileNumberIn(Schema):
    number: str = Field(..., max_length=40, description="Votre numéro de dossier (numéro allocataire…).")


class FileNumberOut(Schema):
    id: int
    number: str


COMMON = {401: Error, 429: Error}


def _client(request) -> OperatorClient:
    return request.operator_client


def _err(status: int, code: str, message: str, **extra):
    return Status(status, {"code": code, "message": message, **extra})


def _purpose(client: OperatorClient, raw: str | None) -> Purpose | None:
    try:
        purpose = Purpose(raw)
    except ValueError:
        return None
    return purpose if purpose.value in client.purposes else None


def _purpose_refused(client: OperatorClient, raw: str):
    allowed = ", ".join(client.purposes)
    return _err(
        403, "purpose_not_allowed", f"Finalité « {raw} » hors du périmètre de ce système (autorisées : {allowed})."
    )


def _journal_refusal(client: OperatorClient, person_id: int, purpose: str, reason: str, **details) -> None:
    record(
        JournalEvent.PERSON_READ_REFUSED,
        actor=client.service_user,
        person=Person.objects.filter(pk=person_id).only("pk").first(),
        operator=client.operator,
        purpose=purpose if purpose in Purpose._value2member_map_ else "",
        details={
            "channel": "api",
            "client": client.client_id,
            "requested_person_id": person_id,
            "reason": reason,
            **details,
        },
    )


@router.get(
    "/persons",
    response={200: LookupOut, 403: Error, 404: Error, 422: Error, **COMMON},
    summary="Retrouver une personne par son NIR ou votre numéro de dossier",
    description="Renvoie l'identifiant de la plateforme et les catégories accordées, seulement si la personne a "
    "donné son identité à votre organisme pour l'une des finalités du système (ou pour `purpose`). Sinon 404, "
    "la même réponse que pour un numéro inconnu : l'API ne révèle pas qui a un dossier. Chaque recherche est "
    "journalisée, réussie ou non (jamais le numéro cherché)." + ERRORS,
)
def lookup_person(
    request: HttpRequest,
    nir: str = Query("", max_length=20),
    file_number: str = Query("", max_length=40),
    purpose: str | None = None,
):
    client = _client(request)
    if bool(nir) == bool(file_number):
        return _err(422, "invalid_input", "Donnez soit `nir`, soit `file_number`.")
    if purpose and _purpose(client, purpose) is None:
        return _purpose_refused(client, purpose)
    person, chosen = find_by_identifier(client, nir=nir, file_number=file_number, purpose=purpose)
    if person is None:
        return _err(404, "not_found", "Aucune personne ne correspond à ce numéro pour votre organisme.")
    rec = access_person(request.user, person.pk, chosen, client.categories, channel="api")
    return LookupOut(id=rec.person_id, purpose=rec.purpose.value, granted_categories=sorted(rec.granted))


@router.get(
    "/persons/{person_id}",
    response={200: PersonOut, 403: Error, 404: Error, **COMMON},
    summary="Lire le dossier d'une personne",
    description="Les catégories du périmètre du système que la personne a accepté de partager avec votre "
    "organisme pour `purpose` ; les autres sont absentes. La lecture (ou le refus) est journalisée au nom du "
    "système." + ERRORS,
)
def get_person(request: HttpRequest, person_id: int, purpose: str):
    client = _client(request)
    chosen = _purpose(client, purpose)
    if chosen is None:
        _journal_refusal(client, person_id, purpose, "finalité hors du périmètre du système")
        return _purpose_refused(client, purpose)
    try:
        rec = access_person(request.user, person_id, chosen, client.categories, channel="api")
    except Person.DoesNotExist:
        return _err(404, "not_found", "Aucun dossier ne porte ce numéro.")
    except AccessDenied as exc:
        return _err(403, "access_denied", str(exc))
    return person_out(rec)


@router.put(
    "/persons/{person_id}/file-number",
    response={200: FileNumberOut, 403: Error, 404: Error, 422: FieldErrors, **COMMON},
    summary="Enregistrer votre numéro de dossier pour une personne",
    description="Pour la retrouver ensuite par `GET /operator/persons?file_number=`. Il faut le consentement "
    "actif de la personne à votre organisme pour son identité." + ERRORS,
)
def put_file_number(request: HttpRequest, person_id: int, payload: FileNumberIn):
    client = _client(request)
    person = Person.objects.filter(pk=person_id).first()
    if person is None or DataCategory.IDENTITY.value not in client.categories:
        reason = "personne inconnue" if person is None else "identité hors du périmètre du système"
        _journal_refusal(client, person_id, "", reason, action="file_number")
        if person is None:
            return _err(404, "not_found", "Aucun dossier ne porte ce numéro.")
        return _err(403, "purpose_not_allowed", "Ce système n'a pas l'identité dans son périmètre.")
    try:
        row = set_file_number(person, client.operator, payload.number, by=request.user)
    except PermissionDenied as exc:
        _journal_refusal(client, person_id, "", str(exc), action="file_number")
        return _err(403, "access_denied", str(exc))
    except DjangoValidationError as exc:
        return _err(422, "invalid_input", "Numéro refusé.", fields=exc.message_dict)
    return FileNumberOut(id=person.pk, number=row.number)


@router.patch(
    "/persons/{person_id}/{category}",
    response={200: PushOut, 403: Error, 404: Error, 422: FieldErrors, **COMMON},
    summary="Transmettre une mise à jour d'une catégorie dont votre organisme est la source",
    description="Corps : les champs à modifier et leur nouvelle valeur, par exemple "
    '`{"monthly_resources": "612.50", "housing_status": "tenant"}`. CAF : `household_income` (housing_status, '
    "monthly_rent, monthly_resources, resources_description) ; CPAM : `health_autonomy` (health_insurance, "
    "has_complementary_health) ; MSA : les deux. Il faut le consentement actif de la personne à votre "
    "organisme pour cette catégorie et la finalité `case_management`. Journalisé (noms des champs, jamais les "
    "valeurs) ; les autres organismes qui ont le consentement de la personne en sont informés." + ERRORS,
)
def push_person(request: HttpRequest, person_id: int, category: str, changes: Body[dict[str, Any]]):
    client = _client(request)
    if category not in DataCategory._value2member_map_:
        return _err(404, "not_found", f"Catégorie inconnue : {category}.")
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        _journal_refusal(client, person_id, "case_management", "personne inconnue", action="update")
        return _err(404, "not_found", "Aucun dossier ne porte ce numéro.")
    try:
        changed = push_update(client, person, category, changes)
    except NotSource as exc:
        return _err(403, "not_source", str(exc))
    except OutOfScope as exc:
        return _err(403, exc.code, str(exc))
    except PermissionDenied as exc:
        return _err(403, "access_denied", str(exc))
    except DjangoValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"requête": exc.messages}
        return _err(422, "invalid_input", "Valeurs invalides : " + ", ".join(sorted(fields)) + ".", fields=fields)
    return PushOut(id=person.pk, category=category, changed_fields=changed)


def _referrals(request):
    client = _client(request)
    if Purpose.REFERRAL.value not in client.purposes:
        return None
    return (
        Referral.objects.visible_to(request.user)
        .filter(operator_id=client.operator_id)
        .select_related("operator", "structure", "procedure")
        .prefetch_related("messages")
    )


def _names(request, person_ids) -> dict[int, str]:
    if DataCategory.IDENTITY.value not in _client(request).categories:
        return {}
    return name_persons(request.user, person_ids, Purpose.REFERRAL, channel="api")


REFERRAL_SCOPE = "Ce système n'a pas la finalité « referral » : il ne lit pas les orientations."


@router.get(
    "/referrals",
    response={200: list[ReferralOut], 403: Error, **COMMON},
    summary="Les orientations adressées à votre organisme",
    description="Par échéance (500 au plus). Le nom, l'identifiant de la personne et les messages ne figurent "
    "que si la personne a donné son identité à votre organisme pour le traitement des orientations ; chaque nom "
    "montré est journalisé. Filtres : `status`, `overdue`." + ERRORS,
)
def list_referrals(request: HttpRequest, status: str | None = None, overdue: bool = False):
    referrals = _referrals(request)
    if referrals is None:
        return _err(403, "purpose_not_allowed", REFERRAL_SCOPE)
    if status:
        referrals = referrals.filter(status=status)
    if overdue:
        referrals = referrals.overdue(timezone.localdate())
    referrals = list(referrals.order_by("deadline", "id")[:500])
    names = _names(request, [r.person_id for r in referrals])
    return [referral_out(r, names) for r in referrals]


@router.get(
    "/referrals/{referral_id}",
    response={200: ReferralOut, 403: Error, 404: Error, **COMMON},
    summary="Une orientation adressée à votre organisme",
    description="404 pour une orientation adressée à un autre organisme." + ERRORS,
)
def get_referral(request: HttpRequest, referral_id: int):
    referrals = _referrals(request)
    if referrals is None:
        return _err(403, "purpose_not_allowed", REFERRAL_SCOPE)
    referral = referrals.filter(pk=referral_id).first()
    if referral is None:
        return _err(404, "not_found", "Aucune orientation ne porte ce numéro.")
    return referral_out(referral, _names(request, [referral.person_id]))
