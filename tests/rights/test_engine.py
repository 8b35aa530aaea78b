"""The rights engine against a direct OpenFisca-France computation, and its boundaries.

The direct computation builds the situation the documented way (a situation dict with
gross incomes over January N-2 .. M, `build_from_entities`) without any of the engine's code.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

import pytest

from carte_blanche.rights import engine
from carte_blanche.rights.engine import (
    Activity,
    Childcare,
    ContractType,
    Household,
    Housing,
    HousingStatus,
    Income,
    IncomeKind,
    Member,
    Role,
    Status,
    WorkTime,
)
from carte_blanche.rights.engine.simulation import salaries_to_gross, tax_benefit_system

MONTH = "2026-11"
MONTHS = [f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13) if f"{y}-{m:02d}" <= MONTH]


def monthly(net: float) -> Income:
    return Income(IncomeKind.SALARY, (net, net, net), net * 12)


def sarah() -> Household:
    return Household(
        month=MONTH,
        members=(
            Member(
                "sarah",
                Role.APPLICANT,
                date(1998, 3, 10),
                Activity.EMPLOYED,
                WorkTime.PART_TIME,
                100,
                ContractType.CDD,
                (monthly(1000.0),),
            ),
            Member("enfant", Role.CHILD, date(2024, 8, 15)),
        ),
        housing=Housing(HousingStatus.TENANT_PRIVATE, "46042", rent=450.0),
        childcare=Childcare.CHILDMINDER,
        other_parent_pays_maintenance=False,
    )


def sebastien() -> Household:
    return Household(
        month=MONTH,
        members=(Member("seb", Role.APPLICANT, date(1981, 5, 20), Activity.UNEMPLOYED),),
        housing=Housing(HousingStatus.TENANT_PRIVATE, "46042", rent=380.0),
    )


def roseline() -> Household:
    return Household(
        month=MONTH,
        members=(
            Member(
                "roseline",
                Role.APPLICANT,
                date(1944, 6, 15),
                Activity.RETIRED,
                incomes=(Income(IncomeKind.PENSION, (850.0,) * 3, 10200.0),),
                gir=4,
                home_help_plan=500.0,
            ),
        ),
        housing=Housing(HousingStatus.OWNER, "46042"),
    )


def family_not_in_repo() -> Household:
    """A couple with three children in social housing in Figeac, one adult disabled at 80 %."""
    return Household(
        month=MONTH,
        members=(
            Member(
                "a",
                Role.APPLICANT,
                date(1985, 2, 1),
                Activity.EMPLOYED,
                WorkTime.FULL_TIME,
                None,
                ContractType.CDI,
                (monthly(1450.0),),
            ),
            Member("b", Role.PARTNER, date(1987, 7, 9), Activity.INACTIVE, disability_rate=80),
            Member("c1", Role.CHILD, date(2012, 4, 3)),
            Member("c2", Role.CHILD, date(2016, 9, 30)),
            Member("c3", Role.CHILD, date(2020, 1, 15)),
        ),
        housing=Housing(HousingStatus.TENANT_SOCIAL, "46102", rent=520.0, charges=60.0),
    )


def unemployed_with_benefit() -> Household:
    return Household(
        month=MONTH,
        members=(
            Member(
                "u",
                Role.APPLICANT,
                date(1968, 11, 2),
                Activity.UNEMPLOYED,
                incomes=(Income(IncomeKind.UNEMPLOYMENT, (900.0,) * 3, 10800.0),),
            ),
        ),
        housing=Housing(HousingStatus.TENANT_FURNISHED, "46042", rent=420.0),
    )


PERSONAS = {
    "sarah": sarah,
    "sebastien": sebastien,
    "roseline": roseline,
    "family": family_not_in_repo,
    "unemployed": unemployed_with_benefit,
}

OUTPUTS = {
    "rsa": ("rsa", MONTH),
    "ppa": ("ppa", MONTH),
    "aide_logement": ("aide_logement", MONTH),
    "aspa": ("aspa", MONTH),
    "af": ("af", MONTH),
    "cf": ("cf", MONTH),
    "ars": ("ars", MONTH[:4]),
    "paje_base": ("paje_base", MONTH),
    "paje_cmg": ("paje_cmg", MONTH),
    "cheque_energie": ("cheque_energie", MONTH[:4]),
    "asf": ("asf", MONTH),
}
INDIVIDUAL = {"aah": "aah", "apa": "apa_domicile", "ass": "ass"}


def documented_situation(household: Household) -> dict:
    """The household in OpenFisca's documented situation format (gross incomes, January N-2 to the month)."""

    def hist(value):
        return dict.fromkeys(MONTHS, value)

    gross = salaries_to_gross(
        {
            (m, i.last_3_months[-1])
            for mem in household.members
            for i in mem.incomes
            if i.kind is IncomeKind.SALARY
            for m in MONTHS
        }
    )
    individus = {}
    for mem in household.members:
        ind = {"date_naissance": {"ETERNITY": mem.birth_date.isoformat()}, "activite": hist(mem.activity.value)}
        for inc in mem.incomes:
            amount = inc.last_3_months[-1]
            if inc.kind is IncomeKind.SALARY:
                ind["salaire_de_base"] = {m: gross[(m, amount)] for m in MONTHS}
                ind["contrat_de_travail_type"] = hist((mem.contract or ContractType.CDI).value)
                if mem.work_time is WorkTime.PART_TIME:
                    ind["contrat_de_travail"] = hist("temps_partiel")
                    ind["heures_remunerees_volume"] = hist(mem.monthly_hours)
            elif inc.kind is IncomeKind.PENSION:
                ind["retraite_brute"] = hist(amount)
            elif inc.kind is IncomeKind.UNEMPLOYMENT:
                ind["chomage_brut"] = hist(amount)
        if mem.disability_rate:
            ind["taux_incapacite"] = hist(mem.disability_rate / 100)
            ind["handicap"] = hist(mem.disability_rate >= 50)
        if mem.gir:
            ind["gir"] = hist(f"gir_{mem.gir}")
            ind["dependance_plan_aide_domicile"] = hist(mem.home_help_plan)
        individus[mem.id] = ind
    parents = [m.id for m in household.members if m.role in (Role.APPLICANT, Role.PARTNER)]
    children = [m.id for m in household.members if m.role is Role.CHILD]
    famille = {"parents": parents, "enfants": children}
    if household.childcare is not Childcare.NONE:
        famille["empl_dir"] = hist(True)
    menage = {
        "personne_de_reference": parents[:1],
        "conjoint": parents[1:],
        "enfants": children,
        "statut_occupation_logement": hist(household.housing.status.value),
        "loyer": hist(household.housing.rent),
        "charges_locatives": hist(household.housing.charges),
        "depcom": hist(household.housing.commune_insee),
    }
    situation = {
        "individus": individus,
        "familles": {"f": famille},
        "foyers_fiscaux": {"ff": {"declarants": parents, "personnes_a_charge": children}},
        "menages": {"m": menage},
    }
    return situation


