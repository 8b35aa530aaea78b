"""The hiring engine against a direct OpenFisca computation, built here independently, to the cent."""

from __future__ import annotations

import numpy as np
import pytest

from carte_blanche.hiring.engine import (
    Basis,
    Contract,
    Scenario,
    ScenarioError,
    WorkTime,
    compare,
    compute,
    smic_prorated,
    validate,
)
from carte_blanche.rights.engine.simulation import tax_benefit_system

MONTH = "2026-11"
SMIC = smic_prorated(MONTH, 151.67)
CASES = [
    Scenario(MONTH, SMIC, headcount=3, commune="46042"),
    Scenario(MONTH, round(1.3 * SMIC, 2), headcount=8, commune="46042"),
    Scenario(MONTH, round(2.5 * SMIC, 2), executive=True, headcount=10, commune="46042"),
    Scenario(MONTH, 1371.13, work_time=WorkTime.PART_TIME, monthly_hours=104, headcount=8, commune="46042"),
    Scenario(MONTH, 2111.11, contract=Contract.CDD, headcount=5, commune="46102"),
]


def direct(case: Scenario) -> dict[str, float]:
    """The same job written by hand as an OpenFisca situation (dict API), employed since January.

    The reduction is taken month by month (`anticipe`), the engine's documented convention.
    """
    from openfisca_core.simulation_builder import SimulationBuilder

    tbs = tax_benefit_system()
    situation = {
        "individus": {"x": {}},
        "familles": {"f": {"parents": ["x"]}},
        "foyers_fiscaux": {"ff": {"declarants": ["x"]}},
        "menages": {"m": {"personne_de_reference": ["x"]}},
    }
    months = [f"2026-{m:02d}" for m in range(1, 12)]
    person = situation["individus"]["x"]
    part_time = case.work_time is WorkTime.PART_TIME

    def each(value):
        return dict.fromkeys(months, value)

    person["salaire_de_base"] = each(case.amount)
    person["contrat_de_travail"] = each("temps_partiel" if part_time else "temps_plein")
    if part_time:
        person["heures_remunerees_volume"] = each(case.monthly_hours)
    person["contrat_de_travail_type"] = each(case.contract.value)
    person["indemnite_fin_contrat_due"] = each(case.contract is Contract.CDD)
    person["categorie_salarie"] = each("prive_cadre" if case.executive else "prive_non_cadre")
    person["effectif_entreprise"] = each(case.headcount)
    person["depcom_entreprise"] = each(case.commune)
    person["allegement_general_mode_recouvrement"] = each("anticipe")
    sim = SimulationBuilder().build_from_entities(tbs, situation)
    names = [
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
        "indemnite_fin_contrat",
    ]
    return {n: float(np.asarray(sim.calculate(n, MONTH))[0]) for n in names}


@pytest.fixture(scope="module")
def results():
    return compute(CASES)


@pytest.mark.parametrize("index", range(len(CASES)))
def test_every_figure_agrees_with_a_direct_openfisca_computation(results, index):
    case, result, expected = CASES[index], results[index], direct(CASES[index])
    assert result.gross == case.amount
    assert result.net_before_tax == pytest.approx(expected["salaire_net"], abs=0.005)
    assert result.taxable == pytest.approx(expected["salaire_imposable"], abs=0.005)
    employee = -(
        expected["cotisations_salariales"]
        + expected["csg_deductible_salaire"]
        + expected["csg_imposable_salaire"]
        + expected["crds_salaire"]
    )
    assert result.employee_contributions == pytest.approx(employee, abs=0.005)
    assert result.employer_contributions == pytest.approx(-expected["cotisations_employeur"], abs=0.005)
    assert result.general_reduction == pytest.approx(expected["allegement_general"], abs=0.005)
    assert result.other_reductions == pytest.approx(expected["exonerations"], abs=0.005)
    assert result.total_cost == pytest.approx(expected["salaire_super_brut"], abs=0.005)
    assert result.end_of_contract_allowance == pytest.approx(expected["indemnite_fin_contrat"], abs=0.005)
    # The figures hold together: gross + allowance = net + employee contributions, and the cost adds up.
    assert result.gross + result.end_of_contract_allowance == pytest.approx(
        result.net_before_tax + result.employee_contributions, abs=0.02
    )
    assert result.total_cost == pytest.approx(
        result.gross
        + result.end_of_contract_allowance
        + result.employer_contributions
        - result.general_reduction
        - result.other_reductions,
        abs=0.02,
    )
    assert sum(line.amount for line in result.employer_lines) == pytest.approx(result.employer_contributions, abs=0.02)
    assert sum(line.amount for line in result.employee_lines) == pytest.approx(result.employee_contributions, abs=0.02)


