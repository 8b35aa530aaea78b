"""Every input error of the rights engine gives a French message on the right field (no OpenFisca)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from carte_blanche.rights.engine import (
    CODES,
    Activity,
    Childcare,
    Household,
    Housing,
    HousingStatus,
    Income,
    IncomeKind,
    Member,
    Role,
    SituationError,
    WorkTime,
    validate,
)
from carte_blanche.rights.engine.serialize import household_from_dict, household_to_dict

APPLICANT = Member("a", Role.APPLICANT, date(1990, 1, 1), Activity.EMPLOYED)
OK = Household(month="2026-11", members=(APPLICANT,), housing=Housing(HousingStatus.TENANT_PRIVATE, "46042", 400.0))


def errors_of(household: Household) -> dict[str, str]:
    with pytest.raises(SituationError) as caught:
        validate(household, known_benefits=CODES)
    return {e.field: e.message for e in caught.value.errors}


def test_a_valid_household_passes():
    validate(OK, known_benefits=CODES)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"month": "2026-13"}, "month", "AAAA-MM"),
        ({"month": "1999-01"}, "month", "2020"),
        ({"members": ()}, "members", "un demandeur"),
        ({"members": (APPLICANT, replace(APPLICANT, id="b"))}, "members", "un demandeur"),
        (
            {"members": (APPLICANT, replace(APPLICANT, id="a", role=Role.CHILD, birth_date=date(2020, 1, 1)))},
            "members",
            "identifiant distinct",
        ),
        ({"members": (replace(APPLICANT, birth_date=date(2027, 1, 1)),)}, "members.0.birth_date", "postérieure"),
        ({"members": (replace(APPLICANT, birth_date=date(1890, 1, 1)),)}, "members.0.birth_date", "120 ans"),
        ({"members": (replace(APPLICANT, birth_date=date(2015, 1, 1)),)}, "members.0.birth_date", "16 ans"),
        ({"members": (APPLICANT, Member("c", Role.CHILD, date(1990, 1, 1)))}, "members.1.birth_date", "25 ans"),
        ({"members": (replace(APPLICANT, disability_rate=120),)}, "members.0.disability_rate", "0 et 100"),
        ({"members": (replace(APPLICANT, gir=7),)}, "members.0.gir", "1 à 6"),
        ({"members": (replace(APPLICANT, home_help_plan=300.0),)}, "members.0.gir", "GIR"),
        ({"members": (replace(APPLICANT, work_time=WorkTime.PART_TIME),)}, "members.0.monthly_hours", "temps partiel"),
        (
            {"members": (replace(APPLICANT, unemployment_start=date(2027, 3, 1)),)},
            "members.0.unemployment_start",
            "postérieure",
        ),
        (
            {"members": (replace(APPLICANT, incomes=(Income(IncomeKind.SALARY, (-1.0, 0.0, 0.0), 0.0),)),)},
            "members.0.incomes.salaire",
            "négatifs",
        ),
        (
            {"members": (replace(APPLICANT, incomes=(Income(IncomeKind.SALARY, (900.0, 900.0, 900.0), 1000.0),)),)},
            "members.0.incomes.salaire.last_12_months",
            "12 derniers mois",
        ),
        (
            {"members": (replace(APPLICANT, incomes=(Income(IncomeKind.SALARY, (500000.0, 0.0, 0.0), 500000.0),)),)},
            "members.0.incomes.salaire",
            "invraisemblable",
        ),
        ({"housing": Housing(HousingStatus.TENANT_PRIVATE, "4604", 400.0)}, "housing.commune_insee", "INSEE"),
        ({"housing": Housing(HousingStatus.TENANT_PRIVATE, "46042", 0.0)}, "housing.rent", "loyer"),
        ({"housing": Housing(HousingStatus.OWNER, "46042", 300.0)}, "housing.rent", "locataire"),
        ({"housing": Housing(HousingStatus.TENANT_PRIVATE, "46042", -5.0)}, "housing.rent", "négatifs"),
        ({"savings": -10.0}, "savings", "négative"),
        ({"childcare": Childcare.CHILDMINDER}, "childcare", "moins de 6 ans"),
        ({"already_received": frozenset({"rsa", "prime_noel"})}, "already_received", "prime_noel"),
    ],
)
def test_each_input_error_is_named_on_its_field(change, field, words):
    errors = errors_of(replace(OK, **change))
    assert field in errors, errors
    assert words in errors[field]


def test_dict_round_trip_and_shape_errors():
    assert household_from_dict(household_to_dict(OK)) == OK
    with pytest.raises(SituationError) as caught:
        household_from_dict(
            {
                "month": "2026-11",
                "members": [{"role": "chef", "birth_date": "31/12/1990", "disability_rate": "beaucoup"}],
                "housing": {"status": "cabane", "commune_insee": "46042", "rent": "abc"},
            }
        )
    fields = {e.field for e in caught.value.errors}
    assert fields == {
        "members.0.role",
        "members.0.birth_date",
        "members.0.disability_rate",
        "housing.status",
        "housing.rent",
    }
    with pytest.raises(SituationError, match="au moins une personne"):
        household_from_dict({"month": "2026-11", "members": [], "housing": {"status": "proprietaire"}})


def test_the_unclaimed_total_counts_payments_not_the_css_participation():
    from carte_blanche.rights.engine import BenefitResult, CheckResult, Frequency, Status

    def benefit(code, amount, frequency=Frequency.MONTHLY, received=False):
        return BenefitResult(code, code, Status.ELIGIBLE, amount, frequency, "2026-11", already_received=received)

    result = CheckResult(
        "2026-11",
        (
            benefit("ppa", 299.14),
            benefit("css", 16.0),
            benefit("cheque_energie", 120.0, Frequency.YEARLY),
            benefit("aide_logement", 336.0, received=True),
        ),
        "openfisca-france 176.1.8",
    )
    assert [b.code for b in result.unclaimed] == ["ppa", "css", "cheque_energie"]
    assert result.monthly_unclaimed_total == 309.14
