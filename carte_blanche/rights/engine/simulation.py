"""OpenFisca-France behind the engine's dataclasses (pure module, no Django import).

One vectorised simulation per chunk of households: the simulation's cost is mostly per
formula call, not per household, so a chunk of hundreds costs about the same as one.
The tax-benefit system is built once per process (`warm_up()` does it ahead of time).

How a situation becomes an OpenFisca one (see docs/rights.md for the reasons):
- incomes of the last 3 months go month by month; the rest of the 12-month total is spread
  over the 9 months before; older months (back to 4 years, for the fiscal income of N-2 and the
  rolling year of the housing aid) repeat that average: the situation is projected backwards;
- net salaries become gross by inverting OpenFisca's own salary chain, month by month
  (a table computed once per process and month, interpolated);
- the housing-aid zone comes from the commune's INSEE code (OpenFisca's zoning file), set as
  an input;
- the history of RSA and housing aid is computed oldest month first, so that OpenFisca's cycle
  cut-offs (a month's housing aid depends on last month's RSA, which depends on last month's
  housing aid) never depend on the order in which benefits are asked.
"""

from __future__ import annotations

import csv
import importlib.metadata
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from .benefits import BENEFITS, CODES
from .results import BenefitResult, CheckResult, Frequency, Status
from .situation import (
    Activity,
    Childcare,
    ContractType,
    FieldError,
    Household,
    HousingStatus,
    IncomeKind,
    Member,
    Role,
    SituationError,
    WorkTime,
    age_at,
    month_start,
    validate,
)

DEFAULT_CHUNK = 2000
MIN_PROFILE_GROUP = 1000  # households sharing a profile, for a simulation of their own
HISTORY_PASS = 3  # months of RSA and housing aid computed oldest first before the outputs

_lock = threading.RLock()
_tbs = None
_zones: dict[str, int] | None = None
_dept_zone: dict[str, int] = {}
_gross_tables: dict[str, tuple[np.ndarray, np.ndarray]] = {}
_warmed: set[str] = set()

# Gross monthly salaries at which OpenFisca's net salary is tabulated (finer where most
# salaries are); the inverse is interpolated between points.
_GROSS_GRID = np.unique(
    np.concatenate([np.arange(0, 6000, 5.0), np.arange(6000, 30000, 50.0), np.arange(30000, 130001, 1000.0)])
)


def openfisca_version() -> str:
    return f"openfisca-france {importlib.metadata.version('openfisca-france')}"


def tax_benefit_system():
    global _tbs
    if _tbs is None:
        with _lock:
            if _tbs is None:
                from openfisca_france import CountryTaxBenefitSystem

                _tbs = CountryTaxBenefitSystem()
    return _tbs


def warm_up(month: str | None = None) -> None:
    """Build the tax-benefit system and run one computation, so the first request is not slow."""
    from .situation import Housing, Income

    month = month or date.today().strftime("%Y-%m")
    if month in _warmed:
        return
    start = month_start(month)
    compute(
        [
            Household(
                month=month,
                members=(
                    Member(
                        id="a",
                        role=Role.APPLICANT,
                        birth_date=date(start.year - 30, 1, 1),
                        activity=Activity.EMPLOYED,
                        work_time=WorkTime.PART_TIME,
                        monthly_hours=100,
                        contract=ContractType.CDD,
                        incomes=(Income(IncomeKind.SALARY, (1000.0, 1000.0, 1000.0), 12000.0),),
                    ),
                    Member(id="c", role=Role.CHILD, birth_date=date(start.year - 2, 1, 1)),
                ),
                housing=Housing(HousingStatus.TENANT_PRIVATE, "46042", rent=450.0),
            )
        ]
    )
    _warmed.add(month)


# ---------------------------------------------------------------------------------------
# Periods


def _shift(month: str, delta: int) -> str:
    year, mon = (int(x) for x in month.split("-"))
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _history(month: str) -> list[str]:
    """The months whose inputs are set, oldest first, ending with the computed month.

    From January of year N-2: the fiscal income of N-2 (family benefits, chèque énergie)
    needs all of it; the housing aid's rolling year (M-13..M-2) and the CSS's fall inside.
    """
    first = f"{int(month[:4]) - 2}-01"
    months = [first]
    while months[-1] != month:
        months.append(_shift(months[-1], 1))
    return months


# ---------------------------------------------------------------------------------------
# Housing-aid zone from the INSEE code


