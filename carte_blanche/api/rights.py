"""Rights API: `POST /api/v1/rights/simulate`, the probable rights of an anonymous situation.

The request body is the household dict of `engine.serialize.household_to_dict`; the schemas
below document it for partner systems (OpenAPI at /api/v1/openapi.json). Field errors are the
engine reader's, in French, with the same dotted paths as the body (`members.0.birth_date`), so
a partner shows them next to its own fields: the schemas' own type checks are deliberately not
enforced (see `HouseholdIn`), every check is the engine's, as for the pages and the batch.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from enum import StrEnum

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ValidationError as PydanticValidationError
from pydantic import model_validator

from carte_blanche.api.schemas import Error
from carte_blanche.rights import engine
from carte_blanche.rights.engine.serialize import household_from_dict

logger = logging.getLogger(__name__)

router = Router(tags=["droits"])

BenefitCode = StrEnum("BenefitCode", [(b.code, b.code) for b in engine.BENEFITS])
_BENEFIT_LIST = ", ".join(f"`{b.code}` ({b.label})" for b in engine.BENEFITS)


class IncomeIn(Schema):
    kind: engine.IncomeKind = Field(
        ...,
        description="Type de revenu / income kind: `salaire` (salaire **net**), `chomage` (ARE brute), "
        "`retraite` (brute), `invalidite`, `pension_alimentaire` (reçue).",
    )
    last_3_months: list[float] = Field(
        ...,
        min_length=3,
        max_length=3,
        description="Montants des 3 derniers mois, du plus ancien au plus récent, € / "
        "amounts of the last 3 months, oldest first, in euros.",
        examples=[[1000, 1000, 1000]],
    )
    last_12_months: float | None = Field(
        None,
        description="Total des 12 derniers mois (3 derniers inclus), € ; défaut : 4 × la somme des 3 mois / "
        "total of the last 12 months; default 4 × the 3 months.",
    )


class MemberIn(Schema):
    id: str = Field("", description="Identifiant libre dans le foyer / free id within the household.")
    role: engine.Role = Field(
        ..., description="Place dans le foyer / role: exactement un `demandeur`, au plus un `conjoint`."
    )
    birth_date: dt.date = Field(..., description="Date de naissance / birth date (AAAA-MM-JJ).")
    activity: engine.Activity = Field(engine.Activity.INACTIVE, description="Activité / activity.")
    work_time: engine.WorkTime | None = Field(None, description="Temps de travail, en emploi / work time.")
    monthly_hours: float | None = Field(
        None, description="Heures payées par mois, obligatoire à temps partiel (< 151,67) / paid hours per month."
    )
    contract: engine.ContractType | None = Field(None, description="Contrat de travail / contract (`ctt` = intérim).")
    incomes: list[IncomeIn] = Field(default_factory=list, description="Revenus, un par type / incomes, one per kind.")
    disability_rate: int = Field(0, ge=0, le=100, description="Taux d'incapacité MDPH, 0–100 / disability rate.")
    employment_restriction: bool = Field(
        False, description="RSDAE reconnue par la CDAPH (AAH entre 50 et 79 %) / employment restriction."
    )
    gir: int | None = Field(None, ge=1, le=6, description="GIR évalué par le Département, 1–6 / dependency level.")
    home_help_plan: float = Field(0.0, ge=0, description="Plan d'aide APA à domicile, €/mois / APA home-help plan.")
    unemployment_start: dt.date | None = Field(
        None, description="Date d'inscription comme demandeur d'emploi / unemployment start."
    )
    ass_work_history: bool = Field(
        False, description="5 ans d'activité dans les 10 dernières années (ASS) / 5 years of work in the last 10."
    )
    pregnant: bool = Field(False, description="Grossesse en cours / pregnant.")
    school: engine.School = Field(engine.School.NONE, description="Scolarité d'un enfant / child's schooling.")


class HousingIn(Schema):
    status: engine.HousingStatus = Field(..., description="Statut d'occupation du logement / housing status.")
    commune_insee: str = Field(
        ..., description="Code INSEE de la commune / INSEE code of the commune.", examples=["46105"]
    )
    rent: float = Field(
        0.0, description="Loyer ou mensualité d'emprunt hors charges, €/mois (locataire, accédant) / rent."
    )
    charges: float = Field(0.0, description="Charges locatives, €/mois / service charges.")
    shared: bool = Field(False, description="Colocation / flat share.")


class HouseholdIn(Schema):
    """A household situation; amounts in euros per month unless said otherwise."""

    month: str = Field(..., description="Mois de calcul des droits / month computed (AAAA-MM).", examples=["2026-11"])
    members: list[MemberIn] = Field(..., min_length=1, description="Personnes du foyer / household members.")
    housing: HousingIn
    childcare: engine.Childcare = Field(
        engine.Childcare.NONE, description="Mode de garde d'un enfant de moins de 6 ans / childcare."
    )
    already_received: list[BenefitCode] = Field(
        default_factory=list,
        description="Prestations déjà perçues / benefits already received: " + _BENEFIT_LIST + ".",
    )
    other_parent_pays_maintenance: bool | None = Field(
        None,
        description="Parent isolé : l'autre parent verse-t-il une pension ? (null : non demandé, ASF à vérifier) / "
        "single parent: does the other parent pay maintenance?",
    )
    savings: float = Field(0.0, description="Épargne (livret A et similaires), € / savings balance.")

    @model_validator(mode="wrap")
    @classmethod
    def _checked_by_the_engine(cls, data, handler):
        # The schema documents the body; the engine's reader checks it (`simulate` reads the raw
        # JSON), so that every error comes back in French with its field path, in one answer.
        try:
            return handler(data)
        except PydanticValidationError:
            return cls.model_construct()


class BenefitOut(Schema):
    code: str = Field(..., description="Code de la prestation (celui du catalogue des démarches) / benefit code.")
    label: str
    status: engine.Status = Field(
        ...,
        description="`eligible` : droit probable ; `not_eligible` : pas de droit probable ; "
        "`to_check` : le moteur ne peut pas conclure, à vérifier avec la démarche.",
    )
    amount: float | None = Field(..., description="Montant en euros, au centime ; null si non calculé / amount.")
    frequency: engine.Frequency = Field(..., description="`mensuel` ou `annuel`.")
    period: str = Field(..., description="Mois (AAAA-MM) d'un montant mensuel, année (AAAA) d'un montant annuel.")
    reason: str = Field(..., description="Raison principale, en français, si pas de droit ou à vérifier.")
    caveat: str = Field(..., description="Ce que l'agent doit savoir du montant, en français.")
    already_received: bool
    unclaimed: bool = Field(..., description="Droit probable non perçu (non-recours) / probable unclaimed right.")


class RightsCheckOut(Schema):
    month: str
    openfisca_version: str = Field(..., examples=["openfisca-france 176.1.8"])
    benefits: list[BenefitOut]
    unclaimed_monthly_total: float = Field(
        ..., description="Total mensuel des droits probables non perçus (annuels ÷ 12), € / monthly unclaimed total."
    )


class FieldErrorOut(Schema):
    field: str = Field(..., description="Chemin du champ dans le corps / field path, e.g. `members.0.birth_date`.")
    message: str = Field(..., description="En français, pour la personne au guichet.")


class SituationErrorOut(Schema):
    code: str = Field(..., examples=["invalid_input"])
    message: str
    errors: list[FieldErrorOut]


def check_out(result: engine.CheckResult) -> dict:
    data = result.to_dict()
    unclaimed = {b.code for b in result.unclaimed}
    for benefit in data["benefits"]:
        benefit["unclaimed"] = benefit["code"] in unclaimed
    data["unclaimed_monthly_total"] = result.monthly_unclaimed_total
    return data


def _invalid(errors: list[engine.FieldError]):
    return Status(
        422,
        {
            "code": "invalid_input",
            "message": "La situation est incomplète ou incohérente : corrigez les champs indiqués.",
            "errors": [{"field": e.field, "message": e.message} for e in errors],
        },
    )


@router.post(
    "/simulate",
    response={200: RightsCheckOut, 422: SituationErrorOut, 500: Error},
    summary="Simuler les droits probables d'une situation",
    description=(
        "Calcule, avec OpenFisca-France, les droits probables d'un foyer décrit dans la requête : "
        "RSA, prime d'activité, aides au logement, AAH, ASPA, prestations familiales, CSS, ASS, APA, "
        "chèque énergie, etc. La situation est **anonyme** : l'appel ne lit ni n'enregistre aucune donnée "
        "d'une personne de la plateforme, et n'est donc pas journalisé. Les montants sont des droits "
        "*probables*, à confirmer par la démarche. Une situation invalide donne une erreur 422 listant chaque "
        "champ en cause, en français.\n\n"
        "Simulates the probable rights of an anonymous household situation; no stored personal data is read "
        "or written."
    ),
)
def simulate(request: HttpRequest, payload: HouseholdIn):
    try:
        data = json.loads(request.body)
    except ValueError:
        return _invalid([engine.FieldError("", "Le corps de la requête n'est pas du JSON valide.")])
    try:
        household = household_from_dict(data)
        engine.validate(household, known_benefits=engine.CODES)
    except engine.SituationError as exc:
        return _invalid(exc.errors)
    try:
        result = engine.compute_one(household)
    except engine.SituationError as exc:
        return _invalid(exc.errors)
    except Exception:
        logger.exception("Calcul des droits impossible")
        return Status(
            500,
            {"code": "engine_error", "message": "Le calcul des droits a échoué ; réessayez plus tard ou signalez-le."},
        )
    return check_out(result)
