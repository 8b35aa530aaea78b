"""The one way to tell someone something: choose the channel, send once, keep a row.

``notify_person`` follows the person's preferred channel when it can (an SMS needs a phone
number, an e-mail an address), else falls back to a letter when the postal address is known,
else to a call by the agent. SMS and e-mail leave at once (SENT or FAILED with the error);
a letter waits to be printed (TO_PRINT) and a call to be made (TO_CALL) until an agent marks
it done. The ``key`` makes every call idempotent: a second call with the same key sends
nothing and returns the first row.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from carte_blanche.messaging.models import Channel, Notification, NotificationStatus
from carte_blanche.messaging.sms import send_sms
from carte_blanche.messaging.templates import render

logger = logging.getLogger(__name__)

Related = tuple[str, int] | None


def choose_channel(person, *, letter_ok: bool = True) -> Channel:
    """The preferred channel when possible, else a letter (if allowed and the address is known), else a call."""
    preferred = person.preferred_channel
    if preferred == Channel.SMS and person.phone:
        return Channel.SMS
    if preferred == Channel.EMAIL and person.email:
        return Channel.EMAIL
    if preferred == Channel.PHONE and person.phone:
        return Channel.PHONE
    if person.address and letter_ok:
        return Channel.LETTER
    return Channel.PHONE


def notify_person(
    person, template: str, *, key: str, values: dict | None = None, related: Related = None, letter_ok: bool = True
):
    """Tell a person (an *usager*) through their channel; returns the :class:`Notification`.

    ``letter_ok=False`` when a letter would come too late (a reminder for tomorrow): a call instead.
    """
    channel = choose_channel(person, letter_ok=letter_ok)
    return _notify(key, template, values or {}, related, channel=channel, person=person)


def notify_user(
    user, template: str, *, key: str, values: dict | None = None, related: Related = None, sms_to: str = ""
):
    """Tell a platform user (an agent, a partner) by e-mail; returns the :class:`Notification`.

    ``sms_to``: an E.164 number to text instead (a volunteer driver on the road).
    """
    channel = Channel.SMS if sms_to else Channel.EMAIL
    return _notify(key, template, values or {}, related, channel=channel, user=user, sms_to=sms_to)


def notify_contact(
    template: str, *, key: str, phone: str = "", email: str = "", values: dict | None = None, related: Related = None
):
    """Tell someone who is neither a person with a file nor a user (a resident subscribed to the bus's
    visits, a mairie): by SMS to ``phone`` or else by e-mail to ``email``."""
    if not phone and not email:
        raise ValueError("notify_contact needs a phone number or an e-mail address.")
    channel = Channel.SMS if phone else Channel.EMAIL
    return _notify(key, template, values or {}, related, channel=channel, sms_to=phone, email_to=email)


def _notify(key, template, values, related, *, channel, person=None, user=None, sms_to="", email_to="") -> Notification:
    existing = Notification.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    subject, body = render(template, **values)
    kind, object_id = related or ("", None)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                idempotency_key=key, person=person, recipient_user=user, channel=channel, template=template,
                subject=subject, body=body, related_kind=kind, related_id=object_id,
            )  # fmt: skip
    except IntegrityError:
        # Another process created the same key between our look-up and our insert: it sends, not us.
        return Notification.objects.get(idempotency_key=key)
    _deliver(notification, person=person, user=user, sms_to=sms_to, email_to=email_to)
    return notification


def _deliver(notification: Notification, *, person, user, sms_to: str = "", email_to: str = "") -> None:
    if notification.channel == Channel.LETTER:
        notification.status = NotificationStatus.TO_PRINT
    elif notification.channel == Channel.PHONE:
        notification.status = NotificationStatus.TO_CALL
    else:
        try:
            if notification.channel == Channel.SMS:
                send_sms(sms_to or person.phone, notification.body)
            else:
                address = email_to or (person.email if person is not None else user.email)
                if not address:
                    raise ValueError("Aucune adresse électronique.")
                send_mail(notification.subject, notification.body, None, [address])
        except Exception as exc:  # any backend failure is recorded, never lost nor raised
            logger.warning("Message n° %s non envoyé", notification.pk)
            notification.status = NotificationStatus.FAILED
            notification.error = f"{type(exc).__name__}: {exc}"[:2000]
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
    notification.save(update_fields=["status", "error", "sent_at"])


def mark_done(notification: Notification, *, by) -> Notification:
    """A letter printed and posted, a call made: record who and when (once)."""
    if notification.status in (NotificationStatus.TO_PRINT, NotificationStatus.TO_CALL):
        notification.status = NotificationStatus.DONE
        notification.done_at = timezone.now()
        notification.done_by = by
        notification.save(update_fields=["status", "done_at", "done_by"])
    return notification
