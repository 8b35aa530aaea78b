"""State changes of the consent ledger; each one is atomic and journaled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.consent.categories import CONSENTABLE_PURPOSES, DataCategory, Purpose
from carte_blanche.consent.models import Consent, ConsentMethod
from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent

# A consent is dated; five years is the longest the platform records at once.
MAX_VALIDITY_DAYS = 5 * 366


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
    if not _may_manage_consents(by, person):
        raise PermissionDenied(_("Vous ne pouvez pas enregistrer de consentement pour cette personne."))
    method = ConsentMethod(method)
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
    return consent
