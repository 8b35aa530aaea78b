"""Contract fixtures: Sarah's part-time CDI at Aide à domicile du Quercy, and the drafts' makers."""

from __future__ import annotations

import datetime as dt

import pytest

from carte_blanche.contracts.rules import Category, CddReason, Draft, Kind, TrialUnit

DEMO_SIRET = "84612345300017"
SMIC = 12.31  # the gross hourly SMIC used by the pure tests (OpenFisca's value from 1 June 2026)


def sarah_cdi(**changes) -> Draft:
    """Sarah moves to a part-time CDI: 104 hours a month, Monday to Thursday, 6 hours a day."""
    values = {
        "kind": Kind.CDI,
        "part_time": True,
        "employer_name": "Aide à domicile du Quercy",
        "employer_siret": DEMO_SIRET,
        "employer_address": "12 rue Wilson, 46000 Cahors",
        "employer_idcc": "2941",
        "collective_agreement": "Branche de l'aide, de l'accompagnement, des soins et des services à domicile",
        "pension_fund": "Malakoff Humanis Agirc-Arrco",
        "employee_first_names": "Sarah",
        "employee_last_name": "Fournié",
        "employee_birth_date": dt.date(1990, 3, 28),
        "employee_address": "5 chemin des Vignes, 46320 Flaujac-Poujols",
        "job_title": "Aide à domicile",
        "qualification": "Catégorie A, coefficient de la grille de la branche",
        "category": Category.EMPLOYEE,
        "workplace": "Domicile des bénéficiaires, secteur de Cahors",
        "start_date": dt.date(2026, 12, 1),
        "trial_value": 1,
        "trial_unit": TrialUnit.MONTHS,
        "gross_monthly_salary": 1300.0,
        "monthly_hours": 104.0,
        "distribution": {"lundi": 6.0, "mardi": 6.0, "mercredi": 6.0, "jeudi": 6.0},
        "distribution_changes": "absence d'un autre salarié ou changement d'horaire d'un bénéficiaire.",
        "schedule_notice": "un planning écrit remis chaque mois, sept jours à l'avance.",
        "complementary_percent": 10,
    }
    values.update(changes)
    return Draft(**values)


def replacement_cdd(**changes) -> Draft:
    """A full-time CDD replacing an employee on maternity leave."""
    values = {
        "kind": Kind.CDD,
        "part_time": False,
        "cdd_reason": CddReason.REPLACEMENT.value,
        "cdd_reason_detail": "Remplacement pendant son congé de maternité.",
        "replaced_name": "Julie Martin",
        "replaced_job": "Aide à domicile, catégorie A",
        "end_date": dt.date(2027, 5, 31),
        "trial_value": 14,
        "trial_unit": TrialUnit.DAYS,
        "gross_monthly_salary": 1900.0,
    }
    values.update(changes)
    base = sarah_cdi(part_time=False, distribution={}, monthly_hours=None)
    for key, value in values.items():
        setattr(base, key, value)
    return base


def fields_of(problems, *, blocking=True) -> set[str]:
    return {p.field for p in problems if p.blocking == blocking}


def luhn_siret(prefix: str) -> str:
    """A SIRET with a valid key, from 13 digits."""
    from carte_blanche.employers.identifiers import luhn_valid

    for last in "0123456789":
        if luhn_valid(prefix + last) and luhn_valid((prefix + last)[:9]):
            return prefix + last
    raise ValueError(prefix)


@pytest.fixture
def company(employer):
    """The demo employer's company, Aide à domicile du Quercy."""
    return employer.employers.get(siret=DEMO_SIRET)


@pytest.fixture
def other_company(demo):
    from carte_blanche.employers.identifiers import luhn_valid
    from carte_blanche.employers.models import Employer
    from carte_blanche.territory.models import Commune

    siren = next(s for s in (f"7{n:08d}" for n in range(10**6, 10**6 + 100)) if luhn_valid(s))
    siret = next(siren + f"{n:05d}" for n in range(1, 100) if luhn_valid(siren + f"{n:05d}"))
    return Employer.objects.create(
        siret=siret, name="Boulangerie du Lot", naf_code="10.71C", headcount=3, commune=Commune.objects.first()
    )


@pytest.fixture
def sarah_contract(company, employer):
    from carte_blanche.contracts.actions import save_draft

    return save_draft(employer, company, sarah_cdi())
