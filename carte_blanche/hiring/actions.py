"""Hiring simulations: atomic actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from carte_blanche.accounts.models import Role
from carte_blanche.hiring.engine import CostResult, Scenario, differences
from carte_blanche.hiring.models import HiringSimulation


def can_simulate(user) -> bool:
    return user.is_authenticated and user.role in (Role.EMPLOYER, Role.HR_ADVISOR)


def can_save_for(user, employer) -> bool:
    """A member of the company, or an HR advisor of the centre, files a simulation in its case file."""
    if employer is None or not can_simulate(user):
        return False
    return user.role == Role.HR_ADVISOR or employer.members.filter(pk=user.pk).exists()


@transaction.atomic
def save_simulation(
    user, employer, scenarios: list[Scenario], results: list[CostResult], *, label: str = ""
) -> HiringSimulation:
    """File one or two computed scenarios in the company's case file."""
    if not can_save_for(user, employer):
        raise PermissionDenied("Seuls les comptes de l'entreprise et les conseillers RH enregistrent une simulation.")
    if not results or len(scenarios) != len(results) or len(results) > 2:
        raise ValueError("Une ou deux simulations calculées sont attendues.")
    diff = differences(results[0], results[1]) if len(results) == 2 else {}
    return HiringSimulation.objects.create(
        employer=employer,
        created_by=user,
        label=label.strip()[:200],
        scenarios=[s.to_dict() for s in scenarios],
        results=[r.to_dict() for r in results],
        differences=diff,
        openfisca_version=results[0].openfisca_version,
    )
