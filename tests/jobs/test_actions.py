"""Saving and moving offers through the actions: who may, and what the model refuses."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carte_blanche.jobs.actions import OfferClosed, mark_filled, publish, save_offer, withdraw
from carte_blanche.jobs.models import JobOffer
from carte_blanche.jobs.states import IllegalTransition, State
from tests.jobs.conftest import make_offer

pytestmark = pytest.mark.django_db


def test_an_offer_is_created_as_a_draft_then_published_withdrawn_and_republished(company, employer):
    offer = make_offer(company, employer)
    assert offer.status is State.DRAFT and offer.published_at is None and offer.created_by == employer
    offer = publish(offer, by=employer)
    assert offer.status is State.PUBLISHED and offer.published_at is not None
    assert offer.state_changed_by == employer
    offer = withdraw(offer, by=employer)
    assert offer.status is State.WITHDRAWN
    offer = publish(offer, by=employer)
    assert offer.status is State.PUBLISHED


def test_a_filled_offer_is_final_and_no_longer_edited(company, employer):
    offer = mark_filled(make_offer(company, employer, publish_it=True), by=employer)
    with pytest.raises(IllegalTransition):
        publish(offer, by=employer)
    with pytest.raises(IllegalTransition):
        withdraw(offer, by=employer)
    offer.title = "Autre poste"
    with pytest.raises(OfferClosed):
        save_offer(employer, offer)
    assert JobOffer.objects.get(pk=offer.pk).title != "Autre poste"


def test_a_draft_cannot_be_withdrawn_or_filled(company, employer):
    offer = make_offer(company, employer)
    for move in (withdraw, mark_filled):
        with pytest.raises(IllegalTransition):
            move(offer, by=employer)
    assert JobOffer.objects.get(pk=offer.pk).status is State.DRAFT


def test_editing_never_changes_the_state(company, employer):
    offer = make_offer(company, employer)
    offer.state = State.PUBLISHED
    offer = save_offer(employer, offer)
    assert JobOffer.objects.get(pk=offer.pk).status is State.DRAFT


def test_a_past_closing_date_blocks_publication(company, employer):
    offer = make_offer(company, employer, closes_on=dt.date.today() - dt.timedelta(days=1), start_date=None)
    with pytest.raises(ValidationError, match="passée"):
        publish(offer, by=employer)


def test_only_the_company_and_hr_advisors_manage_its_offers(company, other_company, employer, hr_advisor, agent):
    offer = make_offer(other_company, hr_advisor, publish_it=True)
    assert offer.status is State.PUBLISHED
    with pytest.raises(PermissionDenied):
        make_offer(other_company, employer)
    with pytest.raises(PermissionDenied):
        withdraw(offer, by=employer)
    with pytest.raises(PermissionDenied):
        make_offer(company, agent)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contract_kind": "cdd"}, "duration_months"),
        ({"part_time": True, "weekly_hours": None}, "weekly_hours"),
        ({"part_time": True, "weekly_hours": Decimal("35")}, "weekly_hours"),
        ({"weekly_hours": Decimal("24")}, "weekly_hours"),
        ({"salary_max": Decimal("1500")}, "salary_min"),
        ({"salary_min": Decimal("1600"), "salary_max": Decimal("1500")}, "salary_max"),
        ({"vehicle_required": True}, "licence_required"),
        ({"end_time": dt.time(8, 0)}, "end_time"),
        ({"start_date": dt.date.today() + dt.timedelta(days=5)}, "closes_on"),
    ],
)
def test_the_model_refuses_incoherent_offers(company, employer, changes, field):
    with pytest.raises(ValidationError) as error:
        make_offer(company, employer, **changes)
    assert field in error.value.message_dict


def test_the_schedule_is_kept_as_data_for_the_ride_check(company, employer):
    offer = make_offer(company, employer, work_days=["wed", "mon"], start_time=dt.time(6), end_time=dt.time(11))
    assert JobOffer.objects.get(pk=offer.pk).work_schedule.to_dict() == {
        "weekdays": ["mon", "wed"],
        "start": "06:00",
        "end": "11:00",
        "note": "",
    }
