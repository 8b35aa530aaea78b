"""Issuing, checking and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carte_blanche.accounts.models import TWO_FACTOR_ROLES, ApiToken

PREFIX = "cb_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user, label: str) -> tuple[ApiToken, str]:
    """Create a token for the user's own use; returns the row and the token, shown only this once."""
    if user.role not in TWO_FACTOR_ROLES:
        raise PermissionDenied("Votre rôle n'utilise pas l'API.")
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": "Donnez un nom au jeton (par exemple le logiciel qui l'utilisera)."})
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, label=label[:100], prefix=token[:8], key_hash=_hash(token))
    return row, token


def revoke_token(row: ApiToken, *, by) -> None:
    if row.user_id != by.pk:
        raise PermissionDenied("Ce jeton n'est pas le vôtre.")
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])


def user_for_token(token: str):
    """The active user behind a token, or None."""
    if not token.startswith(PREFIX):
        return None
    row = ApiToken.objects.active().select_related("user").filter(key_hash=_hash(token)).first()
    if row is None:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user
