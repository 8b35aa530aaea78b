"""The centre's first library answers (loaded by the demo; advisors improve them online).

General rules of the Code du travail as of 2026; the branch agreement (convention collective)
may change several of them, which every answer says. Articles are cited so that the advisor
can check them on Légifrance before sending.
"""

from __future__ import annotations

from dataclasses import dataclass

from carte_blanche.employers.models import HrTheme


@dataclass(frozen=True)
class StarterAnswer:
    theme: str
    title: str
    body: str
    sources: str


CDD_RENEWAL = "Renouveler un CDD : combien de fois et pour quelle durée totale"

STARTER_ANSWERS = (
    StarterAnswer(
        HrTheme.CONTRACT,
        CDD_RENEWAL,
        "Un contrat à durée déterminée (CDD) à terme précis peut être renouvelé deux fois au plus, sauf si "
        "votre convention ou accord de branche étendu fixe un autre nombre.\n\n"
        "La durée totale du contrat, renouvellements compris, ne peut pas dépasser 18 mois dans le cas général "
        "(par exemple pour un accroissement temporaire d'activité ou le remplacement d'un salarié absent), "
        "sauf autre durée prévue par la branche. Des durées particulières existent : 9 mois dans l'attente de "
        "l'arrivée d'un salarié recruté en CDI ou pour des travaux urgents de sécurité, 24 mois notamment pour "
        "une mission à l'étranger.\n\n"
        "Le renouvellement doit être prévu dans le contrat ou faire l'objet d'un avenant écrit proposé au "
        "salarié avant le terme du contrat initial. Sans avenant signé avant le terme, la poursuite du travail "
        "après l'échéance transforme le contrat en CDI.\n\n"
        "Avant de renouveler : vérifiez que le motif du CDD existe toujours, le nombre de renouvellements déjà "
        "faits et la date de fin de l'ensemble.",
        "Code du travail, articles L1243-13 et L1243-13-1 (nombre de renouvellements)\n"
        "Code du travail, articles L1242-8 et L1242-8-1 (durée maximale)\n"
        "Code du travail, article L1243-11 (poursuite après l'échéance)\n"
        "https://www.service-public.fr/particuliers/vosdroits/F34",
    ),
    StarterAnswer(
        HrTheme.CONTRACT,
        "Délai de carence entre deux CDD sur le même poste",
        "À la fin d'un CDD, un nouveau CDD (ou un contrat d'intérim) sur le même poste ne peut commencer "
        "qu'après un délai de carence, sauf si votre branche en a fixé d'autres règles.\n\n"
        "À défaut de règle de branche, ce délai est égal :\n"
        "- au tiers de la durée du contrat précédent, renouvellements compris, si ce contrat durait 14 jours "
        "ou plus ;\n"
        "- à la moitié de cette durée s'il durait moins de 14 jours.\n"
        "Il se compte en jours d'ouverture de l'entreprise ou de l'établissement.\n\n"
        "Le délai ne s'applique pas, notamment : à un nouveau remplacement d'un salarié absent, aux emplois "
        "saisonniers et aux contrats d'usage, aux travaux urgents de sécurité, ou lorsque le salarié est à "
        "l'origine de la rupture anticipée ou refuse le renouvellement de son contrat. Un délai de carence "
        "non respecté expose à la requalification en CDI.",
        "Code du travail, articles L1244-3 et L1244-3-1 (calcul du délai)\n"
        "Code du travail, articles L1244-4 et L1244-4-1 (cas où il ne s'applique pas)\n"
        "https://www.service-public.fr/particuliers/vosdroits/F34",
    ),
    StarterAnswer(
        HrTheme.END_OF_CONTRACT,
        "Indemnité de fin de CDD (prime de précarité) : 10 %",
        "À la fin d'un CDD, le salarié reçoit une indemnité de fin de contrat égale à 10 % de la rémunération "
        "totale brute versée pendant le contrat (renouvellements compris). Elle est versée avec le dernier "
        "salaire et figure sur le bulletin de paie. Une convention ou un accord collectif peut la limiter à "
        "6 % en contrepartie d'un accès privilégié à la formation.\n\n"
        "Elle n'est pas due, notamment :\n"
        "- si le CDD se poursuit par un CDI ;\n"
        "- si le salarié refuse un CDI pour le même emploi ou un emploi similaire, avec une rémunération au "
        "moins équivalente ;\n"
        "- pour un contrat saisonnier ou d'usage, ou un jeune pendant ses vacances scolaires ou "
        "universitaires ;\n"
        "- en cas de rupture anticipée à l'initiative du salarié, pour faute grave ou force majeure.\n\n"
        "L'indemnité compensatrice de congés payés (10 % également) est due en plus, si les congés n'ont pas "
        "été pris.",
        "Code du travail, article L1243-8 (montant ; pas d'indemnité quand un CDI suit)\n"
        "Code du travail, article L1243-9 (limitation à 6 % par accord)\n"
        "Code du travail, article L1243-10 (autres cas où elle n'est pas due)\n"
        "https://www.service-public.fr/particuliers/vosdroits/F40",
    ),
    StarterAnswer(
        HrTheme.WORKING_TIME,
        "Temps partiel : 24 heures par semaine au minimum, et les exceptions",
        "Un salarié à temps partiel doit travailler au moins 24 heures par semaine (ou l'équivalent mensuel, "
        "104 heures), sauf dans les cas suivants :\n"
        "- votre convention ou accord de branche étendu fixe une durée minimale plus faible (c'est le cas "
        "dans plusieurs branches : vérifiez la vôtre, pour l'aide à domicile la convention IDCC 2941) ;\n"
        "- le salarié le demande par écrit et de façon motivée, pour faire face à des contraintes "
        "personnelles ou pour cumuler plusieurs activités atteignant au moins 24 heures ;\n"
        "- le salarié est un étudiant de moins de 26 ans ;\n"
        "- le CDD dure 7 jours au plus, ou il remplace un salarié absent.\n\n"
        "Le contrat à temps partiel est écrit : il indique la durée du travail, sa répartition entre les "
        "jours de la semaine ou les semaines du mois, les cas et la nature des modifications possibles, et "
        "les limites des heures complémentaires.",
        "Code du travail, article L3123-27 (24 heures)\n"
        "Code du travail, article L3123-7 (demande du salarié, étudiants, contrats courts)\n"
        "Code du travail, article L3123-19 (durée fixée par la branche)\n"
        "Code du travail, article L3123-6 (mentions du contrat)\n"
        "https://www.service-public.fr/particuliers/vosdroits/F32428",
    ),
    StarterAnswer(
        HrTheme.RECRUITING,
        "Période d'essai : durées maximales, renouvellement, rupture",
        "La période d'essai n'existe que si elle est écrite dans le contrat (ou la lettre d'engagement).\n\n"
        "En CDI, sa durée maximale est de 2 mois pour les ouvriers et employés, 3 mois pour les agents de "
        "maîtrise et techniciens, 4 mois pour les cadres. Elle ne peut être renouvelée qu'une fois, si un "
        "accord de branche étendu le prévoit et si le contrat le mentionne, avec l'accord du salarié avant "
        "la fin de la première période.\n\n"
        "En CDD, sauf usage ou convention plus favorable : un jour par semaine de contrat, dans la limite de "
        "2 semaines pour un contrat de 6 mois au plus, et d'un mois au-delà.\n\n"
        "Pour y mettre fin, l'employeur respecte un délai de prévenance (24 heures pendant les 8 premiers "
        "jours de présence, 48 heures jusqu'à un mois, 2 semaines après un mois, un mois après 3 mois) ; le "
        "salarié, 24 heures (48 heures après 8 jours de présence).",
        "Code du travail, articles L1221-19 à L1221-21 (durées et renouvellement)\n"
        "Code du travail, article L1221-23 (écrit obligatoire)\n"
        "Code du travail, articles L1221-25 et L1221-26 (délais de prévenance)\n"
        "Code du travail, article L1242-10 (période d'essai en CDD)\n"
        "https://www.service-public.fr/particuliers/vosdroits/F1643",
    ),
    StarterAnswer(
        HrTheme.RECRUITING,
        "Déclaration préalable à l'embauche (DPAE)",
        "Toute embauche d'un salarié est déclarée à l'Urssaf (ou à la MSA pour le régime agricole) avant la "
        "prise de poste, au plus tôt 8 jours avant, par la déclaration préalable à l'embauche (DPAE), sur "
        "net-entreprises.fr ou urssaf.fr. Elle est due pour chaque nouveau contrat, y compris avec un "
        "salarié déjà venu ou un apprenti ; le simple avenant qui renouvelle un CDD n'en demande pas.\n\n"
        "Remettez au salarié une copie de l'accusé de réception ou mentionnez dans son contrat l'organisme "
        "destinataire de la déclaration. Une embauche sans DPAE expose à une pénalité et peut constituer du "
        "travail dissimulé.",
        "Code du travail, article L1221-10 (obligation de déclarer)\n"
        "Code du travail, article R1221-5 (au plus tôt 8 jours avant)\n"
        "https://www.urssaf.fr/accueil/employeur/embaucher-gerer-salaries/embaucher/declarer-embauche.html",
    ),
)
