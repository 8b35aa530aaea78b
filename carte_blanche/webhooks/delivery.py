"""Sending a delivery: sign, POST, record the answer; retry with exponential back-off."""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from carte_blanche.webhooks.models import Delivery, DeliveryStatus
from carte_blanche.webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # about 4 hours of retries in all
FIRST_DELAY = dt.timedelta(minutes=1)
MAX_DELAY = dt.timedelta(hours=2)
TIMEOUT_SECONDS = 10


def urllib_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """The default transport: an HTTP POST; returns the status code (raises on network errors)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("Adresse de webhook : seuls http et https sont acceptés.")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (scheme checked)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (scheme checked)
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def _transport():
    return import_string(settings.WEBHOOK_TRANSPORT)


def backoff(attempts: int) -> dt.timedelta:
    return min(FIRST_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)


def deliver(delivery_id: int) -> Delivery:
    """One attempt (skipped if the delivery is already done or not yet due)."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("subscription").get(pk=delivery_id)
        if delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.ABANDONED):
            return delivery
        subscription = delivery.subscription
        body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "CarteBlanche-Webhooks/1",
            SIGNATURE_HEADER: sign(subscription.secret, body),
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: delivery.event_id,
        }
        delivery.attempts += 1
        try:
            code = _transport()(subscription.url, body, headers)
            error = "" if 200 <= code < 300 else f"réponse HTTP {code}"
        except Exception as exc:  # network errors, timeouts: recorded, retried
            code, error = None, f"{type(exc).__name__}: {exc}"[:1000]
        delivery.last_status_code = code
        delivery.last_error = error
        if not error:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.ABANDONED
            delivery.next_attempt_at = None
            logger.warning("Webhook n° %s abandonné après %s essais", delivery.pk, delivery.attempts)
        else:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        delivery.save()
    return delivery


def retry_due(now: dt.datetime | None = None) -> int:
    """Deliveries whose next attempt is due (the periodic task)."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=DeliveryStatus.FAILED, next_attempt_at__lte=now).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        deliver(pk)
        count += 1
    return count