def direct(household: Household) -> dict[str, float]:
    """The same household computed with OpenFisca's documented situation format."""
    from openfisca_core.simulation_builder import SimulationBuilder

    situation = documented_situation(household)
    individus = situation["individus"]
    sim = SimulationBuilder().build_from_entities(tax_benefit_system(), copy.deepcopy(situation))
    out = {code: round(float(sim.calculate(var, period)[0]), 2) for code, (var, period) in OUTPUTS.items()}
    adults = [i for i, m in enumerate(household.members) if m.role in (Role.APPLICANT, Role.PARTNER)]
    ordered = list(individus)  # persons are in insertion order
    for code, var in INDIVIDUAL.items():
        values = sim.calculate(var, MONTH)
        out[code] = round(sum(float(values[ordered.index(household.members[i].id)]) for i in adults), 2)
    out["css_free"] = bool(sim.calculate("cmu_c", MONTH)[0])
    out["css_participation"] = round(float(sim.calculate("css_participation_forfaitaire", MONTH)[0]), 2)
    return out


@pytest.fixture(scope="module")
def engine_results():
    households = [make() for make in PERSONAS.values()]
    return dict(zip(PERSONAS, engine.compute(households), strict=True))


@pytest.mark.parametrize("name", list(PERSONAS))
def test_engine_agrees_with_a_direct_openfisca_computation(engine_results, name):
    expected = direct(PERSONAS[name]())
    result = engine_results[name]
    for code in [*OUTPUTS, *INDIVIDUAL]:
        got = result.get(code)
        assert got.amount == pytest.approx(expected[code], abs=0.01), (name, code)
    css = result.get("css")
    if expected["css_free"]:
        assert css.status is Status.ELIGIBLE and css.amount == 0
    elif expected["css_participation"] > 0:
        assert css.amount == pytest.approx(expected["css_participation"], abs=0.01)
    else:
        assert css.status is Status.NOT_ELIGIBLE


def test_personas_figures(engine_results):
    sarah_r, seb, ros = engine_results["sarah"], engine_results["sebastien"], engine_results["roseline"]
    assert sarah_r.get("ppa").amount == pytest.approx(299.14, abs=0.01)
    assert sarah_r.get("aide_logement").amount == 336.0
    assert sarah_r.get("paje_cmg").status is Status.TO_CHECK  # a ceiling, not the real amount
    assert seb.get("rsa").amount == pytest.approx(573.49, abs=0.01)
    assert seb.get("css").status is Status.ELIGIBLE and seb.get("css").amount == 0
    assert ros.get("aspa").amount == pytest.approx(193.6, abs=0.01)
    assert ros.get("apa").amount == 500.0
    assert all(r.get("pch").status is Status.TO_CHECK for r in engine_results.values())


def test_each_check_says_the_openfisca_version(engine_results):
    assert engine_results["sarah"].openfisca_version.startswith("openfisca-france 176.")


def test_unclaimed_separates_what_is_already_received():
    base = sarah()
    received = Household(**{**base.__dict__, "already_received": frozenset({"ppa", "aide_logement"})})
    result = engine.compute([received])[0]
    codes = {b.code for b in result.unclaimed}
    assert "ppa" not in codes and "aide_logement" not in codes
    assert "paje_base" in codes
    assert result.get("ppa").already_received and result.get("ppa").status is Status.ELIGIBLE


