"""Outgoing SMS behind a small backend interface.

The embedded default prints messages to the console; tests use the in-memory outbox;
a deployment plugs its provider's backend through ``CB_SMS_BACKEND`` (dotted path of a
class with ``send(to, text)``).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Messages longer than this are split by the networks into several billed SMS.
MAX_LENGTH = 459  # three concatenated GSM-7 segments


@dataclass(frozen=True)
class Sms:
    to: str  # E.164
    text: str


class SmsError(Exception):
    pass


class ConsoleBackend:
    def send(self, to: str, text: str) -> None:
        sys.stdout.write(f"[SMS vers {to}] {text}\n")
        sys.stdout.flush()


outbox: list[Sms] = []


class LocmemBackend:
    """Keeps messages in ``carte_blanche.messaging.sms.outbox`` (tests)."""

    def send(self, to: str, text: str) -> None:
        outbox.append(Sms(to, text))


@cache
def _backend(path: str):
    return import_string(path)()


def send_sms(to: str, text: str) -> Sms:
    if not to or not to.startswith("+"):
        raise SmsError("Numéro de téléphone absent ou pas au format international.")
    if len(text) > MAX_LENGTH:
        raise SmsError(f"Message trop long pour un SMS ({len(text)} caractères).")
    _backend(settings.SMS_BACKEND).send(to, text)
    logger.info("SMS envoyé", extra={"to_suffix": to[-2:]})
    return Sms(to, text)
