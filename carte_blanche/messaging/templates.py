"""The texts the platform sends, in French, with ``{placeholders}`` (no Django here).

Texts sent to persons must fit in an SMS (see ``sms.MAX_LENGTH``); the same text is printed
on a letter or read out on the phone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


TEMPLATES: dict[str, Template] = {
    # To the person, when a partner answers a referral.
    "referral.answer": Template(
        "Votre demande auprès de {operator}",
        "Carte Blanche : {operator} a répondu à votre demande. Votre agent France services peut vous l'expliquer.",
    ),
    "referral.refuse": Template(
        "Votre demande auprès de {operator}",
        "Carte Blanche : {operator} ne peut pas traiter votre demande. Votre agent France services vous recontacte.",
    ),
    # To the agent who sent the referral.
    "referral.agent.answer": Template(
        "Réponse à votre orientation n° {id} ({operator})",
        "Consultez l'orientation n° {id} dans Carte Blanche pour lire le message de {operator_name}.",
    ),
    "referral.agent.refuse": Template(
        "Orientation n° {id} refusée par {operator}",
        "Consultez l'orientation n° {id} dans Carte Blanche pour lire le message de {operator_name}.",
    ),
    "referral.agent.request_info": Template(
        "{operator} demande un complément pour l'orientation n° {id}",
        "Consultez l'orientation n° {id} dans Carte Blanche pour lire le message de {operator_name}.",
    ),
    # To the person, the day before an appointment.
    "appointment.reminder": Template(
        "Rappel : votre rendez-vous de demain",
        "Carte Blanche : rappel de votre rendez-vous avec {operator} demain {day} à {time}, {how}. "
        "Empêché ? Prévenez votre agent France services.",
    ),
}


def render(key: str, **values) -> tuple[str, str]:
    """The subject and body of template ``key`` filled with ``values`` (KeyError if one is missing)."""
    template = TEMPLATES[key]
    return template.subject.format(**values), template.body.format(**values)
