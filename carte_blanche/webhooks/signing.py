"""Signing and verifying webhook deliveries (pure: no Django). The reference verifier for operators.

Each delivery carries ``X-CarteBlanche-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256(secret, f"{t}.{body}") over the exact bytes of the body. A receiver recomputes it with
its subscription's secret, compares in constant time, and refuses a timestamp older than the
tolerance (5 minutes): a replayed or tampered delivery fails. ``X-CarteBlanche-Event`` names the
event and ``X-CarteBlanche-Delivery`` its id (deduplicate on it: a retry repeats the same id).
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-CarteBlanche-Signature"
EVENT_HEADER = "X-CarteBlanche-Event"
DELIVERY_HEADER = "X-CarteBlanche-Delivery"
TOLERANCE_SECONDS = 300

EVENTS = {
    "person.updated": "Données d'une personne mises à jour (catégorie que l'organisme peut voir)",
    "consent.granted": "Consentement donné à l'organisme",
    "consent.withdrawn": "Consentement retiré à l'organisme",
    "referral.created": "Orientation envoyée à l'organisme",
    "referral.answered": "Orientation : réponse ou changement d'état",
}


class InvalidSignature(ValueError):
    pass


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, body: bytes, header: str, *, now: float | None = None,
           tolerance: int = TOLERANCE_SECONDS) -> int:  # fmt: skip
    """The reference verifier: returns the timestamp, or raises InvalidSignature."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError) as exc:
        raise InvalidSignature("en-tête de signature illisible") from exc
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise InvalidSignature("horodatage trop ancien ou dans le futur : rejeu refusé")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given):
        raise InvalidSignature("signature invalide : corps modifié ou mauvais secret")
    return timestamp
