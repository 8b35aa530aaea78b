"""Routing a new question: the most specific covering advisor, then the least loaded, else the queue."""

from dataclasses import dataclass, field

import pytest

from carte_blanche.employers.models import AdvisorProfile, HrTheme
from carte_blanche.hrdesk.routing import route


@dataclass
class Profile:
    user_id: int
    themes: list = field(default_factory=list)
    naf_prefixes: list = field(default_factory=list)
    max_headcount: int = 10
    active: bool = True

    covers = AdvisorProfile.covers
    specificity = AdvisorProfile.specificity


def pick(profiles, theme="contract", naf="88.10A", headcount=8, loads=None):
    return route(profiles, theme=theme, naf_code=naf, headcount=headcount, loads=loads or {})


def test_the_most_specific_profile_wins_over_a_generalist():
    generalist = Profile(1)
    home_care = Profile(2, themes=["contract"], naf_prefixes=["88"])
    assert pick([generalist, home_care]) == 2
    assert pick([generalist, home_care], naf="10.71C") == 1


def test_among_equals_the_least_loaded():
    assert pick([Profile(1), Profile(2), Profile(3)], loads={1: 4, 2: 1, 3: 2}) == 2
    assert pick([Profile(3), Profile(2)], loads={}) == 2  # stable: lowest id


def test_nobody_covers_means_the_queue():
    profiles = [Profile(1, themes=["pay"]), Profile(2, max_headcount=5), Profile(3, active=False)]
    assert pick(profiles, theme="contract", headcount=8) is None
    assert pick([]) is None


@pytest.mark.django_db
def test_a_question_goes_to_the_specialist_then_to_the_queue(ask, hr_advisor, second_advisor):
    from carte_blanche.hrdesk.models import EventKind

    pay = ask(theme=HrTheme.PAY, subject="Majoration des heures")
    assert pay.assigned_to == second_advisor  # the pay specialist before the generalist Karim
    assert pay.events.filter(kind=EventKind.ROUTED).exists()
    AdvisorProfile.objects.filter(user=hr_advisor).update(active=False)
    contract = ask()
    assert contract.assigned_to is None
    assert contract.events.filter(kind=EventKind.QUEUED).exists()


@pytest.mark.django_db
def test_load_counts_open_questions(ask, hr_advisor, demo):
    from carte_blanche.accounts.models import User

    twin = User.objects.create_user("conseiller-bis", email="bis@centre-rh.example", role="hr_advisor")
    AdvisorProfile.objects.create(user=twin, themes=[])
    first = ask()
    second = ask()
    assert {first.assigned_to, second.assigned_to} == {hr_advisor, twin}
