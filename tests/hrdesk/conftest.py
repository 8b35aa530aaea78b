"""HR questions: the demo association (Stéphanie's account), Karim the advisor, another company and advisor."""

from __future__ import annotations

import pytest

from carte_blanche.employers.models import AdvisorProfile, Employer, HrTheme
from carte_blanche.territory.models import Commune

QUESTION_BODY = (
    "Notre aide à domicile est en CDD de 6 mois qui se termine à la fin du mois : pouvons-nous le renouveler ?"
)


@pytest.fixture
def company(employer):
    return Employer.objects.get(siret="84612345300017")


@pytest.fixture
def other_boss(demo):
    from carte_blanche.accounts.models import User

    return User.objects.create_user(
        "boulangerie", email="contact@boulangerie.example", password="x", role="employer", first_name="Paul"
    )


@pytest.fixture
def other_company(other_boss):
    employer = Employer.objects.create(
        siret="73282932000074",
        name="Boulangerie du Lot",
        naf_code="10.71C",
        headcount=3,
        commune=Commune.objects.by_insee("46042"),
    )
    employer.members.add(other_boss)
    return employer


@pytest.fixture
def second_advisor(demo):
    from carte_blanche.accounts.models import User

    user = User.objects.create_user(
        "conseillere-paie", email="paie@centre-rh.example", password="x", role="hr_advisor", first_name="Inès"
    )
    AdvisorProfile.objects.create(user=user, themes=[HrTheme.PAY])
    return user


@pytest.fixture
def ask(employer, company):
    from carte_blanche.hrdesk.actions import ask_question

    def _ask(theme=HrTheme.CONTRACT, subject="Renouveler un CDD", body=QUESTION_BODY, **kwargs):
        return ask_question(company, by=employer, theme=theme, subject=subject, body=body, **kwargs)

    return _ask


@pytest.fixture
def question(ask):
    return ask()