def _load_zones() -> None:
    global _zones
    if _zones is not None:
        return
    import openfisca_france

    path = Path(openfisca_france.__file__).parent / "assets" / "apl" / "20110914_zonage.csv"
    zones: dict[str, int] = {}
    per_dept: dict[str, Counter] = defaultdict(Counter)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["CODGEO"].strip().zfill(5)
            zone = int(row["Zonage"][0])  # "1bis" counts as zone 1, as in OpenFisca
            zones[code] = zone
            per_dept[code[:2]][zone] += 1
    _dept_zone.update({dept: counts.most_common(1)[0][0] for dept, counts in per_dept.items()})
    _zones = zones


def housing_zone(insee: str) -> int:
    """Zone 1, 2 or 3 of the aides au logement for a commune.

    OpenFisca's zoning file lists the communes of 2014; a commune created since (a merger)
    takes the most frequent zone of its département rather than OpenFisca's silent zone 2.
    """
    _load_zones()
    assert _zones is not None
    if insee in _zones:
        return _zones[insee]
    return _dept_zone.get(insee[:2], 2)


# ---------------------------------------------------------------------------------------
# Net salary -> gross salary, by inverting OpenFisca's own salary chain


_table_of: dict[str, str] = {}  # month -> the month whose net-salary table is identical
_EXACT_CACHE_MAX = 500_000
_OFFSETS = np.arange(-5, 6) / 100  # candidate grosses around the interpolated one, by the cent
# (table month, net in cents, contract, part time, hours) -> (gross, net, taxable)
_salary_cache: dict[tuple, tuple[float, float, float]] = {}

SalaryRequest = tuple[str, float, str, bool, float]  # month, net, contract, part time, hours


def _gross_table(month: str) -> tuple[np.ndarray, np.ndarray]:
    if month not in _table_of:
        with _lock:
            if month not in _table_of:
                _build_gross_tables([m for m in _history(month) if m not in _table_of])
    return _gross_tables[_table_of[month]]


def _salary_simulation(grosses: np.ndarray, months: list[str], *, contracts=None, part_time=None, hours=None):
    from openfisca_core.simulation_builder import SimulationBuilder

    tbs = tax_benefit_system()
    n = len(grosses)
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("individu", np.arange(n))
    roles = (("famille", "demandeur"), ("foyer_fiscal", "declarant_principal"), ("menage", "personne_de_reference"))
    for key, role in roles:
        entity = builder.declare_entity(key, np.arange(n))
        builder.join_with_persons(entity, np.arange(n), np.array([role] * n))
    sim = builder.build(tbs)
    for month in months:
        sim.set_input("salaire_de_base", month, grosses)
        sim.set_input("contrat_de_travail_type", month, contracts if contracts is not None else np.array(["cdi"] * n))
        if part_time is not None and part_time.any():
            sim.set_input("contrat_de_travail", month, np.where(part_time, "temps_partiel", "temps_plein"))
            sim.set_input("heures_remunerees_volume", month, np.where(part_time, hours, 0.0))
    return sim


def _build_gross_tables(months: list[str]) -> None:
    sim = _salary_simulation(_GROSS_GRID, months)
    for month in months:
        net = np.asarray(sim.calculate("salaire_net", month), dtype=np.float64)
        for other, (nets, _grosses) in _gross_tables.items():
            if np.array_equal(np.sort(net), nets) and _table_of.get(other) == other:
                _table_of[month] = other
                break
        else:
            order = np.argsort(net, kind="stable")
            _gross_tables[month] = (net[order], _GROSS_GRID[order])
            _table_of[month] = month


