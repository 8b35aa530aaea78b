"""Hiring API: `POST /api/v1/hiring/simulate`, the cost of one or two job offers (no personal data).

Field errors are the engine's, in French, with the scenario's index when there are two
(`scenarios.1.amount`), so a partner shows them next to its own fields.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from carte_blanche.hiring.aids import aids_for
from carte_blanche.hiring.engine import (
    Basis,
    Contract,
    FieldError,
    Scenario,
    ScenarioError,
    WorkTime,
    compute,
    differences,
)

router = Router(tags=["embauche"])


class ScenarioIn(Schema):
    month: str = Field(..., description="Mois simulé / month, AAAA-MM.", examples=["2026-11"])
    amount: float = Field(..., description="Montant mensuel en euros / monthly amount (€).", examples=[1300])
    basis: Basis = Field(Basis.GROSS, description="`gross` (brut), `net` (net avant impôt) ou `cost` (coût total).")
    work_time: WorkTime = Field(WorkTime.FULL_TIME, description="`full_time` ou `part_time`.")
    monthly_hours: float | None = Field(None, description="Heures payées par mois, à temps partiel (< 151,67).")
    contract: Contract = Field(Contract.CDI, description="`cdi` ou `cdd` (indemnité de fin de contrat de 10 %).")
    executive: bool = Field(False, description="Cadre / executive.")
    headcount: int = Field(1, description="Effectif de l'entreprise (0 à 10).")
    commune: str = Field("", description="Code INSEE du lieu de travail / workplace INSEE code.")
    withholding_rate: float | None = Field(None, description="Taux de prélèvement à la source en % (0–43).")
    label: str = Field("", description="Nom du scénario.")


class SimulateIn(Schema):
    scenarios: list[ScenarioIn] = Field(..., min_length=1, max_length=2, description="Un ou deux scénarios.")


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorsOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class SimulateOut(Schema):
    results: list[dict] = Field(..., description="Résultat par scénario (montants mensuels en euros).")
    differences: dict = Field(default_factory=dict, description="Écarts du scénario 2 par rapport au 1.")
    aids: list[dict] = Field(default_factory=list, description="Aides à l'embauche à vérifier, avec conditions.")


@router.post("/simulate", response={200: SimulateOut, 422: ErrorsOut}, summary="Coût d'une embauche")
def simulate(request: HttpRequest, body: SimulateIn):
    """Salaire brut, net, cotisations, réduction générale et coût total employeur, calculés par OpenFisca-France."""
    scenarios = [Scenario(**item.dict()) for item in body.scenarios]
    try:
        results = compute(scenarios)
    except ScenarioError as exc:
        return Status(422, {"detail": "Scénario invalide.", "errors": [_error(e, len(scenarios)) for e in exc.errors]})
    aids = {a.code: a.to_dict() for s in scenarios for a in aids_for(s)}
    return Status(
        200,
        {
            "results": [r.to_dict() for r in results],
            "differences": differences(*results) if len(results) == 2 else {},
            "aids": list(aids.values()),
        },
    )


def _error(error: FieldError, count: int) -> dict:
    index, _, name = error.field.rpartition(".")
    return {"field": f"scenarios.{index or 0}.{name}", "message": error.message}
