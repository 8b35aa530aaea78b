"""The company's case file shows its saved hiring simulations (registered from apps.ready)."""

from __future__ import annotations

from django.template.loader import render_to_string

from carte_blanche.hiring.models import HiringSimulation


def simulations_section(employer, user) -> str | None:
    simulations = list(HiringSimulation.objects.for_employer(employer)[:20])
    if not simulations:
        return None
    return render_to_string("web/hiring/_casefile_section.html", {"simulations": simulations, "user": user})