def resolve_salaries(requests: set[SalaryRequest]) -> dict[SalaryRequest, tuple[float, float, float]]:
    """Gross, net and taxable salary, as OpenFisca computes them, for each requested net salary.

    A request is (month, net salary, contract, part time, monthly hours). People know their net
    pay; OpenFisca takes the gross. A table of OpenFisca's net salaries over a grid of gross
    salaries, built once per process for each period of identical rules, gives a first guess;
    OpenFisca's net is a step function (each contribution is rounded), so the exact gross is
    chosen among the grosses a few cents around it, with the person's contract, in one small
    vectorised simulation per period of identical rules, for the requests not seen before in
    this process. Its net and taxable salaries are kept too: the household's simulation takes
    them as inputs instead of running the contributions chain month after month.
    """
    keyed: dict[SalaryRequest, tuple] = {}
    for month, net, contract, part_time, hours in requests:
        _gross_table(month)
        keyed[(month, net, contract, part_time, hours)] = (
            _table_of[month],
            int(round(net * 100)),
            contract,
            bool(part_time),
            float(hours) if part_time else 0.0,
        )
    missing = sorted({k for k in keyed.values() if k not in _salary_cache and k[1] > 0})
    if missing:
        if len(_salary_cache) > _EXACT_CACHE_MAX:
            _salary_cache.clear()
        by_rep: dict[str, list[tuple]] = defaultdict(list)
        for key in missing:
            by_rep[key[0]].append(key)
        width = len(_OFFSETS)
        for rep, keys in by_rep.items():
            guesses = np.interp(np.array([k[1] for k in keys]) / 100, *_gross_tables[rep])
            candidates = np.maximum(np.round(guesses[:, None] + _OFFSETS[None, :], 2), 0.0)
            sim = _salary_simulation(
                candidates.ravel(),
                [rep],
                contracts=np.repeat([k[2] for k in keys], width),
                part_time=np.repeat([k[3] for k in keys], width),
                hours=np.repeat(np.array([k[4] for k in keys], dtype=np.float64), width),
            )
            nets = np.asarray(sim.calculate("salaire_net", rep), dtype=np.float64).reshape(candidates.shape)
            taxable = np.asarray(sim.calculate("salaire_imposable", rep), dtype=np.float64).reshape(candidates.shape)
            for row, key in enumerate(keys):
                best = int(np.argmin(np.abs(nets[row] - key[1] / 100)))
                _salary_cache[key] = (float(candidates[row, best]), float(nets[row, best]), float(taxable[row, best]))
    return {request: _salary_cache.get(key, (0.0, 0.0, 0.0)) for request, key in keyed.items()}


def salaries_to_gross(pairs: set[tuple[str, float]]) -> dict[tuple[str, float], float]:
    """Gross monthly salary for each (month, net salary) of a full-time permanent employee."""
    resolved = resolve_salaries({(month, net, "cdi", False, 0.0) for month, net in pairs})
    return {(month, net): resolved[(month, net, "cdi", False, 0.0)][0] for month, net in pairs}


# ---------------------------------------------------------------------------------------
# The simulation


@dataclass
class _Persons:
    """Flattened persons of a chunk, with their group indexes and roles."""

    members: list[Member]
    household: np.ndarray  # index of the household in the chunk
    famille: np.ndarray
    famille_role: list[str]
    foyer: np.ndarray
    foyer_role: list[str]
    menage_role: list[str]
    main_famille: list[int]  # famille index of each household's applicant


def _flatten(households: Sequence[Household]) -> _Persons:
    members: list[Member] = []
    household_idx: list[int] = []
    famille: list[int] = []
    famille_role: list[str] = []
    foyer_role: list[str] = []
    menage_role: list[str] = []
    main_famille: list[int] = []
    next_famille = 0
    for h_index, household in enumerate(households):
        main = next_famille
        main_famille.append(main)
        next_famille += 1
        # applicant first, then partner, children, other adults (each other adult forms its own
        # famille and foyer fiscal, inside the same ménage).
        ordered = sorted(household.members, key=lambda m: list(Role).index(m.role))
        for member in ordered:
            members.append(member)
            household_idx.append(h_index)
            if member.role is Role.OTHER:
                famille.append(next_famille)
                next_famille += 1
                famille_role.append("demandeur")
                foyer_role.append("declarant_principal")
                menage_role.append("autre")
                continue
            famille.append(main)
            famille_role.append(
                {Role.APPLICANT: "demandeur", Role.PARTNER: "conjoint", Role.CHILD: "enfant"}[member.role]
            )
            foyer_role.append(
                {Role.APPLICANT: "declarant_principal", Role.PARTNER: "conjoint", Role.CHILD: "personne_a_charge"}[
                    member.role
                ]
            )
            menage_role.append(
                {Role.APPLICANT: "personne_de_reference", Role.PARTNER: "conjoint", Role.CHILD: "enfant"}[member.role]
            )
    famille_arr = np.array(famille)
    return _Persons(
        members=members,
        household=np.array(household_idx),
        famille=famille_arr,
        famille_role=famille_role,
        foyer=famille_arr,  # one foyer fiscal per famille: a couple declares jointly
        foyer_role=foyer_role,
        menage_role=menage_role,
        main_famille=main_famille,
    )


