"""Hiring aids shown next to the cost: data, with their conditions and official sources.

Pure module (no Django import). No amount is computed here: in openfisca-france 176.1.8 the
variables that exist for hiring aids describe schemes that have ended (checked on the pinned
version, see `OPENFISCA_STATUS` and docs/hiring.md), and the schemes of the moment are set by
decrees and regional orders that change during the year. Each aid is therefore shown "à vérifier",
with its conditions, the text it rests on and the date of that text; `applies_to` only says
whether the aid can concern this job and company (contract, headcount, sector), never that it is due.
"""

from __future__ import annotations

from dataclasses import dataclass

from carte_blanche.hiring.engine import Contract, Scenario


@dataclass(frozen=True)
class HiringAid:
    code: str
    label: str
    summary: str
    conditions: tuple[str, ...]
    rule: str  # the text it rests on
    rule_date: str  # date of that text (YYYY-MM-DD)
    source_url: str
    openfisca: str  # what OpenFisca has for it, and why it is not used
    contracts: tuple[Contract, ...] = (Contract.CDI, Contract.CDD)
    non_profit_only: bool = False  # secteur non marchand (associations…)

    def applies_to(self, scenario: Scenario, *, non_profit: bool | None = None) -> bool:
        if scenario.contract not in self.contracts:
            return False
        return not (self.non_profit_only and non_profit is False)

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "label": self.label,
            "summary": self.summary,
            "conditions": list(self.conditions),
            "rule": self.rule,
            "rule_date": self.rule_date,
            "source_url": self.source_url,
            "status": "à vérifier",
        }


