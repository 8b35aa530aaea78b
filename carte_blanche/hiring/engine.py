"""Hiring-cost engine: a job offer in, the pay slip's main figures out, computed by OpenFisca-France.

Pure module (no Django import). It reuses the rights engine's tax-benefit system, built once
per process (`carte_blanche.rights.engine.simulation.tax_benefit_system`).

Conventions (docs/hiring.md):
- one employee, one month; every input is set for each month from January to the computed month,
  as for someone employed all year: the general reduction's year-to-date regularisation in
  December then sees the same pay every month, and the computed month is a steady month;
- the general reduction is computed month by month (`allegement_general_mode_recouvrement =
  anticipe`), as most payrolls do;
- a CDD carries OpenFisca's 10 % end-of-contract allowance (`indemnite_fin_contrat`) every month:
  the monthly share of what will be paid at the end, subject to contributions like pay;
- a net salary or a total cost is turned into a gross one by a search on OpenFisca itself: a grid
  of candidate grosses in one vectorised simulation, then the cents around the interpolated
  answer in a second one, which also gives every figure of the result; no rate is hard-coded.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum

import numpy as np

from carte_blanche.rights.engine.simulation import openfisca_version, tax_benefit_system

FULL_TIME_HOURS = 151.67  # legal monthly hours (35 h a week); OpenFisca reads it from its parameters
MAX_HEADCOUNT = 10  # the HR centre serves businesses of fewer than 11 employees
MAX_WITHHOLDING_RATE = 43.0  # top rate of the income-tax withholding scale, in %
FIRST_MONTH = "2019-01"  # OpenFisca's formulas for supplementary pensions (AGIRC-ARRCO) start there
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


class Basis(StrEnum):
    GROSS = "gross"  # salaire brut
    NET = "net"  # salaire net avant impôt
    COST = "cost"  # coût total employeur


class Contract(StrEnum):
    CDI = "cdi"
    CDD = "cdd"


class WorkTime(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str  # French


class ScenarioError(ValueError):
    """The scenario cannot be computed; `errors` says which field and why, in French."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


@dataclass(frozen=True)
class Scenario:
    """One job offer for one month.

    `amount` is a monthly amount in euros on `basis`: the gross salary, the net salary before
    income tax, or the employer's total cost. `headcount` is the company's headcount
    (effectif) as OpenFisca uses it for thresholds. `commune` is the INSEE code of the workplace
    (location-dependent contributions: the versement mobilité). `withholding_rate` is the
    employee's income-tax withholding rate in % (OpenFisca does not compute it: the rate comes
    from the tax office, or the neutral rate scale).
    """

    month: str
    amount: float
    basis: Basis = Basis.GROSS
    work_time: WorkTime = WorkTime.FULL_TIME
    monthly_hours: float | None = None  # part time only
    contract: Contract = Contract.CDI
    executive: bool = False  # cadre
    headcount: int = 1
    commune: str = ""
    withholding_rate: float | None = None
    label: str = ""

    @property
    def hours(self) -> float:
        if self.work_time is WorkTime.PART_TIME and self.monthly_hours:
            return float(self.monthly_hours)
        return FULL_TIME_HOURS

    def to_dict(self) -> dict:
        return {**asdict(self), "basis": self.basis.value, "work_time": self.work_time.value}

    @classmethod
    def from_dict(cls, data: dict) -> Scenario:
        return cls(
            month=str(data["month"]),
            amount=float(data["amount"]),
            basis=Basis(data.get("basis", Basis.GROSS)),
            work_time=WorkTime(data.get("work_time", WorkTime.FULL_TIME)),
            monthly_hours=None if data.get("monthly_hours") in (None, "") else float(data["monthly_hours"]),
            contract=Contract(data.get("contract", Contract.CDI)),
            executive=bool(data.get("executive", False)),
            headcount=int(data.get("headcount", 1)),
            commune=str(data.get("commune") or ""),
            withholding_rate=None if data.get("withholding_rate") in (None, "") else float(data["withholding_rate"]),
            label=str(data.get("label") or ""),
        )


