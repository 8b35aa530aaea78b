"""The benefits the engine reports on (pure module, no Django import).

Codes are the catalogue's (a procedure lists the codes it claims), so that a probable right
leads to the procedure that claims it. `computed=False` marks a benefit the pinned OpenFisca
version cannot compute: it is always reported "à vérifier", with the reason, never omitted.
"""

from __future__ import annotations

from dataclasses import dataclass

from .results import Frequency


@dataclass(frozen=True)
class Benefit:
    code: str
    label: str
    frequency: Frequency = Frequency.MONTHLY
    computed: bool = True
    # Always shown "à vérifier" even when computed, with this caveat (stale or partial model).
    to_check: str = ""
    caveat: str = ""


BENEFITS: tuple[Benefit, ...] = (
    Benefit("rsa", "Revenu de solidarité active (RSA)"),
    Benefit("ppa", "Prime d'activité", caveat="Montant avant CRDS (0,5 %), calculé sur les 3 derniers mois."),
    Benefit(
        "aide_logement",
        "Aide au logement (APL, ALF ou ALS)",
        caveat="Montant net versé, arrondi à l'euro inférieur.",
    ),
    Benefit("aah", "Allocation aux adultes handicapés (AAH)"),
    Benefit("aspa", "Allocation de solidarité aux personnes âgées (ASPA)"),
    Benefit("asf", "Allocation de soutien familial (ASF)", caveat="Montant avant CRDS (0,5 %)."),
    Benefit("af", "Allocations familiales", caveat="Montant avant CRDS (0,5 %)."),
    Benefit("cf", "Complément familial", caveat="Montant avant CRDS (0,5 %)."),
    Benefit(
        "ars",
        "Allocation de rentrée scolaire (ARS)",
        frequency=Frequency.YEARLY,
        caveat="Versée une fois, en août, pour les enfants de 6 à 18 ans scolarisés.",
    ),
    Benefit("paje_base", "Allocation de base de la PAJE", caveat="Montant avant CRDS (0,5 %)."),
    Benefit(
        "paje_cmg",
        "Complément de libre choix du mode de garde (CMG)",
        to_check=(
            "Le montant calculé est un plafond antérieur à la réforme de septembre 2025 : "
            "il ne tient pas compte du coût réel de la garde."
        ),
    ),
    Benefit(
        "css",
        "Complémentaire santé solidaire (CSS)",
        caveat="Gratuite, ou avec une participation mensuelle par personne selon l'âge.",
    ),
    Benefit("ass", "Allocation de solidarité spécifique (ASS)"),
    Benefit(
        "apa",
        "Allocation personnalisée d'autonomie (APA) à domicile",
        caveat="Le montant dépend du plan d'aide établi par l'équipe médico-sociale du département.",
    ),
    Benefit(
        "cheque_energie",
        "Chèque énergie",
        frequency=Frequency.YEARLY,
        caveat="Envoyé automatiquement au printemps d'après la déclaration de revenus.",
    ),
    Benefit(
        "pch",
        "Prestation de compensation du handicap (PCH)",
        computed=False,
        to_check="OpenFisca ne calcule pas la PCH : elle dépend de l'évaluation des besoins par la MDPH.",
    ),
)

BY_CODE = {b.code: b for b in BENEFITS}
CODES = frozenset(BY_CODE)
