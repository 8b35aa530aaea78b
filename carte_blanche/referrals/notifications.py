"""Telling the agent (e-mail) and the person (their preferred channel) that a partner answered."""

from __future__ import annotations

import logging

from django.core.mail import send_mail

from carte_blanche.messaging.sms import SmsError, send_sms

logger = logging.getLogger(__name__)

SUBJECTS = {
    "answer": "Réponse à votre orientation n° {id} ({operator})",
    "refuse": "Orientation n° {id} refusée par {operator}",
    "request_info": "{operator} demande un complément pour l'orientation n° {id}",
}
PERSON_TEXTS = {
    "answer": (
        "Carte Blanche : {operator} a répondu à votre demande. Votre agent France services peut vous l'expliquer."
    ),
    "refuse": (
        "Carte Blanche : {operator} ne peut pas traiter votre demande. Votre agent France services vous recontacte."
    ),
}


def tell_of_answer(referral_id: int, transition: str) -> None:
    from carte_blanche.referrals.models import Referral

    referral = Referral.objects.select_related("person", "operator", "created_by").get(pk=referral_id)
    values = {"id": referral.pk, "operator": referral.operator.short_name}
    if referral.created_by.email:
        send_mail(
            SUBJECTS[transition].format(**values),
            f"Consultez l'orientation n° {referral.pk} dans Carte Blanche pour lire le message de "
            f"{referral.operator.name}.",
            None,
            [referral.created_by.email],
        )
    text = PERSON_TEXTS.get(transition)
    person = referral.person
    if text is None:
        return
    if person.preferred_channel == "sms" and person.phone:
        try:
            send_sms(person.phone, text.format(**values))
        except SmsError:
            logger.warning("SMS non envoyé pour l'orientation %s", referral.pk)
    elif person.preferred_channel == "email" and person.email:
        send_mail(
            f"Votre demande auprès de {referral.operator.short_name}", text.format(**values), None, [person.email]
        )
    # Letter and phone: the agent is told above and contacts the person.
