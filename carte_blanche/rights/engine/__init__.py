"""Rights engine: a household situation in, probable rights out, computed by OpenFisca-France.

Pure package (no Django import). OpenFisca is imported and its tax-benefit system built on
first use, once per process (`warm_up()` does it ahead of time).
"""

from .benefits import BENEFITS, BY_CODE, CODES, Benefit
from .results import BenefitResult, CheckResult, Frequency, Status, diff
from .situation import (
    Activity,
    Childcare,
    ContractType,
    FieldError,
    Household,
    Housing,
    HousingStatus,
    Income,
    IncomeKind,
    Member,
    Role,
    School,
    SituationError,
    WorkTime,
    validate,
)


def compute(households, *, chunk_size: int | None = None):
    """Probable rights of each household, in one vectorised OpenFisca simulation per month and chunk."""
    from .simulation import compute as _compute

    return _compute(households, chunk_size=chunk_size)


def compute_one(household):
    return compute([household])[0]


def warm_up(month: str | None = None) -> None:
    from .simulation import warm_up as _warm_up

    _warm_up(month)


def openfisca_version() -> str:
    from .simulation import openfisca_version as _version

    return _version()


__all__ = [
    "BENEFITS",
    "BY_CODE",
    "CODES",
    "Activity",
    "Benefit",
    "BenefitResult",
    "CheckResult",
    "Childcare",
    "ContractType",
    "FieldError",
    "Frequency",
    "Household",
    "Housing",
    "HousingStatus",
    "Income",
    "IncomeKind",
    "Member",
    "Role",
    "School",
    "SituationError",
    "Status",
    "WorkTime",
    "compute",
    "compute_one",
    "diff",
    "openfisca_version",
    "validate",
    "warm_up",
]