def _monthly_series(member: Member, kind: IncomeKind, months: list[str]) -> np.ndarray | None:
    """The amount of one income for each month of the history, oldest first (None: no income)."""
    income = member.income(kind)
    if income is None or (income.last_12_months <= 0 and not any(income.last_3_months)):
        return None
    older = max(income.last_12_months - sum(income.last_3_months), 0.0) / 9
    series = np.full(len(months), older, dtype=np.float64)
    # months[-1] is the computed month: it repeats last month; months[-4:-1] are M-3..M-1.
    series[-4], series[-3], series[-2] = income.last_3_months
    series[-1] = income.last_3_months[-1]
    return series


def _build(households: Sequence[Household], month: str):
    from openfisca_core.simulation_builder import SimulationBuilder

    tbs = tax_benefit_system()
    persons = _flatten(households)
    n_persons = len(persons.members)
    n_familles = int(persons.famille.max()) + 1
    n_menages = len(households)
    months = _history(month)

    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("individu", np.arange(n_persons))
    fam = builder.declare_entity("famille", np.arange(n_familles))
    builder.join_with_persons(fam, persons.famille, np.array(persons.famille_role))
    foy = builder.declare_entity("foyer_fiscal", np.arange(n_familles))
    builder.join_with_persons(foy, persons.foyer, np.array(persons.foyer_role))
    men = builder.declare_entity("menage", np.arange(n_menages))
    builder.join_with_persons(men, persons.household, np.array(persons.menage_role))
    sim = builder.build(tbs)

    def every_month(variable: str, values) -> None:
        values = np.asarray(values)
        for m in months:
            sim.set_input(variable, m, values)

    def series(variable: str, matrix: np.ndarray) -> None:
        for k, m in enumerate(months):
            sim.set_input(variable, m, matrix[:, k])

    members = persons.members
    sim.set_input(
        "date_naissance", "ETERNITY", np.array([m.birth_date.isoformat() for m in members], dtype="datetime64[D]")
    )
    every_month("activite", np.array([m.activity.value for m in members]))

    # Incomes, projected over the history.
    zeros = np.zeros((n_persons, len(months)))
    salary_net = zeros.copy()
    has_salary = np.zeros(n_persons, dtype=bool)
    for kind, variable in (
        (IncomeKind.UNEMPLOYMENT, "chomage_brut"),
        (IncomeKind.PENSION, "retraite_brute"),
        (IncomeKind.DISABILITY_PENSION, "pensions_invalidite"),
        (IncomeKind.ALIMONY, "pensions_alimentaires_percues"),
    ):
        matrix = zeros.copy()
        for i, m in enumerate(members):
            values = _monthly_series(m, kind, months)
            if values is not None:
                matrix[i] = values
        # chomage_brut is set even when zero: the amount received is known, OpenFisca's
        # simulation of the unemployment insurance is not needed.
        if matrix.any() or variable == "chomage_brut":
            series(variable, matrix)
    for i, m in enumerate(members):
        values = _monthly_series(m, IncomeKind.SALARY, months)
        if values is not None:
            salary_net[i] = values
            has_salary[i] = True
    if has_salary.any():
        part_time = np.array([m.work_time is WorkTime.PART_TIME and has_salary[i] for i, m in enumerate(members)])
        config = [
            (
                (m.contract or ContractType.CDI).value,
                bool(part_time[i]),
                float(m.monthly_hours or 0.0) if part_time[i] else 0.0,
            )
            for i, m in enumerate(members)
        ]
        resolved = resolve_salaries(
            {
                (month_k, float(salary_net[i, k]), *config[i])
                for i in np.flatnonzero(has_salary)
                for k, month_k in enumerate(months)
                if salary_net[i, k] > 0
            }
        )
        gross = np.zeros_like(salary_net)
        net = np.zeros_like(salary_net)
        taxable = np.zeros_like(salary_net)
        for i in np.flatnonzero(has_salary):
            for k, month_k in enumerate(months):
                if salary_net[i, k] > 0:
                    gross[i, k], net[i, k], taxable[i, k] = resolved[(month_k, float(salary_net[i, k]), *config[i])]
        series("salaire_de_base", gross)
        every_month(
            "contrat_de_travail_type",
            np.array([c[0] if has_salary[i] else "aucun" for i, c in enumerate(config)]),
        )
        if part_time.any():
            every_month("contrat_de_travail", np.where(part_time, "temps_partiel", "temps_plein"))
            every_month("heures_remunerees_volume", np.array([c[2] for c in config]))
        if SHORTCUTS_ENABLED:
            _set_salary_outputs(sim, net, taxable, months)

    # Disability, autonomy, unemployment history.
    rate = np.array([m.disability_rate / 100 for m in members], dtype=np.float64)
    if rate.any():
        every_month("taux_incapacite", rate)
        every_month("handicap", rate >= 0.5)
    restriction = np.array([m.employment_restriction for m in members])
    if restriction.any():
        every_month("aah_restriction_substantielle_durable_acces_emploi", restriction)
    gir = np.array([f"gir_{m.gir}" if m.gir else "non_defini" for m in members])
    if (gir != "non_defini").any():
        every_month("gir", gir)
        plan = np.array([m.home_help_plan for m in members], dtype=np.float64)
        every_month("dependance_plan_aide_domicile", plan)
    ass = np.array([m.ass_work_history for m in members])
    if ass.any():
        every_month("ass_precondition_remplie", ass)
    unemployment_start = [m.unemployment_start for m in members]
    if any(unemployment_start):
        sim.set_input(
            "date_debut_chomage",
            "ETERNITY",
            np.array([(d or date(9999, 12, 31)).isoformat() for d in unemployment_start], dtype="datetime64[D]"),
        )
    pregnant = np.array([m.pregnant for m in members])
    if pregnant.any():
        sim.set_input("enceinte", month, pregnant)
    every_month("scolarite", np.array([m.school.value for m in members]))
    savings = np.zeros(n_persons)
    first_of_household = np.r_[True, persons.household[1:] != persons.household[:-1]]
    savings[first_of_household] = [h.savings for h in households]
    if savings.any():
        every_month("livret_a", savings)

    # Housing (ménage).
    every_month("statut_occupation_logement", np.array([h.housing.status.value for h in households]))
    every_month("loyer", np.array([h.housing.rent for h in households], dtype=np.float64))
    every_month("charges_locatives", np.array([h.housing.charges for h in households], dtype=np.float64))
    every_month("depcom", np.array([h.housing.commune_insee for h in households]))
    every_month("zone_apl", np.array([f"zone_{housing_zone(h.housing.commune_insee)}" for h in households]))
    shared = np.array([h.housing.shared for h in households])
    if shared.any():
        every_month("coloc", shared)

    # Childcare (famille): the CMG needs the parents to employ the carer.
    childcare = np.zeros(n_familles, dtype=bool)
    for h_index, h in enumerate(households):
        if h.childcare is not Childcare.NONE:
            childcare[persons.main_famille[h_index]] = True
    if childcare.any():
        every_month("empl_dir", childcare)
    return sim, persons