def _single(birth: date, **member) -> Household:
    return Household(
        month=MONTH,
        members=(Member("x", Role.APPLICANT, birth, **member),),
        housing=Housing(HousingStatus.HOSTED, "46042"),
    )


def test_boundaries_in_one_vectorised_simulation():
    """Prime d'activité cut-off, AAH at 79/80 %, ASPA at 64/65: one compute call for all."""
    salaries = [1400.0, 1700.0, 1800.0, 1900.0, 2300.0]
    worker = {"activity": Activity.EMPLOYED, "work_time": WorkTime.FULL_TIME, "contract": ContractType.CDI}
    households = [_single(date(1990, 1, 1), **worker, incomes=(monthly(s),)) for s in salaries]
    households += [
        _single(date(1980, 1, 1), disability_rate=79),
        _single(date(1980, 1, 1), disability_rate=80),
        _single(date(1980, 1, 1), disability_rate=60, employment_restriction=True),
        _single(date(1962, 11, 2), activity=Activity.RETIRED),  # 64 in November 2026
        _single(date(1961, 10, 31), activity=Activity.RETIRED),  # 65
    ]
    results = engine.compute(households)
    ppa = [r.get("ppa").amount for r in results[:5]]
    assert ppa[0] > ppa[1] > 0, ppa  # decreasing with the salary
    assert ppa[-1] == 0 and results[4].get("ppa").status is Status.NOT_ELIGIBLE
    assert all(a >= b for a, b in zip(ppa, ppa[1:], strict=False))
    aah79, aah80, aah_rsdae = (r.get("aah") for r in results[5:8])
    assert aah79.status is Status.NOT_ELIGIBLE and "RSDAE" in aah79.reason
    assert aah80.status is Status.ELIGIBLE and aah80.amount > 900
    assert aah_rsdae.status is Status.ELIGIBLE
    aspa64, aspa65 = (r.get("aspa") for r in results[8:10])
    assert aspa64.status is Status.NOT_ELIGIBLE and "65 ans" in aspa64.reason
    assert aspa65.status is Status.ELIGIBLE and aspa65.amount > 1000


def test_a_batch_gives_each_household_what_it_gets_alone(engine_results):
    households = [sebastien(), sarah(), roseline(), sarah()]
    results = engine.compute(households, chunk_size=3)
    assert results[0].to_dict()["benefits"] == engine_results["sebastien"].to_dict()["benefits"]
    assert results[1].to_dict() == results[3].to_dict() == engine_results["sarah"].to_dict()
    assert results[2].to_dict()["benefits"] == engine_results["roseline"].to_dict()["benefits"]


def test_the_zone_comes_from_the_insee_code():
    from carte_blanche.rights.engine.simulation import housing_zone

    assert housing_zone("46042") == 3  # Cahors
    assert housing_zone("75056") == 1  # Paris ("1bis" counts as 1)
    assert housing_zone("46999") == 3  # unknown Lot code: the département's zone


def _varied_households() -> list[Household]:
    """Households mixing every chain a shortcut can skip, and households with none of them."""
    worker = {"activity": Activity.EMPLOYED, "work_time": WorkTime.FULL_TIME, "contract": ContractType.CDI}
    return [
        sarah(),
        sebastien(),
        roseline(),
        family_not_in_repo(),
        unemployed_with_benefit(),
        replace(_single(date(1990, 1, 1), **worker, incomes=(monthly(1300.0),)), savings=8000.0),
        _single(date(1960, 5, 5), activity=Activity.UNEMPLOYED, ass_work_history=True),
        _single(
            date(1975, 5, 5), disability_rate=60, incomes=(Income(IncomeKind.DISABILITY_PENSION, (700.0,) * 3, 8400.0),)
        ),
        Household(
            month=MONTH,
            members=(
                Member(
                    "a",
                    Role.APPLICANT,
                    date(1958, 3, 3),
                    Activity.RETIRED,
                    incomes=(Income(IncomeKind.PENSION, (1100.0,) * 3, 13200.0),),
                ),
                Member(
                    "b",
                    Role.PARTNER,
                    date(1962, 3, 3),
                    Activity.EMPLOYED,
                    WorkTime.PART_TIME,
                    80,
                    ContractType.CDD,
                    (Income(IncomeKind.SALARY, (700.0, 650.0, 720.0), 8000.0),),
                ),
            ),
            housing=Housing(HousingStatus.TENANT_SOCIAL, "46042", rent=380.0),
        ),
    ]


def test_skipped_chains_change_no_amount(monkeypatch):
    """The shortcuts (chains set to zero when no household can have them) are exact."""
    from carte_blanche.rights.engine import simulation

    households = _varied_households()
    fast = engine.compute(households)
    monkeypatch.setattr(simulation, "SHORTCUTS_ENABLED", False)
    slow = engine.compute(households)
    for a, b in zip(fast, slow, strict=True):
        assert a.to_dict() == b.to_dict()
