"""What the rights engine returns (pure module, no Django import)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Status(StrEnum):
    ELIGIBLE = "eligible"  # probable right, with its amount
    NOT_ELIGIBLE = "not_eligible"
    TO_CHECK = "to_check"  # the engine cannot say: the agent checks with the procedure

    @property
    def label(self) -> str:
        return {
            Status.ELIGIBLE: "Droit probable",
            Status.NOT_ELIGIBLE: "Pas de droit probable",
            Status.TO_CHECK: "À vérifier",
        }[self]


class Frequency(StrEnum):
    MONTHLY = "mensuel"
    YEARLY = "annuel"


@dataclass(frozen=True)
class BenefitResult:
    code: str  # same codes as the catalogue's procedures (catalogue.benefits)
    label: str
    status: Status
    amount: float | None  # euros, rounded to the cent; None when not computed
    frequency: Frequency
    period: str  # "2026-11" for a monthly amount, "2026" for a yearly one
    reason: str = ""  # main reason when not eligible or to check, in French
    caveat: str = ""  # what the agent must know about the amount, in French
    already_received: bool = False

    @property
    def is_payment(self) -> bool:
        """An amount paid to the household (the CSS's amount is what the household pays)."""
        return self.code != "css"

    @property
    def unclaimed(self) -> bool:
        """A probable right the household does not receive: the non-take-up."""
        return self.status is Status.ELIGIBLE and not self.already_received

    def to_dict(self) -> dict:
        data = asdict(self)
        data["status"] = self.status.value
        data["frequency"] = self.frequency.value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> BenefitResult:
        return cls(**{**data, "status": Status(data["status"]), "frequency": Frequency(data["frequency"])})


@dataclass(frozen=True)
class CheckResult:
    month: str
    benefits: tuple[BenefitResult, ...]
    openfisca_version: str  # "openfisca-france 176.1.8"

    def get(self, code: str) -> BenefitResult | None:
        return next((b for b in self.benefits if b.code == code), None)

    @property
    def eligible(self) -> tuple[BenefitResult, ...]:
        return tuple(b for b in self.benefits if b.status is Status.ELIGIBLE)

    @property
    def unclaimed(self) -> tuple[BenefitResult, ...]:
        return tuple(b for b in self.benefits if b.unclaimed)

    @property
    def to_check(self) -> tuple[BenefitResult, ...]:
        return tuple(b for b in self.benefits if b.status is Status.TO_CHECK)

    @property
    def monthly_unclaimed_total(self) -> float:
        return round(
            sum(
                (b.amount or 0) if b.frequency is Frequency.MONTHLY else (b.amount or 0) / 12
                for b in self.unclaimed
                if b.is_payment
            ),
            2,
        )

    def to_dict(self) -> dict:
        return {
            "month": self.month,
            "openfisca_version": self.openfisca_version,
            "benefits": [b.to_dict() for b in self.benefits],
        }

    @classmethod
    def from_dict(cls, data: dict) -> CheckResult:
        return cls(
            month=data["month"],
            openfisca_version=data["openfisca_version"],
            benefits=tuple(BenefitResult.from_dict(b) for b in data["benefits"]),
        )


def diff(before: CheckResult, after: CheckResult) -> tuple[list[str], list[str]]:
    """Benefit codes that became probable rights, and those that stopped being."""
    was = {b.code for b in before.eligible}
    now = {b.code for b in after.eligible}
    return sorted(now - was), sorted(was - now)
