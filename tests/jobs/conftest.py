"""Job offer fixtures: the demo association's company, another company, and an offer maker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

DEMO_SIRET = "84612345300017"


@pytest.fixture
def company(employer):
    """Aide à domicile du Quercy, the demo employer's company (4 published demo offers)."""
    return employer.employers.get(siret=DEMO_SIRET)


@pytest.fixture
def other_company(demo):
    from carte_blanche.employers.identifiers import luhn_valid
    from carte_blanche.employers.models import Employer
    from carte_blanche.territory.models import Commune

    siren = next(s for s in (f"7{n:08d}" for n in range(10**6, 10**6 + 100)) if luhn_valid(s))
    siret = next(siren + f"{n:05d}" for n in range(1, 100) if luhn_valid(siren + f"{n:05d}"))
    return Employer.objects.create(
        siret=siret,
        name="Boulangerie du Lot",
        naf_code="10.71C",
        headcount=3,
        commune=Commune.objects.by_insee("46064"),
    )


def make_offer(company, user, *, publish_it=False, **changes):
    """A full-time CDI from Monday to Friday, 9:00–17:00, saved through the action."""
    from carte_blanche.jobs.actions import publish, save_offer
    from carte_blanche.jobs.models import JobOffer
    from carte_blanche.territory.models import Commune

    values = {
        "title": "Vendeur·se en boulangerie",
        "description": "Vente au comptoir, mise en place, encaissement.",
        "contract_kind": "cdi",
        "part_time": False,
        "weekly_hours": Decimal("35"),
        "work_days": ["mon", "tue", "wed", "thu", "fri"],
        "start_time": dt.time(9, 0),
        "end_time": dt.time(17, 0),
        "commune": company.commune,
        "closes_on": dt.date.today() + dt.timedelta(days=20),
    }
    values.update(changes)
    if isinstance(values["commune"], str):
        values["commune"] = Commune.objects.by_insee(values["commune"])
    offer = save_offer(user, JobOffer(employer=company, **values))
    return publish(offer, by=user) if publish_it else offer


@pytest.fixture
def offer_maker():
    return make_offer
