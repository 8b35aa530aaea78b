"""Events for operators' systems, and *dites-le-nous une fois*.

Domain actions call these functions inside their transaction; deliveries leave after the commit
(Celery task ``webhooks.deliver``). Payloads never carry a person's data: they name the person
(platform id), the category and the changed fields; the operator then reads the values through
the API, where the access function checks its consent and journals the read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from carte_blanche.consent.access import PERSON_FIELDS
from carte_blanche.consent.categories import DataCategory
from carte_blanche.consent.models import Consent
from carte_blanche.webhooks.models import Delivery, Propagation, PropagationChannel, Subscription

# What a change at one counter is propagated for (tell-us-once): address and contact, household and income.
PROPAGATED = (DataCategory.CONTACT, DataCategory.HOUSEHOLD_INCOME)


def categories_of(fields: Iterable[str]) -> dict[DataCategory, list[str]]:
    fields = set(fields)
    found = {}
    for category, names in PERSON_FIELDS.items():
        changed = sorted(fields & set(names))
        if changed:
            found[category] = changed
    return found


def _queue(subscription: Subscription, event: str, data: dict) -> Delivery:
    event_id = uuid.uuid4().hex
    payload = {"id": event_id, "event": event, "occurred_at": timezone.now().isoformat(), "data": data}
    delivery = Delivery.objects.create(subscription=subscription, event_id=event_id, event=event, payload=payload)

    def send():
        from carte_blanche.webhooks.tasks import deliver_task

        deliver_task.delay(delivery.pk)

    transaction.on_commit(send)
    return delivery


def _subscriptions(operator_id: int, event: str):
    return [s for s in Subscription.objects.filter(operator_id=operator_id, active=True) if event in s.events]


def emit(event: str, *, operator_id: int, data: dict) -> list[Delivery]:
    """Queue ``event`` for every active subscription of that operator that asked for it."""
    return [_queue(subscription, event, data) for subscription in _subscriptions(operator_id, event)]


def person_changed(person, fields: Iterable[str], *, source: str, source_operator_id: int | None = None) -> list:
    """Tell every operator holding an active consent on a changed category (contact, household):
    by webhook when it subscribed to ``person.updated``, else in its inbox. The source is not told."""
    told = []
    for category, names in categories_of(fields).items():
        if category not in PROPAGATED:
            continue
        operators = set(
            Consent.objects.active()
            .filter(person=person, category=category)
            .exclude(operator_id=source_operator_id)
            .values_list("operator_id", flat=True)
        )
        for operator_id in sorted(operators):
            data = {"person_id": person.pk, "category": category.value, "fields": names, "source": source}
            deliveries = emit("person.updated", operator_id=operator_id, data=data)
            channel = PropagationChannel.WEBHOOK if deliveries else PropagationChannel.INBOX
            told.append(
                Propagation.objects.create(
                    person=person,
                    operator_id=operator_id,
                    category=category.value,
                    fields=names,
                    source=source,
                    channel=channel,
                    delivery=deliveries[0] if deliveries else None,
                )  # fmt: skip
            )
    return told


def consent_changed(consent, *, granted: bool) -> list[Delivery]:
    data = {
        "consent_id": consent.pk,
        "person_id": consent.person_id,
        "category": consent.category,
        "purpose": consent.purpose,
        "valid_until": consent.valid_until.isoformat(),
    }
    return emit("consent.granted" if granted else "consent.withdrawn", operator_id=consent.operator_id, data=data)


def referral_changed(referral, *, created: bool) -> list[Delivery]:
    data = {"referral_id": referral.pk, "person_id": referral.person_id, "status": referral.status}
    return emit("referral.created" if created else "referral.answered", operator_id=referral.operator_id, data=data)
