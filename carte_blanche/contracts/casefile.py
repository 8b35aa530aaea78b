"""The company's contract drafts, as a section of its case file (hrdesk)."""

from __future__ import annotations

from django.template.loader import render_to_string

from carte_blanche.contracts.actions import employers_of
from carte_blanche.contracts.models import ContractDraft


def contracts_section(employer, user) -> str | None:
    """Only for those who write the company's contracts: its members and the HR advisors."""
    if not employers_of(user).filter(pk=employer.pk).exists():
        return None
    drafts = list(ContractDraft.objects.of_employer(employer)[:20])
    return render_to_string("web/contracts/_casefile_section.html", {"drafts": drafts, "employer": employer})