# Outputs: (code, variable, entity, yearly) -- asked in this order, after the history pass.
_OUTPUTS = (
    ("rsa", "rsa", "famille", False),
    ("ppa", "ppa", "famille", False),
    ("aide_logement", "aide_logement", "famille", False),
    ("aah", "aah", "individu", False),
    ("aspa", "aspa", "famille", False),
    ("asf", "asf", "famille", False),
    ("af", "af", "famille", False),
    ("cf", "cf", "famille", False),
    ("ars", "ars", "famille", True),
    ("paje_base", "paje_base", "famille", False),
    ("paje_cmg", "paje_cmg", "famille", False),
    ("css_free", "cmu_c", "famille", False),
    ("css_participation", "css_participation_forfaitaire", "famille", False),
    ("ass", "ass", "individu", False),
    ("apa", "apa_domicile", "individu", False),
    ("cheque_energie", "cheque_energie", "menage", True),
)

# Eligibility flags, to give the main reason when a benefit is 0.
_FLAGS = (
    ("rsa_eligibilite", "famille"),
    ("ppa_eligibilite", "famille"),
    ("aspa_eligibilite", "individu"),
    ("aah_eligible", "individu"),
    ("apa_eligibilite", "individu"),
    ("ass_eligibilite_individu", "individu"),
    ("af_nbenf", "famille"),
    ("asf_elig", "famille"),
)


def _history_pass(sim, month: str) -> None:
    """Compute RSA and housing aid month by month, oldest first (see the module docstring)."""
    for k in range(HISTORY_PASS, 0, -1):
        m = _shift(month, -k)
        sim.calculate("aide_logement", m)
        sim.calculate("rsa", m)


def _set_salary_outputs(sim, net: np.ndarray, taxable: np.ndarray, months: list[str]) -> None:
    """Net and taxable salaries as inputs, exactly as OpenFisca computes them (see resolve_salaries)."""
    # (Months before the history are set to zero by _apply_shortcuts.)
    for k, month in enumerate(months):
        sim.set_input("salaire_net", month, net[:, k])
        sim.set_input("salaire_imposable", month, taxable[:, k])