@dataclass(frozen=True)
class Line:
    """One line of contributions: a label, the OpenFisca variables summed, the monthly amount (€, ≥ 0)."""

    label: str
    variables: tuple[str, ...]
    amount: float


@dataclass(frozen=True)
class CostResult:
    scenario: Scenario
    gross: float  # salaire de base
    end_of_contract_allowance: float  # indemnité de fin de contrat, monthly share (CDD)
    net_before_tax: float  # salaire net (before income-tax withholding)
    taxable: float  # salaire net imposable, the withholding base
    withholding: float | None  # income tax withheld, if a rate was given
    net_after_tax: float | None
    employee_contributions: float  # cotisations et contributions salariales (CSG, CRDS included)
    employee_lines: tuple[Line, ...]
    employer_contributions: float  # before reductions
    employer_lines: tuple[Line, ...]
    general_reduction: float  # réduction générale (allegement_general)
    other_reductions: float  # exonérations (exonerations)
    total_cost: float  # coût total employeur (salaire_super_brut)
    hours: float
    smic_prorated: float
    openfisca_version: str
    warnings: tuple[str, ...] = ()

    @property
    def gross_per_hour(self) -> float:
        return round(self.gross / self.hours, 2)

    @property
    def net_per_hour(self) -> float:
        return round(self.net_before_tax / self.hours, 2)

    @property
    def cost_per_hour(self) -> float:
        return round(self.total_cost / self.hours, 2)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["scenario"] = self.scenario.to_dict()
        data["gross_per_hour"] = self.gross_per_hour
        data["net_per_hour"] = self.net_per_hour
        data["cost_per_hour"] = self.cost_per_hour
        return data


# Main lines of the pay slip: (label, OpenFisca variables). Contributions are negative in
# OpenFisca; they are shown positive. What is not listed falls in "Autres".
EMPLOYEE_LINES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Assurance vieillesse (Sécurité sociale)", ("vieillesse_plafonnee_salarie", "vieillesse_deplafonnee_salarie")),
    (
        "Retraite complémentaire (AGIRC-ARRCO, CEG, CET)",
        ("agirc_arrco_salarie", "contribution_equilibre_general_salarie", "contribution_equilibre_technique_salarie"),
    ),
    ("Assurance chômage et APEC", ("chomage_salarie", "apec_salarie")),
    ("CSG déductible", ("csg_deductible_salaire",)),
    ("CSG non déductible et CRDS", ("csg_imposable_salaire", "crds_salaire")),
)
EMPLOYER_LINES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Assurance maladie", ("mmid_employeur_net_allegement",)),
    ("Assurance vieillesse (Sécurité sociale)", ("vieillesse_plafonnee_employeur", "vieillesse_deplafonnee_employeur")),
    ("Allocations familiales", ("famille_net_allegement",)),
    (
        "Retraite complémentaire (AGIRC-ARRCO, CEG, CET)",
        (
            "agirc_arrco_employeur",
            "contribution_equilibre_general_employeur",
            "contribution_equilibre_technique_employeur",
        ),
    ),
    ("Assurance chômage et AGS", ("chomage_employeur", "ags", "apec_employeur")),
    ("Accidents du travail", ("accident_du_travail",)),
    ("Contribution solidarité autonomie", ("contribution_solidarite_autonomie",)),
    (
        "Formation, apprentissage, FNAL, versement mobilité",
        ("cotisations_employeur_main_d_oeuvre",),
    ),
)
_TOTALS = (
    "salaire_de_base",
    "indemnite_fin_contrat",
    "salaire_net",
    "salaire_imposable",
    "cotisations_salariales",
    "csg_deductible_salaire",
    "csg_imposable_salaire",
    "crds_salaire",
    "cotisations_employeur",
    "allegement_general",
    "exonerations",
    "salaire_super_brut",
    "smic_proratise",
)
OUTPUT_VARIABLES = tuple(
    dict.fromkeys(_TOTALS + tuple(v for _label, vs in EMPLOYEE_LINES + EMPLOYER_LINES for v in vs))
)
# The search for a gross from a net or a cost: the grid's bounds as multiples of the target
# (wide enough for any contribution rate from 0 to 100 %), its size, the cents tried around it.
_GRID_POINTS = 801
_REFINE_CENTS = np.arange(-300, 301) / 100


