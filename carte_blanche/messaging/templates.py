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
    # To the agent who checked a person's rights, when the nightly re-check finds a right appearing or gone.
    "rights.agent.changed": Template(
        "Droits à revoir : revérification n° {id}",
        "La revérification automatique n° {id} d'une personne dont vous avez vérifié les droits a trouvé "
        "{appeared} droit(s) probable(s) nouveau(x) et {disappeared} droit(s) qui ne le serai(en)t plus. "
        "Consultez-la dans Carte Blanche : {url}",
    ),
    # The HR centre (companies, by e-mail): a new question, its thread, late questions.
    "hrdesk.advisor.new": Template(
        "Nouvelle question RH n° {id} : {subject}",
        "{employer} pose une question au centre RH (n° {id}). Première réponse attendue avant le {due}. "
        "Consultez-la dans Carte Blanche.",
    ),
    "hrdesk.advisor.info": Template(
        "Question RH n° {id} : précisions reçues",
        "{employer} a apporté les précisions demandées sur la question n° {id} « {subject} ».",
    ),
    "hrdesk.advisor.reopen": Template(
        "Question RH n° {id} relancée",
        "{employer} relance la question n° {id} « {subject} » après votre réponse.",
    ),
    "hrdesk.employer.answer": Template(
        "Réponse du centre RH à votre question n° {id}",
        "Le centre RH a répondu à votre question « {subject} ». Lisez la réponse dans Carte Blanche.",
    ),
    "hrdesk.employer.request_info": Template(
        "Question RH n° {id} : précisions demandées",
        "Le centre RH a besoin de précisions sur votre question « {subject} ». Répondez dans Carte Blanche.",
    ),
    "hrdesk.late.advisor": Template(
        "Question RH n° {id} en retard",
        "La question n° {id} de {employer} attendait une première réponse avant le {due} ({late} h de retard).",
    ),
    "hrdesk.late.coordinator": Template(
        "Centre RH : question n° {id} en retard de {late} h",
        "La question n° {id} de {employer} « {subject} » attendait une réponse avant le {due}. "
        "Le conseiller a été relancé ; merci de veiller à ce qu'elle soit traitée.",
    ),
    # Solidarity mobility: to a volunteer driver (SMS), then to the passenger (their channel).
    "ride.driver.proposal": Template(
        "Trajet proposé le {day}",
        "Carte Blanche : trajet le {day}, prise en charge vers {pickup} à {origin}, dépose à {destination}. "
        "Répondez OUI {code} ou NON {code}, ou : {link}",
    ),
    "ride.driver.changed": Template(
        "Trajet du {day} modifié",
        "Carte Blanche : le trajet n° {code} du {day} change : prise en charge vers {pickup}. Détails : {link}",
    ),
    "ride.driver.withdrawn": Template(
        "Trajet du {day} retiré",
        "Carte Blanche : le trajet n° {code} du {day} ({origin} → {destination}) ne vous est plus confié : {why}. "
        "Merci !",
    ),
    "ride.driver.reminder": Template(
        "Vos trajets de demain",
        "Carte Blanche : demain {day}, {count} trajet(s), premier départ vers {first}. Détails : {link}",
    ),
    "ride.driver.answer_ack": Template(
        "Réponse enregistrée",
        "Carte Blanche : {answer} pour le trajet n° {code}. Merci !",
    ),
    # The bus France services, to a commune's subscribers.
    "bus.notice": Template(
        "Le bus France services à {commune} {when}",
        "Carte Blanche : le bus France services sera à {commune} ({place}) {when} de {start} à {end}. "
        "Démarches, aide en ligne, rendez-vous : {link}",
    ),
    "ride.person.confirmed": Template(
        "Votre transport du {day}",
        "Carte Blanche : le {day}, {driver} (conducteur bénévole) viendra vous chercher vers {pickup} "
        "pour aller à {destination}.",
    ),
}


def render(key: str, **values) -> tuple[str, str]:
    """The subject and body of template ``key`` filled with ``values`` (KeyError if one is missing)."""
    template = TEMPLATES[key]
    return template.subject.format(**values), template.body.format(**values)