AIDS: tuple[HiringAid, ...] = (
    HiringAid(
        code="apprentissage",
        label="Aide à l'embauche d'un apprenti",
        summary=(
            "Aide de l'État pour la première année d'un contrat d'apprentissage, versée chaque mois par "
            "l'Agence de services et de paiement. Le montant dépend de la taille de l'entreprise et de la "
            "date de signature du contrat : il a changé en 2023 et en 2025."
        ),
        conditions=(
            "Un contrat d'apprentissage (et non un CDI ou un CDD ordinaire) : la rémunération et les "
            "cotisations d'un apprenti ne sont pas celles simulées ici.",
            "Le contrat est transmis à l'opérateur de compétences (OPCO) au plus tard 6 mois après sa signature.",
            "Pas d'aide déjà perçue pour le même apprenti préparant la même certification chez le même employeur.",
            "Montants et dates de signature couverts : ceux du décret en vigueur à la signature "
            "(le décret de février 2025 visait les contrats conclus jusqu'au 31 décembre 2025).",
        ),
        rule="Décret n° 2025-174 du 22 février 2025 (aide unique et aide exceptionnelle aux employeurs d'apprentis)",
        rule_date="2025-02-22",
        source_url="https://www.alternance.emploi.gouv.fr/",
        openfisca=(
            "prime_apprentissage : ancienne prime forfaitaire de 1 000 € par an, supprimée en 2019 ; non utilisée."
        ),
    ),
    HiringAid(
        code="pec",
        label="Parcours emploi compétences (PEC, CUI-CAE)",
        summary=(
            "Contrat aidé du secteur non marchand (associations, collectivités) : l'État verse une aide "
            "mensuelle égale à un pourcentage du SMIC horaire brut, fixé par arrêté du préfet de région "
            "(Occitanie pour le Lot), pour les personnes éloignées de l'emploi."
        ),
        conditions=(
            "Employeur du secteur non marchand (une association le plus souvent).",
            "Personne sans emploi rencontrant des difficultés d'accès à l'emploi, sur prescription de "
            "France Travail, de la Mission locale ou de Cap emploi.",
            "CDI ou CDD d'au moins 6 mois, d'au moins 20 heures par semaine.",
            "Tuteur désigné, actions de formation et d'accompagnement prévues.",
            "Taux de prise en charge et plafond d'heures : arrêté préfectoral régional en vigueur.",
        ),
        rule="Code du travail, articles L5134-20 et suivants ; arrêté du préfet de région Occitanie",
        rule_date="2018-01-16",
        source_url="https://travail-emploi.gouv.fr/parcours-emploi-competences",
        openfisca="contrat_aide : simple entrée (oui/non), aucune formule d'aide ; non utilisé.",
        non_profit_only=True,
    ),
    HiringAid(
        code="emploi_franc",
        label="Emploi franc",
        summary=(
            "Aide de France Travail pour l'embauche d'un demandeur d'emploi résidant dans un quartier "
            "prioritaire de la politique de la ville (QPV). Le dispositif est reconduit par périodes : "
            "vérifier qu'il est ouvert à la date d'embauche."
        ),
        conditions=(
            "La personne embauchée réside dans un quartier prioritaire de la politique de la ville (QPV).",
            "Elle est inscrite comme demandeuse d'emploi à France Travail.",
            "CDI, ou CDD d'au moins 6 mois.",
            "L'employeur est à jour de ses cotisations et n'a pas licencié pour motif économique sur le poste "
            "dans les 6 mois précédents.",
        ),
        rule="Décret n° 2019-1471 du 26 décembre 2019 modifié (emplois francs)",
        rule_date="2019-12-26",
        source_url="https://travail-emploi.gouv.fr/emplois-francs",
        openfisca="Aucune variable dans openfisca-france 176.1.8.",
    ),
    HiringAid(
        code="frr",
        label="Exonération en zone France ruralités revitalisation (FRR, ex-ZRR)",
        summary=(
            "Exonération de cotisations patronales pendant 12 mois pour une embauche qui augmente "
            "l'effectif, dans une commune classée FRR ; une grande partie des communes du Lot l'est. "
            "Elle ne se cumule pas avec la réduction générale."
        ),
        conditions=(
            "Établissement situé dans une commune classée FRR à la date d'embauche (arrêté de classement).",
            "Entreprise de moins de 50 salariés.",
            "Embauche en CDI, ou en CDD d'au moins 12 mois, qui accroît l'effectif.",
            "Pas de licenciement économique dans les 12 mois précédents.",
            "Option à exercer à la place de la réduction générale, pour les 12 premiers mois.",
        ),
        rule="Code de la sécurité sociale (exonérations zonées) ; loi de finances pour 2024, article 73 (FRR)",
        rule_date="2024-07-01",
        source_url="https://www.urssaf.fr/",
        openfisca=(
            "exoneration_cotisations_employeur_zrr existe, mais zone_revitalisation_rurale n'a pas de liste de "
            "communes (toujours faux) et suit l'ancien régime ZRR ; non utilisée."
        ),
    ),
    HiringAid(
        code="agefiph",
        label="Aides de l'Agefiph à l'embauche d'une personne handicapée",
        summary=(
            "Aides de l'Agefiph pour l'embauche et le maintien dans l'emploi d'une personne bénéficiaire "
            "de l'obligation d'emploi (RQTH…) : montants et conditions fixés par l'Agefiph, révisés chaque année."
        ),
        conditions=(
            "La personne embauchée bénéficie de l'obligation d'emploi des travailleurs handicapés "
            "(RQTH ou équivalent).",
            "Contrat et durée minimale fixés par l'offre de services de l'Agefiph en vigueur.",
            "Demande à déposer auprès de l'Agefiph dans le délai qu'elle fixe après l'embauche.",
        ),
        rule="Offre de services de l'Agefiph",
        rule_date="2025-01-01",
        source_url="https://www.agefiph.fr/",
        openfisca="Aucune variable dans openfisca-france 176.1.8.",
    ),
)

# The hiring-aid variables of openfisca-france 176.1.8 and why none is used (checked on the code).
OPENFISCA_STATUS: dict[str, str] = {
    "aide_embauche_pme": "contrats signés du 18 janvier 2016 au 30 juin 2017 seulement",
    "aide_premier_salarie": "contrats signés du 9 juin 2015 au 31 décembre 2016 seulement",
    "prime_apprentissage": "prime forfaitaire supprimée en 2019",
    "exoneration_cotisations_employeur_zrr": (
        "pas de liste des communes classées (zone_revitalisation_rurale toujours faux)"
    ),
}


def aids_for(scenario: Scenario, *, non_profit: bool | None = None) -> list[HiringAid]:
    """The aids that can concern this job (to check with their conditions), in display order."""
    return [aid for aid in AIDS if aid.applies_to(scenario, non_profit=non_profit)]