# ---------------------------------------------------------------------------------------
# Validation


def _validate(s: Scenario) -> list[FieldError]:
    errors: list[FieldError] = []
    match = _MONTH.match(s.month or "")
    if not match:
        errors.append(FieldError("month", "Mois attendu au format AAAA-MM (par exemple 2026-11)."))
    elif s.month < FIRST_MONTH:
        errors.append(FieldError("month", "Le simulateur calcule à partir de janvier 2019."))
    elif int(match.group(1)) > 2100:
        errors.append(FieldError("month", "Mois trop lointain."))
    if s.amount is None or not np.isfinite(s.amount) or s.amount <= 0:
        errors.append(FieldError("amount", "Le montant mensuel doit être un nombre positif."))
    elif s.amount > 100_000:
        errors.append(FieldError("amount", "Montant mensuel trop élevé pour ce simulateur (100 000 € au plus)."))
    if s.work_time is WorkTime.PART_TIME:
        if s.monthly_hours is None:
            errors.append(FieldError("monthly_hours", "À temps partiel, indiquez les heures payées par mois."))
        elif s.monthly_hours <= 0:
            errors.append(FieldError("monthly_hours", "Le nombre d'heures par mois doit être positif."))
        elif s.monthly_hours >= FULL_TIME_HOURS:
            errors.append(
                FieldError(
                    "monthly_hours",
                    "Un temps partiel compte moins de 151,67 heures par mois (35 h par semaine) ; "
                    "au-delà, choisissez le temps plein (les heures supplémentaires ne sont pas simulées).",
                )
            )
    if s.headcount is None or s.headcount < 0:
        errors.append(FieldError("headcount", "L'effectif ne peut pas être négatif."))
    elif s.headcount > MAX_HEADCOUNT:
        errors.append(
            FieldError(
                "headcount",
                "Le simulateur du centre RH est réservé aux entreprises de moins de 11 salariés "
                "(les seuils de 11, 20 et 50 salariés changent plusieurs contributions).",
            )
        )
    if s.commune and not _INSEE.match(s.commune):
        errors.append(FieldError("commune", "Code commune INSEE à 5 caractères attendu (par exemple 46042)."))
    if s.withholding_rate is not None and not (0 <= s.withholding_rate <= MAX_WITHHOLDING_RATE):
        errors.append(FieldError("withholding_rate", "Le taux de prélèvement à la source est compris entre 0 et 43 %."))
    return errors


def validate(scenario: Scenario) -> None:
    """Raise ScenarioError with French field errors; nothing is computed on wrong data.

    The SMIC check needs OpenFisca (the prorated SMIC of the month): `compute` makes it after
    solving the gross, and refuses a salary under the SMIC the same way.
    """
    errors = _validate(scenario)
    if errors:
        raise ScenarioError(errors)


def validate_all(scenarios) -> None:
    errors: list[FieldError] = []
    for index, scenario in enumerate(scenarios):
        prefix = f"{index}." if len(scenarios) > 1 else ""
        errors.extend(FieldError(prefix + e.field, e.message) for e in _validate(scenario))
    if errors:
        raise ScenarioError(errors)


# ---------------------------------------------------------------------------------------
# OpenFisca


def _months_to(month: str) -> list[str]:
    year, last = int(month[:4]), int(month[5:])
    return [f"{year:04d}-{m:02d}" for m in range(1, last + 1)]


