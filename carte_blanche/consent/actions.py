"""State changes of the consent ledger; each one is atomic and journaled."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.consent.categories import CONSENTABLE_PURPOSES, DataCategory, Purpose
from carte_blanche.consent.models import Consent, ConsentCodeRequest, ConsentMethod
from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent
from carte_blanche.messaging.sms import send_sms

# A consent is dated; five years is the longest the platform records at once.
MAX_VALIDITY_DAYS = 5 * 366
SMS_CODE_MINUTES = 10
SMS_CODE_ATTEMPTS = 5


def _may_manage_consents(user, person) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == "agent":
        return True
    return user.role == "resident" and getattr(user, "person", None) is not None and user.person.pk == person.pk


def grant_consent(
    person,
    *,
    operator,
    categories: Iterable[DataCategory | str],
    purposes: Iterable[Purpose | str],
    valid_until: dt.date,
    method: ConsentMethod | str,
    by,
) -> list[Consent]:
    """Record that the person allows ``operator`` to use these categories for these purposes.

    An agent records a consent given in person (as witness) or by SMS code; a resident
    gives one online. One row per (category, purpose), all or nothing.
    """
    method = ConsentMethod(method)
    if method == ConsentMethod.SMS_CODE:
        raise ValidationError(_("Un consentement par SMS s'enregistre avec le code reçu par la personne."))
    categories, purposes = _check_request(person, categories, purposes, valid_until, method, by)
    return _record(person, operator, categories, purposes, valid_until, method, by)


def _check_request(person, categories, purposes, valid_until, method, by):
    if not _may_manage_consents(by, person):
        raise PermissionDenied(_("Vous ne pouvez pas enregistrer de consentement pour cette personne."))
    if by.role == "resident" and method != ConsentMethod.ONLINE:
        raise ValidationError(_("Un consentement donné depuis votre espace est un consentement en ligne."))
    if by.role == "agent" and method == ConsentMethod.ONLINE:
        raise ValidationError(_("Un agent recueille un consentement en personne ou par code SMS."))
    categories = sorted({DataCategory(c) for c in categories})
    purposes = sorted({Purpose(p) for p in purposes})
    if not categories:
        raise ValidationError(_("Choisissez au moins une catégorie de données."))
    if not purposes:
        raise ValidationError(_("Choisissez au moins une finalité."))
    if any(p not in CONSENTABLE_PURPOSES for p in purposes):
        raise ValidationError(_("Cette finalité ne fait pas l'objet d'un consentement."))
    today = timezone.localdate()
    if valid_until < today:
        raise ValidationError(_("La date de fin de validité est déjà passée."))
    if (valid_until - today).days > MAX_VALIDITY_DAYS:
        raise ValidationError(_("Un consentement ne peut pas dépasser cinq ans : choisissez une date plus proche."))
    return categories, purposes


def _record(person, operator, categories, purposes, valid_until, method, by) -> list[Consent]:
    now = timezone.now()
    with transaction.atomic():
        created = [
            Consent.objects.create(
                person=person,
                operator=operator,
                category=category,
                purpose=purpose,
                granted_at=now,
                valid_until=valid_until,
                method=method,
                recorded_by=by,
            )
            for category in categories
            for purpose in purposes
        ]
        record(
            JournalEvent.CONSENT_GRANTED,
            actor=by,
            person=person,
            operator=operator,
            details={
                "consent_ids": [c.pk for c in created],
                "categories": [str(c) for c in categories],
                "purposes": [str(p) for p in purposes],
                "valid_until": valid_until.isoformat(),
                "method": method.value,
            },
        )
        from carte_blanche.webhooks.events import consent_changed

        for consent in created:
            consent_changed(consent, granted=True)
    return created


def revoke_consent(consent: Consent, *, by) -> Consent:
    """Withdraw a consent at once; reads under it are refused from now on."""
    if not _may_manage_consents(by, consent.person):
        raise PermissionDenied(_("Vous ne pouvez pas retirer ce consentement."))
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.revoked_at is not None:
            raise ValidationError(_("Ce consentement a déjà été retiré."))
        consent.revoked_at = timezone.now()
        consent.revoked_by = by
        consent.save(update_fields=["revoked_at", "revoked_by"])
        record(
            JournalEvent.CONSENT_REVOKED,
            actor=by,
            person=consent.person,
            operator=consent.operator,
            purpose=consent.purpose,
            details={"consent_id": consent.pk, "category": consent.category},
        )
        from carte_blanche.webhooks.events import consent_changed

        consent_changed(consent, granted=False)
    return consent


def _hash_code(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def request_consent_by_sms(
    person,
    *,
    operator,
    categories: Iterable[DataCategory | str],
    purposes: Iterable[Purpose | str],
    valid_until: dt.date,
    by,
) -> ConsentCodeRequest:
    """Send the person a one-time code that confirms this consent when read back to the agent."""
    categories, purposes = _check_request(person, categories, purposes, valid_until, ConsentMethod.SMS_CODE, by)
    if not person.phone:
        raise ValidationError(_("Aucun numéro de téléphone n'est enregistré pour cette personne."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    salt = secrets.token_hex(8)
    now = timezone.now()
    with transaction.atomic():
        request = ConsentCodeRequest.objects.create(
            person=person,
            operator=operator,
            categories=[str(c) for c in categories],
            purposes=[str(p) for p in purposes],
            valid_until=valid_until,
            phone=person.phone,
            code_hash=_hash_code(code, salt),
            salt=salt,
            created_at=now,
            expires_at=now + dt.timedelta(minutes=SMS_CODE_MINUTES),
            created_by=by,
        )
        labels = ", ".join(c.label.lower() for c in categories)
        send_sms(
            person.phone,
            f"Carte Blanche : votre code est {code}. Donnez-le à l'agent seulement si vous acceptez que "
            f"{operator.short_name} utilise vos données ({labels}) jusqu'au {valid_until:%d/%m/%Y}. "
            f"Valable {SMS_CODE_MINUTES} min.",
        )
        record(
            JournalEvent.CONSENT_CODE_SENT,
            actor=by,
            person=person,
            operator=operator,
            details={"request_id": request.pk, "categories": request.categories, "purposes": request.purposes},
        )
    return request


def confirm_consent_by_sms(request: ConsentCodeRequest, code: str, *, by) -> list[Consent]:
    """Record the consent if the code matches; counts attempts and expires."""
    with transaction.atomic():
        request = ConsentCodeRequest.objects.select_for_update().select_related("person", "operator").get(pk=request.pk)
        if request.created_by_id != by.pk:
            raise PermissionDenied(_("Seul l'agent qui a envoyé le code peut le valider."))
        if request.used_at is not None:
            raise ValidationError(_("Ce code a déjà servi."))
        if timezone.now() > request.expires_at:
            raise ValidationError(_("Ce code a expiré : envoyez-en un nouveau."))
        if request.attempts >= SMS_CODE_ATTEMPTS:
            raise ValidationError(_("Trop d'essais avec ce code : envoyez-en un nouveau."))
        request.attempts += 1
        matches = hmac.compare_digest(_hash_code(code.strip(), request.salt), request.code_hash)
        if matches:
            request.used_at = timezone.now()
        request.save(update_fields=["attempts", "used_at"])
    if not matches:
        # Raised after the commit, so that the failed attempt stays counted.
        left = SMS_CODE_ATTEMPTS - request.attempts
        raise ValidationError(_("Code incorrect. Essais restants : %(left)d.") % {"left": left})
    # Re-check at confirmation time: rights may have changed since the code was sent.
    categories, purposes = _check_request(
        request.person, request.categories, request.purposes, request.valid_until, ConsentMethod.SMS_CODE, by
    )
    return _record(
        request.person, request.operator, categories, purposes, request.valid_until, ConsentMethod.SMS_CODE, by
    )