def _possible(household: Household, month: str) -> tuple[bool, ...]:
    """Which benefit chains can be non-zero for this household (see `_SHORTCUTS`)."""
    start = month_start(month)
    members = household.members
    return (
        any(m.disability_rate >= 50 for m in members),  # AAH needs a rate of 50 % or more
        any(age_at(m.birth_date, start) >= 60 or m.disability_rate >= 50 for m in members),  # ASPA
        any(m.income(IncomeKind.DISABILITY_PENSION) or m.disability_rate >= 50 for m in members),  # ASI
        any(m.ass_work_history for m in members),  # ASS needs the work-history condition
        any(m.gir for m in members),  # APA needs a GIR
        any(m.income(IncomeKind.PENSION) for m in members),
        any(m.income(IncomeKind.UNEMPLOYMENT) for m in members),
        any(m.income(IncomeKind.SALARY) for m in members),
    )


# When no household of a chunk can have a chain (the matching flag of `_possible` is False for
# all), its variables are zero by construction in OpenFisca's formulas: they are set to zero
# as inputs, and OpenFisca does not evaluate them month after month. Tested against the
# computation without shortcuts (tests/rights/test_engine.py).
_SHORTCUTS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("aah", "individu"),),
    (("aspa", "famille"),),
    (("asi", "individu"),),
    (("ass", "individu"),),
    (("apa_domicile", "individu"),),
    (("retraite_nette", "individu"), ("retraite_imposable", "individu")),
    (("chomage_net", "individu"), ("chomage_imposable", "individu")),
    (("salaire_net", "individu"), ("salaire_imposable", "individu")),
)
SHORTCUTS_ENABLED = True
# Variables computed only from inputs the situation never sets (tax-form boxes for capital
# income, work-accident annuities): zero for everyone, and slow to evaluate month by month.
_ALWAYS_ZERO = (
    ("revenus_capitaux_prelevement_forfaitaire_unique_ir", "foyer_fiscal"),
    ("rente_accident_travail", "individu"),
    ("rente_accident_travail_rachat", "individu"),
    ("rente_accident_travail_apres_rachat", "individu"),
)
SHORTCUT_YEARS = 6  # zeros are set from January of N-6, beyond any history a formula reads


def _apply_shortcuts(sim, households: Sequence[Household], month: str) -> None:
    if not SHORTCUTS_ENABLED:
        return
    possible = [any(flags) for flags in zip(*(_possible(h, month) for h in households), strict=True)]
    months = [f"{int(month[:4]) - SHORTCUT_YEARS}-01"]
    while months[-1] != month:
        months.append(_shift(months[-1], 1))
    sizes = {key: population.count for key, population in sim.populations.items()}
    skipped = [variables for can, variables in zip(possible, _SHORTCUTS, strict=True) if not can]
    for variables in [*skipped, _ALWAYS_ZERO]:
        for variable, entity in variables:
            zeros = np.zeros(sizes[entity], dtype=np.float32)
            for m in months:
                sim.set_input(variable, m, zeros)
    # Before the history (January of N-2) the situation sets no income: every income is zero.
    first = _history(month)[0]
    zeros = np.zeros(sizes["individu"], dtype=np.float32)
    for variables in _SHORTCUTS[5:]:  # pensions, unemployment benefit, salaries
        for variable, _entity in variables:
            for m in months:
                if m >= first:
                    break
                sim.set_input(variable, m, zeros)


def _compute_chunk(households: Sequence[Household], month: str) -> list[CheckResult]:
    sim, persons = _build(households, month)
    _apply_shortcuts(sim, households, month)
    _history_pass(sim, month)
    year = month[:4]
    values: dict[str, np.ndarray] = {}
    for key, variable, _entity, yearly in _OUTPUTS:
        values[key] = np.asarray(sim.calculate(variable, year if yearly else month))
    flags: dict[str, np.ndarray] = {}
    for variable, _entity in _FLAGS:
        flags[variable] = np.asarray(sim.calculate(variable, month))
    return _results(households, persons, month, values, flags)