def smic_prorated(month: str, hours: float) -> float:
    """Monthly SMIC for these paid hours, from OpenFisca's parameters (smic_proratise's rule)."""
    smic = tax_benefit_system().parameters(month).marche_travail.salaire_minimum.smic
    return round(float(smic.smic_b_horaire) * min(hours, float(smic.nb_heures_travail_mensuel)), 2)


def _simulate(rows: list[Scenario], grosses: np.ndarray):
    """One vectorised simulation: row i is scenario rows[i] with gross salary grosses[i].

    Rows may have different months: each row's inputs are set from January of its year to its
    month (other months keep OpenFisca's defaults, i.e. no pay).
    """
    from openfisca_core.simulation_builder import SimulationBuilder

    tbs = tax_benefit_system()
    n = len(rows)
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("individu", np.arange(n))
    for key, role in (
        ("famille", "demandeur"),
        ("foyer_fiscal", "declarant_principal"),
        ("menage", "personne_de_reference"),
    ):
        entity = builder.declare_entity(key, np.arange(n))
        builder.join_with_persons(entity, np.arange(n), np.array([role] * n))
    sim = builder.build(tbs)
    inputs = _inputs(rows, grosses)
    all_months = sorted({m for r in rows for m in _months_to(r.month)})
    for m in all_months:
        active = np.array([m[:4] == r.month[:4] and m <= r.month for r in rows])
        for variable, values in inputs.items():
            if variable == "salaire_de_base":
                values = np.where(active, values, 0.0)
            sim.set_input(variable, m, values)
    return sim


def _inputs(rows: list[Scenario], grosses: np.ndarray) -> dict[str, np.ndarray]:
    part_time = np.array([r.work_time is WorkTime.PART_TIME for r in rows])
    return {
        "salaire_de_base": np.asarray(grosses, dtype=np.float64),
        "contrat_de_travail": np.where(part_time, "temps_partiel", "temps_plein"),
        "heures_remunerees_volume": np.array([r.hours if r.work_time is WorkTime.PART_TIME else 0.0 for r in rows]),
        "contrat_de_travail_type": np.array([r.contract.value for r in rows]),
        "indemnite_fin_contrat_due": np.array([r.contract is Contract.CDD for r in rows]),
        "categorie_salarie": np.array(["prive_cadre" if r.executive else "prive_non_cadre" for r in rows]),
        "effectif_entreprise": np.array([r.headcount for r in rows]),
        "depcom_entreprise": np.array([r.commune for r in rows]),
        "allegement_general_mode_recouvrement": np.array(["anticipe"] * len(rows)),
    }


def _calculate(sim, rows: list[Scenario], variables) -> dict[str, np.ndarray]:
    """Each variable for each row's own month (rows of different months are computed per month)."""
    out = {v: np.zeros(len(rows), dtype=np.float64) for v in variables}
    months = sorted({r.month for r in rows})
    for month in months:
        mask = np.array([r.month == month for r in rows])
        for v in variables:
            values = np.asarray(sim.calculate(v, month), dtype=np.float64)
            out[v][mask] = values[mask]
    return out


def _measure(values: dict[str, np.ndarray], basis: Basis) -> np.ndarray:
    if basis is Basis.NET:
        return values["salaire_net"]
    return values["salaire_super_brut"]


