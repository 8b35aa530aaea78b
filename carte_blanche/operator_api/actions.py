"""Operators' systems: credentials (create, rotate, revoke), authentication, pushed updates.

Credentials are managed by the territory's coordinators. They are not journaled in the access
journal (no person is concerned, and ``JournalEvent`` has no event for them): the client row keeps
who created and who revoked it, and when; each secret keeps its creation and end.

A calling system reads persons as its ``service_user`` through ``consent.access``: the rules, the
consents and the journal are those of the pages. It may also push the values of the fields its
operator is the source of (``SOURCE_FIELDS``), under the person's consent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carte_blanche.accounts.models import Role, User
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.consent.models import Consent
from carte_blanche.consent.policy import ROLE_PURPOSES
from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent
from carte_blanche.operator_api.models import ClientSecret, OperatorClient, OperatorFileNumber
from carte_blanche.people.models import Person

CLIENT_PREFIX = "cbc_"
# A rotation keeps the previous secret valid this long, so the operator can switch without downtime.
ROTATION_GRACE = dt.timedelta(hours=24)

# The purposes a system may be scoped to: those of a partner referent (its service user's role).
ALLOWED_PURPOSES: tuple[Purpose, ...] = ROLE_PURPOSES["partner_referent"]
# The categories a system may be scoped to: those the API returns (documents are not served by it).
ALLOWED_CATEGORIES: tuple[DataCategory, ...] = (
    DataCategory.IDENTITY,
    DataCategory.CONTACT,
    DataCategory.HOUSEHOLD_INCOME,
    DataCategory.HEALTH_AUTONOMY,
)
# The purpose under which an operator pushes the values it is the source of.
PUSH_PURPOSE = Purpose.CASE_MANAGEMENT

_HOUSEHOLD_INCOME = ("housing_status", "monthly_rent", "monthly_resources", "resources_description")
_HEALTH_INSURANCE = ("health_insurance", "has_complementary_health")

# Source of truth: which fields an operator may push, keyed by the prefix of its slug (``caf-lot`` → ``caf``).
# The slug names the institution whatever the department (caf-lot, caf-tarn…); ``OperatorKind`` does not:
# the CAF, the CPAM and the MSA are all ``social_security``.
SOURCE_FIELDS: dict[str, dict[DataCategory, tuple[str, ...]]] = {
    # Family benefits: the household, housing and resources it pays on.
    "caf": {DataCategory.HOUSEHOLD_INCOME: _HOUSEHOLD_INCOME},
    # Health insurance: affiliation and complementary health (C2S).
    "cpam": {DataCategory.HEALTH_AUTONOMY: _HEALTH_INSURANCE},
    # The agricultural scheme pays both family benefits and health insurance to its members.
    "msa": {DataCategory.HOUSEHOLD_INCOME: _HOUSEHOLD_INCOME, DataCategory.HEALTH_AUTONOMY: _HEALTH_INSURANCE},
}


class NotSource(PermissionDenied):
    """The operator is not the source of that category: it may read it (with consent), never write it."""


class OutOfScope(PermissionDenied):
    """The category or purpose is outside the calling system's scope (``code`` for the API)."""

    def __init__(self, message: str, code: str = "access_denied"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Credentials:
    client: OperatorClient
    secret: ClientSecret


def source_fields(operator) -> dict[DataCategory, tuple[str, ...]]:
    """The fields this operator is the source of, per category (empty: it pushes nothing)."""
    prefix = (operator.slug or "").split("-", 1)[0].lower()
    return SOURCE_FIELDS.get(prefix, {})


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_coordinator(by) -> None:
    if not (by is not None and by.is_authenticated and by.is_active and by.role == Role.COORDINATOR):
        raise PermissionDenied("Seul un coordinateur du territoire gère les systèmes des organismes.")


def _new_secret(client: OperatorClient) -> str:
    secret = secrets.token_urlsafe(32)
    ClientSecret.objects.create(client=client, secret_hash=_hash(secret))
    return f"{client.client_id}.{secret}"


def _validate_scope(name: str, purposes, categories) -> tuple[str, list[str], list[str]]:
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = "Donnez le nom du système qui appellera l'API (par exemple « Logiciel de gestion CAF »)."
    elif len(name) > 100:
        errors["name"] = "Le nom du système compte au plus 100 caractères."
    allowed_p = {p.value for p in ALLOWED_PURPOSES}
    allowed_c = {c.value for c in ALLOWED_CATEGORIES}
    purposes = sorted({str(p) for p in purposes or []})
    categories = sorted({str(c) for c in categories or []})
    if not purposes:
        errors["purposes"] = "Choisissez au moins une finalité."
    elif not set(purposes) <= allowed_p:
        errors["purposes"] = "Finalité non autorisée pour un organisme partenaire."
    if not categories:
        errors["categories"] = "Choisissez au moins une catégorie de données."
    elif not set(categories) <= allowed_c:
        errors["categories"] = "Catégorie de données inconnue ou non servie par l'API."
    if errors:
        raise ValidationError(errors)
    return name, purposes, categories


def create_client(operator, name: str, purposes, categories, *, by) -> tuple[OperatorClient, str]:
    """Register a calling system of ``operator``; returns the client and its credential, shown only this once."""
    _check_coordinator(by)
    name, purposes, categories = _validate_scope(name, purposes, categories)
    if operator is None:
        raise ValidationError({"operator": "Choisissez l'organisme."})
    with transaction.atomic():
        client_id = CLIENT_PREFIX + secrets.token_hex(8)
        user = User(
            username=f"systeme-{client_id}",
            role=Role.PARTNER_REFERENT,
            operator=operator,
            first_name=name[:150],
            is_active=True,
        )
        user.set_unusable_password()
        user.save()
        client = OperatorClient.objects.create(
            operator=operator,
            name=name,
            client_id=client_id,
            purposes=purposes,
            categories=categories,
            service_user=user,
            created_by=by,
        )
        credential = _new_secret(client)
    return client, credential


def rotate_secret(client: OperatorClient, *, by) -> str:
    """A new secret; the previous one stays valid for 24 hours. Returns the new credential, shown once."""
    _check_coordinator(by)
    with transaction.atomic():
        client = OperatorClient.objects.select_for_update().get(pk=client.pk)
        if client.revoked_at is not None:
            raise PermissionDenied("Ce système est révoqué : enregistrez-en un nouveau.")
        client.secrets.filter(expires_at__isnull=True).update(expires_at=timezone.now() + ROTATION_GRACE)
        return _new_secret(client)


def revoke_client(client: OperatorClient, *, by) -> OperatorClient:
    """End the system's access at once: every secret, and its service account."""
    _check_coordinator(by)
    with transaction.atomic():
        client = OperatorClient.objects.select_for_update().get(pk=client.pk)
        now = timezone.now()
        if client.revoked_at is None:
            client.revoked_at = now
            client.revoked_by = by
            client.save(update_fields=["revoked_at", "revoked_by"])
        client.secrets.valid(now).update(expires_at=now)
        User.objects.filter(pk=client.service_user_id).update(is_active=False)
    return client


def authenticate(credential: str) -> tuple[OperatorClient | None, str]:
    """The active client behind ``<client_id>.<secret>``, or None and the reason (French)."""
    client_id, _, secret = (credential or "").strip().partition(".")
    if not client_id.startswith(CLIENT_PREFIX) or not secret:
        return None, "Identifiants absents ou mal formés : envoyez « Authorization: Bearer <client_id>.<secret> »."
    client = OperatorClient.objects.select_related("operator", "service_user").filter(client_id=client_id).first()
    if client is None:
        return None, "Identifiants inconnus."
    digest = _hash(secret)
    now = timezone.now()
    found = None
    for row in client.secrets.all():
        if hmac.compare_digest(row.secret_hash, digest):
            found = row
    # Whether a system is revoked or a secret expired is only told to whoever holds its secret.
    if found is None:
        return None, "Identifiants inconnus."
    if client.revoked_at is not None or not client.service_user.is_active:
        return None, "Ce système a été révoqué par la coordination du territoire."
    if found.expires_at is not None and found.expires_at <= now:
        return None, "Ce secret a expiré : utilisez le secret remis lors du dernier renouvellement."
    if found.last_used_at is None or now - found.last_used_at > dt.timedelta(minutes=1):
        ClientSecret.objects.filter(pk=found.pk).update(last_used_at=now)
    return client, ""


def _consents(person_id: int, operator_id: int, category: DataCategory, purposes) -> bool:
    return (
        Consent.objects.active()
        .filter(person_id=person_id, operator_id=operator_id, category=category, purpose__in=list(purposes))
        .exists()
    )


def _refuse(client: OperatorClient, person, reason: str, details: dict) -> None:
    record(
        JournalEvent.PERSON_READ_REFUSED,
        actor=client.service_user,
        person=person,
        operator=client.operator,
        purpose=details.pop("purpose", ""),
        details={"channel": "api", "client": client.client_id, "reason": reason, **details},
    )


def find_by_identifier(client: OperatorClient, *, nir: str = "", file_number: str = "", purpose=None):
    """The person behind a NIR or this operator's file number, when they gave this operator their
    identity for ``purpose`` (or for one of the client's purposes). Returns ``(person, purpose)`` or
    ``(None, None)``; unknown and not consented are the same answer. A refusal is journaled (never the
    identifier itself: it is personal data)."""
    kind = "nir" if nir else "file_number"
    purposes = [Purpose(purpose)] if purpose else [Purpose(p) for p in client.purposes]
    person = None
    if nir:
        normalised = nir.replace(" ", "").upper()
        person = Person.objects.filter(nir=normalised).first() if normalised else None
    elif file_number:
        row = OperatorFileNumber.objects.filter(operator=client.operator, number=file_number.strip()).first()
        person = row.person if row else None
    if person is not None and DataCategory.IDENTITY.value in client.categories:
        for p in purposes:
            if _consents(person.pk, client.operator_id, DataCategory.IDENTITY, [p]):
                return person, p
    reason = "personne inconnue" if person is None else "aucun consentement actif pour cet organisme et cette finalité"
    _refuse(client, person, reason, {"lookup": kind, "purposes": [p.value for p in purposes]})
    return None, None


def push_update(client: OperatorClient, person: Person, category, changes: dict) -> list[str]:
    """Write the values this operator is the source of; returns the names of the changed fields.

    Requires: the operator is the source of ``category``; the client is scoped to it and to case
    management; the person gave this operator an active consent for that category and case management.
    Journaled as ``person_updated`` (names only, never values) with the system as actor, then told to the
    other operators holding a consent (tell-us-once).
    """
    if client.revoked_at is not None or not client.service_user.is_active:
        raise PermissionDenied("Ce système a été révoqué par la coordination du territoire.")
    category = DataCategory(category)
    allowed = source_fields(client.operator).get(category)
    if not allowed:
        raise NotSource(
            f"{client.operator.name} n'est pas la source des données « {category.label} » : "
            "il peut les lire avec le consentement de la personne, pas les modifier."
        )
    if PUSH_PURPOSE.value not in client.purposes:
        raise OutOfScope(
            f"Ce système n'a pas la finalité « {PUSH_PURPOSE.label} » : il ne transmet pas de mise à jour.",
            code="purpose_not_allowed",
        )
    if category.value not in client.categories:
        raise OutOfScope(f"Les données « {category.label} » sont hors du périmètre de ce système.")
    if not isinstance(changes, dict) or not changes:
        raise ValidationError({"requête": "Envoyez au moins un champ à modifier."})
    not_sourced = f"Ce champ n'est pas transmis par {client.operator.short_name} dans cette catégorie."
    errors = dict.fromkeys(sorted(set(changes) - set(allowed)), not_sourced)
    for name, value in changes.items():
        if name not in errors and not (value is None or isinstance(value, str | int | float | bool)):
            errors[name] = "Valeur attendue : un texte, un nombre, vrai/faux ou null."
    if errors:
        raise ValidationError(errors)
    changed = None
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        # Checked with the file locked, just before writing: a consent withdrawn a moment ago counts.
        if _consents(person.pk, client.operator_id, category, [PUSH_PURPOSE]):
            changed = _apply(client, person, category, changes)
    if changed is None:
        _refuse(
            client,
            person,
            "aucun consentement actif pour cet organisme et cette finalité",
            {"action": "update", "category": category.value, "purpose": PUSH_PURPOSE.value},
        )
        raise PermissionDenied(
            "La personne n'a pas donné son accord à votre organisme pour ces données : mise à jour refusée."
        )
    return changed


def _apply(client: OperatorClient, person: Person, category: DataCategory, changes: dict) -> list[str]:
    """Validate and save (inside the caller's transaction), journal, tell the others."""
    before = {name: getattr(person, name) for name in changes}
    for name, value in changes.items():
        setattr(person, name, value)
    others = [f.name for f in Person._meta.concrete_fields if f.name not in changes]
    person.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    changed = sorted(name for name in changes if getattr(person, name) != before[name])
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    record(
        JournalEvent.PERSON_UPDATED,
        actor=client.service_user,
        person=person,
        operator=client.operator,
        purpose=PUSH_PURPOSE,
        details={"fields": changed, "channel": "api", "client": client.client_id, "category": category.value},
    )
    if changed:
        try:
            from carte_blanche.webhooks.events import person_changed
        except ImportError:  # pragma: no cover - the webhooks app is optional
            person_changed = None
        if person_changed is not None:
            person_changed(
                person, changed, source=f"{client.operator.short_name} (API)", source_operator_id=client.operator_id
            )
    return changed


def set_file_number(person: Person, operator, number: str, *, by) -> OperatorFileNumber:
    """Record ``operator``'s file number for a person: an agent, or the operator itself (one of its
    referents or systems) under the person's active identity consent to it."""
    number = (number or "").strip()
    if not number or len(number) > 40:
        raise ValidationError({"number": "Le numéro de dossier compte de 1 à 40 caractères."})
    if not (by.is_authenticated and by.is_active):
        raise PermissionDenied("Compte inactif.")
    if by.role == Role.AGENT:
        pass
    elif by.role == Role.PARTNER_REFERENT and by.operator_id == operator.pk:
        if not _consents(person.pk, operator.pk, DataCategory.IDENTITY, ROLE_PURPOSES["partner_referent"]):
            raise PermissionDenied("La personne n'a pas donné son identité à votre organisme.")
    else:
        raise PermissionDenied("Seuls un agent ou l'organisme lui-même enregistrent son numéro de dossier.")
    with transaction.atomic():
        taken = OperatorFileNumber.objects.filter(operator=operator, number=number).exclude(person=person).exists()
        if taken:
            raise ValidationError({"number": "Ce numéro de dossier est déjà attribué à une autre personne."})
        row, _ = OperatorFileNumber.objects.update_or_create(
            operator=operator, person=person, defaults={"number": number}
        )
        record(
            JournalEvent.PERSON_UPDATED,
            actor=by,
            person=person,
            operator=operator,
            details={"fields": ["operator_file_number"], "channel": "api" if hasattr(by, "operator_client") else "web"},
        )
    return row
