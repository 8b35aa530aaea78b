"""Rights fixtures: Sarah's household as the engine reads it, and results built by hand.

A real computation costs seconds (OpenFisca), so tests that only need a result on screen or an
"old" check save a :func:`hand_result` instead; only a few tests compute for real.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carte_blanche.rights.engine import (
    BENEFITS,
    Activity,
    BenefitResult,
    CheckResult,
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
from carte_blanche.rights.engine.serialize import household_to_dict
from carte_blanche.rights.prefill import current_month, facts_from_person, household_digest, member_id


def this_month() -> str:
    return current_month(timezone.localdate())


def hand_result(
    *, eligible: dict[str, float] | None = None, received=(), version: str = "openfisca-france 0.0.0-test"
) -> CheckResult:
    """A result as the engine would return it: ``eligible`` maps codes to amounts, the rest not eligible."""
    eligible = eligible or {}
    month = this_month()
    benefits = []
    for b in BENEFITS:
        period = month[:4] if b.frequency.value == "annuel" else month
        common = {"code": b.code, "label": b.label, "frequency": b.frequency, "period": period, "caveat": b.caveat}
        if not b.computed:
            benefits.append(BenefitResult(status=Status.TO_CHECK, amount=None, reason=b.to_check, **common))
        elif b.code in eligible:
            benefits.append(
                BenefitResult(
                    status=Status.ELIGIBLE, amount=eligible[b.code], already_received=b.code in received, **common
                )
            )
        else:
            benefits.append(
                BenefitResult(status=Status.NOT_ELIGIBLE, amount=0.0, reason="Ressources trop élevées.", **common)
            )
    return CheckResult(month=month, benefits=tuple(benefits), openfisca_version=version)


def sarah_household_for(sarah, *, salary: float = 1080.0, month: str | None = None) -> Household:
    """Sarah: part-time home help on a fixed-term contract, single mother of Léna (2), renting at 480 €."""
    lena = sarah.household.get()
    return Household(
        month=month or this_month(),
        members=(
            Member(
                id="demandeur",
                role=Role.APPLICANT,
                birth_date=sarah.birth_date,
                activity=Activity.EMPLOYED,
                work_time=WorkTime.PART_TIME,
                monthly_hours=104.0,
                contract=ContractType.CDD,
                incomes=(Income(IncomeKind.SALARY, (salary, salary, salary), salary * 12),),
            ),
            Member(id=member_id(lena.pk), role=Role.CHILD, birth_date=lena.birth_date),
        ),
        housing=Housing(status=HousingStatus.TENANT_PRIVATE, commune_insee=sarah.commune.insee_code, rent=480.0),
        other_parent_pays_maintenance=False,
    )


def save_hand_check(person, *, by, result: CheckResult, household: Household | None = None, **fields):
    """A check saved directly (test set-up only: the application saves through the actions)."""
    from carte_blanche.rights.models import RightsCheck

    household = household or sarah_household_for(person)
    facts = facts_from_person(person, household_income=True, health_autonomy=False)
    values = {
        "person": person,
        "created_by": by,
        "month": household.month,
        "situation": household_to_dict(household),
        "result": result.to_dict(),
        "openfisca_version": result.openfisca_version,
        "household_digest": household_digest(facts),
        **fields,
    }
    return RightsCheck.objects.create(**values)


@pytest.fixture
def sarah_household(sarah):
    return sarah_household_for(sarah)


@pytest.fixture
def long_ago():
    return timezone.now() - dt.timedelta(days=30)