def _per_household(persons: _Persons, households, entity: str, array: np.ndarray) -> np.ndarray:
    """Bring an output to one value per household (the applicant's famille, or its members)."""
    n = len(households)
    if entity == "menage":
        return array[:n]
    if entity == "famille":
        return array[np.array(persons.main_famille)]
    # individu: sum (or any) over the members of the main famille
    out = np.zeros(n, dtype=np.float64)
    main = np.array(persons.main_famille)[persons.household]
    in_main = persons.famille == main
    np.add.at(out, persons.household[in_main], array[in_main].astype(np.float64))
    return out


def _results(households, persons: _Persons, month: str, values, flags) -> list[CheckResult]:
    version = openfisca_version()
    start = month_start(month)
    per = {
        key: _per_household(persons, households, entity, values[key]) for key, _variable, entity, _yearly in _OUTPUTS
    }
    flag = {name: _per_household(persons, households, entity, flags[name]) for name, entity in _FLAGS}
    results: list[CheckResult] = []
    for i, household in enumerate(households):
        adults = [m for m in household.members if m.role in (Role.APPLICANT, Role.PARTNER)]
        benefits: list[BenefitResult] = []
        for benefit in BENEFITS:
            amount, reason = _amount_and_reason(benefit.code, i, per, flag, household, adults, start)
            benefits.append(_result(benefit, amount, reason, household, month))
        results.append(CheckResult(month=month, benefits=tuple(benefits), openfisca_version=version))
    return results


def _amount_and_reason(code, i, per, flag, household: Household, adults, start) -> tuple[float | None, str]:
    if code == "pch":
        return None, ""
    if code == "css":
        if per["css_free"][i]:
            return 0.0, "free"
        participation = float(per["css_participation"][i])
        if participation > 0:
            return participation, "participation"
        return 0.0, "Ressources au-dessus du plafond de la complémentaire santé solidaire."
    amount = float(per[code][i])
    if amount > 0:
        return amount, ""
    return 0.0, _reason(code, i, flag, household, adults, start)


def _reason(code, i, flag, household: Household, adults, start) -> str:
    oldest = max((age_at(m.birth_date, start) for m in adults), default=0)
    youngest_child = [age_at(m.birth_date, start) for m in household.children]
    resources = "Ressources du foyer trop élevées pour un montant versé."
    if code == "rsa":
        if not flag["rsa_eligibilite"][i]:
            return "Conditions d'âge ou de situation non remplies (25 ans, sauf parent ou jeune actif)."
        return resources
    if code == "ppa":
        if not any(m.income(IncomeKind.SALARY) for m in adults):
            return "Aucun revenu d'activité : la prime d'activité complète un salaire."
        if not flag["ppa_eligibilite"][i]:
            return "Conditions d'âge ou de situation non remplies (18 ans, hors étudiants à faible salaire)."
        return resources
    if code == "aide_logement":
        if not household.housing.status.pays_rent:
            return "Ni loyer ni mensualité d'accession : pas d'aide au logement."
        return resources
    if code == "aah":
        if not any(m.disability_rate >= 50 for m in adults):
            return "Taux d'incapacité inférieur à 50 % (ou non reconnu par la MDPH)."
        if not flag["aah_eligible"][i]:
            return "Taux de 50 à 79 % sans restriction durable d'accès à l'emploi reconnue (RSDAE)."
        return resources
    if code == "aspa":
        if oldest < 65 and not any(m.disability_rate >= 50 for m in adults):
            return "Réservée aux personnes de 65 ans ou plus (62 ans en cas d'inaptitude ou de handicap)."
        return resources
    if code == "asf":
        if not household.single_parent:
            return "Réservée au parent seul élevant un enfant privé de l'aide d'un parent."
        return "L'autre parent verse une pension alimentaire suffisante."
    if code == "af":
        if flag["af_nbenf"][i] < 2:
            return "Il faut au moins deux enfants à charge de moins de 20 ans."
        return resources
    if code == "cf":
        if sum(1 for a in youngest_child if 3 <= a < 21) < 3:
            return "Il faut au moins trois enfants à charge de 3 à 21 ans."
        return resources
    if code == "ars":
        if not any(6 <= a <= 18 for a in youngest_child):
            return "Aucun enfant de 6 à 18 ans scolarisé."
        return resources
    if code == "paje_base":
        if not any(a < 3 for a in youngest_child):
            return "Aucun enfant de moins de 3 ans."
        return resources
    if code == "paje_cmg":
        if not any(a < 6 for a in youngest_child):
            return "Aucun enfant de moins de 6 ans."
        if household.childcare is Childcare.NONE:
            return "Aucune garde par une assistante maternelle ou une garde à domicile employée par le foyer."
        return "Conditions d'activité ou de ressources non remplies."
    if code == "ass":
        if not any(m.activity is Activity.UNEMPLOYED for m in adults):
            return "Réservée aux demandeurs d'emploi."
        if not any(m.ass_work_history for m in adults):
            return "Il faut avoir travaillé 5 ans dans les 10 ans précédant la fin du contrat."
        return resources
    if code == "apa":
        if oldest < 60:
            return "Réservée aux personnes de 60 ans ou plus."
        if not any(m.gir and m.gir <= 4 for m in adults):
            return "Perte d'autonomie évaluée en GIR 1 à 4 nécessaire (évaluation du département)."
        if not any(m.home_help_plan > 0 for m in adults):
            return "Le montant dépend du plan d'aide à domicile, à faire établir par le département."
        return resources
    if code == "cheque_energie":
        return "Revenu fiscal de référence par unité de consommation au-dessus du plafond."
    return ""


