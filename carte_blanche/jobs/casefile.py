"""The company's job offers, as a section of its case file (hrdesk)."""

from __future__ import annotations

from django.template.loader import render_to_string

from carte_blanche.jobs.actions import employers_managed_by
from carte_blanche.jobs.models import JobOffer


def offers_section(employer, user) -> str | None:
    """Only for those who manage the company's offers: its members and the HR advisors."""
    if not employers_managed_by(user).filter(pk=employer.pk).exists():
        return None
    offers = list(JobOffer.objects.of_employer(employer).select_related("commune")[:20])
    return render_to_string("web/jobs/_casefile_section.html", {"offers": offers, "employer": employer})
