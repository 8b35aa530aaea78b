"""From a contract draft to the employee's rights check: what the contract says about her work.

The net salary is estimated with OpenFisca-France, through the rights engine: the engine
turns a net salary into a gross one (``resolve_salaries``), so the net is found by a few
fixed-point steps from the contract's gross; the agent confirms it on the payslip.
"""

from __future__ import annotations

from carte_blanche.contracts.rules import Draft, Kind
from carte_blanche.rights.engine import Activity, ContractType, IncomeKind, WorkTime

NET_RATIO_GUESS = 0.78


def estimate_net(draft: Draft, month: str) -> float | None:
    from carte_blanche.rights.engine.simulation import resolve_salaries

    gross = draft.gross_monthly_salary
    if not gross:
        return None
    contract = ContractType.CDI.value if draft.kind is Kind.CDI else ContractType.CDD.value
    hours = float(draft.effective_monthly_hours or 0) if draft.part_time else 0.0
    net = round(gross * NET_RATIO_GUESS, 2)
    for _ in range(4):
        request = (month, net, contract, draft.part_time, hours)
        found_gross = resolve_salaries({request})[request][0]
        if not found_gross or abs(found_gross - gross) < 0.01:
            break
        net = round(net * gross / found_gross, 2)
    return net


def applicant_from_contract(draft: Draft, month: str) -> dict:
    """The applicant's work in the rights engine's dict form, as the contract sets it."""
    net = estimate_net(draft, month)
    values = {
        "activity": Activity.EMPLOYED.value,
        "work_time": (WorkTime.PART_TIME if draft.part_time else WorkTime.FULL_TIME).value,
        "monthly_hours": _plain(float(draft.effective_monthly_hours)) if draft.part_time else None,
        "contract": (ContractType.CDI if draft.kind is Kind.CDI else ContractType.CDD).value,
    }
    if net:
        values["salary"] = {"kind": IncomeKind.SALARY.value, "last_3_months": [net, net, net], "last_12_months": None}
    return values


def _plain(hours: float) -> float | int:
    """104.0 hours show as "104" in the form."""
    return int(hours) if hours.is_integer() else hours