def _result(benefit, amount: float | None, reason: str, household: Household, month: str) -> BenefitResult:
    period = month[:4] if benefit.frequency is Frequency.YEARLY else month
    received = benefit.code in household.already_received
    common = {
        "code": benefit.code,
        "label": benefit.label,
        "frequency": benefit.frequency,
        "period": period,
        "already_received": received,
        "caveat": benefit.caveat,
    }
    if not benefit.computed:
        return BenefitResult(status=Status.TO_CHECK, amount=None, reason=benefit.to_check, **common)
    if benefit.code == "css" and reason in ("free", "participation"):
        if reason == "free":
            return BenefitResult(
                status=Status.ELIGIBLE,
                amount=0.0,
                reason="",
                **{**common, "caveat": "Complémentaire santé solidaire sans participation financière."},
            )
        return BenefitResult(
            status=Status.ELIGIBLE,
            amount=round(amount or 0.0, 2),
            reason="",
            **{**common, "caveat": "Participation mensuelle totale du foyer (selon l'âge de chacun)."},
        )
    if amount and amount > 0:
        if benefit.code == "asf" and household.other_parent_pays_maintenance is None:
            return BenefitResult(
                status=Status.TO_CHECK,
                amount=round(amount, 2),
                reason="Dépend de la pension alimentaire versée par l'autre parent : à demander à la personne.",
                **common,
            )
        if benefit.to_check:
            return BenefitResult(status=Status.TO_CHECK, amount=round(amount, 2), reason=benefit.to_check, **common)
        return BenefitResult(status=Status.ELIGIBLE, amount=round(amount, 2), **common)
    return BenefitResult(status=Status.NOT_ELIGIBLE, amount=0.0, reason=reason, **common)


# ---------------------------------------------------------------------------------------
# Public entry point


def compute(households: Sequence[Household], *, chunk_size: int | None = None) -> list[CheckResult]:
    """Probable rights of each household, in input order.

    Raises SituationError (with field paths prefixed by the household's index when there are
    several) if any household is invalid: nothing is computed on wrong data.
    """
    households = list(households)
    errors: list[FieldError] = []
    for index, household in enumerate(households):
        try:
            validate(household, known_benefits=CODES)
        except SituationError as exc:
            prefix = f"{index}." if len(households) > 1 else ""
            errors.extend(FieldError(prefix + e.field, e.message) for e in exc.errors)
    if errors:
        raise SituationError(errors)
    chunk = chunk_size or DEFAULT_CHUNK
    by_month: dict[str, list[int]] = defaultdict(list)
    for index, household in enumerate(households):
        by_month[household.month].append(index)
    results: list[CheckResult | None] = [None] * len(households)
    tax_benefit_system()
    for month, indexes in by_month.items():
        # Households that share which benefit chains they can have are simulated together, so
        # that each simulation skips as many chains as possible; profiles too rare to be worth
        # a simulation of their own share one.
        profiles: dict[tuple[bool, ...], list[int]] = defaultdict(list)
        for index in indexes:
            profiles[_possible(households[index], month)].append(index)
        groups = [group for group in profiles.values() if len(group) >= MIN_PROFILE_GROUP]
        rest = sorted(i for group in profiles.values() if len(group) < MIN_PROFILE_GROUP for i in group)
        parts = [group[offset : offset + chunk] for group in [*groups, rest] for offset in range(0, len(group), chunk)]
        for part in parts:
            for index, result in zip(part, _compute_chunk([households[i] for i in part], month), strict=True):
                results[index] = result
    return [r for r in results if r is not None]