def _solve_grosses(scenarios: list[Scenario]) -> list[float]:
    """The gross salary of each scenario: its amount, or found on OpenFisca from a net or a cost."""
    grosses = [s.amount if s.basis is Basis.GROSS else 0.0 for s in scenarios]
    to_solve = [i for i, s in enumerate(scenarios) if s.basis is not Basis.GROSS]
    if not to_solve:
        return grosses
    # 1. A grid of grosses from 0.3 to 3 times the target, for every scenario, in one simulation.
    factors = np.concatenate([[0.0], np.geomspace(0.3, 3.0, _GRID_POINTS - 1)])
    rows = [scenarios[i] for i in to_solve for _ in factors]
    candidates = np.concatenate([scenarios[i].amount * factors for i in to_solve])
    sim = _simulate(rows, np.round(candidates, 2))
    variables = (
        ("salaire_net",)
        if all(scenarios[i].basis is Basis.NET for i in to_solve)
        else ("salaire_net", "salaire_super_brut")
    )
    values = _calculate(sim, rows, variables)
    width = len(factors)
    first_guess: dict[int, float] = {}
    for k, i in enumerate(to_solve):
        s = scenarios[i]
        measured = _measure({v: a[k * width : (k + 1) * width] for v, a in values.items()}, s.basis)
        grid = candidates[k * width : (k + 1) * width]
        # OpenFisca's net and cost grow with the gross; np.maximum.accumulate guards the interpolation
        # against rounding steps.
        first_guess[i] = float(np.interp(s.amount, np.maximum.accumulate(measured), grid))
    # 2. The cents around the first guess, in one simulation; the closest by the cent wins.
    rows = [scenarios[i] for i in to_solve for _ in _REFINE_CENTS]
    candidates = np.concatenate([np.maximum(np.round(first_guess[i] + _REFINE_CENTS, 2), 0.0) for i in to_solve])
    sim = _simulate(rows, candidates)
    values = _calculate(sim, rows, variables)
    width = len(_REFINE_CENTS)
    for k, i in enumerate(to_solve):
        s = scenarios[i]
        measured = _measure({v: a[k * width : (k + 1) * width] for v, a in values.items()}, s.basis)
        grid = candidates[k * width : (k + 1) * width]
        gap = np.abs(np.round(measured, 2) - s.amount)
        grosses[i] = float(grid[int(np.argmin(gap))])  # argmin: the lowest gross among ties
    return grosses


def _line_amount(values: dict[str, np.ndarray], row: int, variables: tuple[str, ...]) -> float:
    return round(-float(sum(values[v][row] for v in variables)), 2)


def _result(s: Scenario, values: dict[str, np.ndarray], row: int, version: str) -> CostResult:
    v = {name: float(array[row]) for name, array in values.items()}
    employee_total = round(
        -(v["cotisations_salariales"] + v["csg_deductible_salaire"] + v["csg_imposable_salaire"] + v["crds_salaire"]),
        2,
    )
    employer_total = round(-v["cotisations_employeur"], 2)
    employee_lines = [Line(label, vs, _line_amount(values, row, vs)) for label, vs in EMPLOYEE_LINES]
    employer_lines = [Line(label, vs, _line_amount(values, row, vs)) for label, vs in EMPLOYER_LINES]
    rest = round(employee_total - sum(line.amount for line in employee_lines), 2)
    if abs(rest) >= 0.01:
        employee_lines.append(Line("Autres", ("cotisations_salariales",), rest))
    rest = round(employer_total - sum(line.amount for line in employer_lines), 2)
    if abs(rest) >= 0.01:
        employer_lines.append(Line("Autres", ("cotisations_employeur",), rest))
    net = round(v["salaire_net"], 2)
    taxable = round(v["salaire_imposable"], 2)
    withholding = None if s.withholding_rate is None else round(taxable * s.withholding_rate / 100, 2)
    warnings = []
    if s.work_time is WorkTime.PART_TIME and s.hours < 104:
        warnings.append(
            "Moins de 24 heures par semaine (104 h par mois) : possible seulement à la demande écrite du "
            "salarié, pour certains publics ou si la convention collective le prévoit."
        )
    if s.contract is Contract.CDD:
        warnings.append(
            "L'indemnité de fin de contrat (10 % du brut) est versée à la fin du CDD ; elle est comptée ici "
            "mois par mois. Elle n'est pas due si le CDD se poursuit en CDI ou dans les cas prévus par la loi."
        )
    return CostResult(
        scenario=s,
        gross=round(v["salaire_de_base"], 2),
        end_of_contract_allowance=round(v["indemnite_fin_contrat"], 2),
        net_before_tax=net,
        taxable=taxable,
        withholding=withholding,
        net_after_tax=None if withholding is None else round(net - withholding, 2),
        employee_contributions=employee_total,
        employee_lines=tuple(employee_lines),
        employer_contributions=employer_total,
        employer_lines=tuple(employer_lines),
        general_reduction=round(v["allegement_general"], 2),
        other_reductions=round(v["exonerations"], 2),
        total_cost=round(v["salaire_super_brut"], 2),
        hours=s.hours,
        smic_prorated=round(v["smic_proratise"], 2),
        openfisca_version=version,
        warnings=tuple(warnings),
    )