def test_the_cdd_carries_the_ten_percent_allowance_and_the_smic_gets_the_largest_reduction(results):
    smic, _, high, part_time, cdd = results
    assert cdd.end_of_contract_allowance == pytest.approx(211.11, abs=0.005)
    assert smic.general_reduction / smic.gross > high.general_reduction / high.gross
    assert part_time.hours == 104 and part_time.cost_per_hour == round(part_time.total_cost / 104, 2)
    assert "openfisca-france" in smic.openfisca_version


@pytest.fixture(scope="module")
def solved(results):
    """Net → gross and cost → gross for figures the gross cases produced, in one call."""
    net_case = results[1]
    cost_case = results[3]
    return (
        net_case,
        cost_case,
        compute(
            [
                Scenario(MONTH, net_case.net_before_tax, basis=Basis.NET, headcount=8, commune="46042"),
                Scenario(
                    MONTH,
                    cost_case.total_cost,
                    basis=Basis.COST,
                    work_time=WorkTime.PART_TIME,
                    monthly_hours=104,
                    headcount=8,
                    commune="46042",
                ),
                Scenario(MONTH, 2000.0, basis=Basis.NET, contract=Contract.CDD, headcount=2),
            ]
        ),
    )


def test_net_and_cost_are_solved_back_to_the_gross(solved):
    net_case, cost_case, (from_net, from_cost, cdd) = solved
    assert from_net.net_before_tax == net_case.net_before_tax
    assert abs(from_net.gross - net_case.gross) <= 0.02
    # The reduction's rate is rounded to 4 decimals: the cost moves by steps of a few cents.
    assert abs(from_cost.total_cost - cost_case.total_cost) <= 0.1
    assert abs(from_cost.gross - cost_case.gross) <= 0.1
    assert cdd.net_before_tax == pytest.approx(2000.0, abs=0.01)


def test_compare_gives_both_and_the_differences():
    a = Scenario(MONTH, 1500, work_time=WorkTime.PART_TIME, monthly_hours=104, contract=Contract.CDD, headcount=8)
    b = Scenario(MONTH, 1500, work_time=WorkTime.PART_TIME, monthly_hours=104, contract=Contract.CDI, headcount=8)
    comparison = compare(a, b)
    assert comparison.differences["end_of_contract_allowance"] == -150.0
    assert comparison.differences["total_cost"] == round(comparison.b.total_cost - comparison.a.total_cost, 2)
    assert comparison.differences["total_cost"] < 0
    assert comparison.differences["net_after_tax"] is None


def test_a_salary_under_the_smic_is_refused():
    with pytest.raises(ScenarioError) as exc:
        compute([Scenario(MONTH, 1000, work_time=WorkTime.PART_TIME, monthly_hours=104)])
    assert exc.value.errors[0].field == "amount"
    assert "SMIC" in exc.value.errors[0].message


def test_withholding_applies_the_given_rate_to_the_taxable_salary(results):
    result = compute([Scenario(MONTH, CASES[1].amount, headcount=8, commune="46042", withholding_rate=3.5)])[0]
    assert result.withholding == round(result.taxable * 0.035, 2)
    assert result.net_after_tax == round(result.net_before_tax - result.withholding, 2)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"amount": -5}, "amount", "positif"),
        ({"amount": 0}, "amount", "positif"),
        ({"month": "2026-13"}, "month", "AAAA-MM"),
        ({"month": "2018-12"}, "month", "2019"),
        ({"work_time": WorkTime.PART_TIME}, "monthly_hours", "heures"),
        ({"work_time": WorkTime.PART_TIME, "monthly_hours": 160}, "monthly_hours", "151,67"),
        ({"work_time": WorkTime.PART_TIME, "monthly_hours": 0}, "monthly_hours", "positif"),
        ({"headcount": 11}, "headcount", "moins de 11"),
        ({"headcount": -1}, "headcount", "négatif"),
        ({"commune": "460"}, "commune", "INSEE"),
        ({"withholding_rate": 50}, "withholding_rate", "43"),
    ],
)
def test_each_invalid_field_is_refused_in_french(changes, field, words):
    scenario = Scenario(**{"month": MONTH, "amount": 2000.0, **changes})
    with pytest.raises(ScenarioError) as exc:
        validate(scenario)
    assert [e.field for e in exc.value.errors] == [field]
    assert words in exc.value.errors[0].message


def test_two_invalid_scenarios_prefix_the_fields():
    with pytest.raises(ScenarioError) as exc:
        compute([Scenario(MONTH, -1), Scenario(MONTH, 2000, headcount=12)])
    assert [e.field for e in exc.value.errors] == ["0.amount", "1.headcount"]