def compute(scenarios) -> list[CostResult]:
    """The cost of each scenario, in input order, in at most three vectorised simulations.

    Raises ScenarioError (fields prefixed by the scenario's index when there are several) on
    invalid input, including a gross salary under the SMIC prorated to the hours: the minimum
    wage is a legal floor (apprentices and some collective agreements aside, not simulated here),
    so such a scenario is refused rather than computed.
    """
    scenarios = list(scenarios)
    validate_all(scenarios)
    grosses = _solve_grosses(scenarios)
    errors: list[FieldError] = []
    for index, (s, gross) in enumerate(zip(scenarios, grosses, strict=True)):
        floor = smic_prorated(s.month, s.hours)
        if gross < floor - 0.005:
            prefix = f"{index}." if len(scenarios) > 1 else ""
            what = "Le salaire brut" if s.basis is Basis.GROSS else f"Le salaire brut correspondant ({gross:.2f} €)"
            errors.append(
                FieldError(
                    prefix + "amount",
                    f"{what} est inférieur au SMIC pour {s.hours:.2f} h par mois ({floor:.2f} € brut) : "
                    "un salaire sous le SMIC n'est pas permis (hors apprentis et cas particuliers).",
                )
            )
    if errors:
        raise ScenarioError(errors)
    sim = _simulate(scenarios, np.array(grosses))
    values = _calculate(sim, scenarios, OUTPUT_VARIABLES)
    version = openfisca_version()
    return [_result(s, values, i, version) for i, s in enumerate(scenarios)]


def compute_one(scenario: Scenario) -> CostResult:
    return compute([scenario])[0]


# ---------------------------------------------------------------------------------------
# Comparison


COMPARED = (
    ("gross", "Salaire brut"),
    ("end_of_contract_allowance", "Indemnité de fin de contrat"),
    ("net_before_tax", "Salaire net avant impôt"),
    ("net_after_tax", "Salaire net après impôt"),
    ("employee_contributions", "Cotisations salariales"),
    ("employer_contributions", "Cotisations patronales"),
    ("general_reduction", "Réduction générale"),
    ("other_reductions", "Autres exonérations"),
    ("total_cost", "Coût total employeur"),
    ("gross_per_hour", "Salaire brut par heure"),
    ("net_per_hour", "Salaire net par heure"),
    ("cost_per_hour", "Coût employeur par heure"),
)


@dataclass(frozen=True)
class Comparison:
    a: CostResult
    b: CostResult
    differences: dict[str, float | None] = field(default_factory=dict)  # b − a, per COMPARED key

    def to_dict(self) -> dict:
        return {"a": self.a.to_dict(), "b": self.b.to_dict(), "differences": dict(self.differences)}


def differences(a: CostResult, b: CostResult) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key, _label in COMPARED:
        x, y = getattr(a, key), getattr(b, key)
        out[key] = None if x is None or y is None else round(y - x, 2)
    return out


def compare(a: Scenario, b: Scenario) -> Comparison:
    """Both scenarios, computed together, and what changes from the first to the second."""
    ra, rb = compute([a, b])
    return Comparison(ra, rb, differences(ra, rb))


def copy_scenario(s: Scenario, **changes) -> Scenario:
    return replace(s, **changes)
