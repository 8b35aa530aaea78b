"""The volunteer driver's side: "Mes trajets", answering a proposal (page, public link), the
passenger's name behind the access function, availability, self-registration, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.messaging.models import Notification
from carte_blanche.mobility.models import DatedAvailability, Driver, Proposal, WeeklyAvailability
from carte_blanche.mobility.reminders import remind_drivers
from carte_blanche.mobility.states import DriverStatus, LegStatus, ProposalStatus
from tests.mobility.factories import back, confirm, make_driver, make_driver_user, make_ride, outbound, propose

pytestmark = pytest.mark.django_db


def _tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def profile(driver):
    return make_driver(driver)


@pytest.fixture
def ride(roseline, mobility_coordinator):
    return make_ride(roseline, by=mobility_coordinator, day=_tomorrow(), wheelchair=True, notes="Sonner deux fois")


def test_the_driver_page_lists_a_pending_proposal_and_accepting_it_confirms_the_leg(
    verified_client, driver, profile, ride, roseline
):
    proposal, _token = propose(outbound(ride), profile)
    client = verified_client(driver)
    page = client.get(reverse("web:driver_rides"))
    body = page.content.decode()
    assert page.status_code == 200
    assert f"Trajet n° {proposal.code}" in body
    assert "Pradines" in body and "Centre hospitalier" in body
    assert "En fauteuil roulant" in body and "Sonner deux fois" in body
    assert roseline.last_name not in body  # a proposal carries no name

    response = client.post(reverse("web:driver_answer", args=[proposal.pk, "accept"]))
    assert response.status_code == 302 and response.url == reverse("web:driver_rides")
    proposal.refresh_from_db()
    leg = outbound(ride)
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.answered_via == "page"
    assert leg.status == LegStatus.CONFIRMED and leg.driver == profile

    # Answering again is refused with a message, nothing changes.
    page = client.post(reverse("web:driver_answer", args=[proposal.pk, "decline"]), follow=True)
    assert "attend plus de réponse" in page.content.decode()
    assert outbound(ride).status == LegStatus.CONFIRMED


def test_only_drivers_see_the_driver_page(verified_client, agent):
    assert verified_client(agent).get(reverse("web:driver_rides")).status_code == 403
    assert verified_client(agent).get(reverse("web:driver_availability")).status_code == 403


def test_a_pending_driver_is_told_to_wait_for_the_coordinator(verified_client, driver):
    make_driver(driver, status=DriverStatus.PENDING)
    body = verified_client(driver).get(reverse("web:driver_rides")).content.decode()
    assert "attend la validation du coordinateur" in body


def test_another_driver_cannot_answer(verified_client, profile, ride):
    proposal, _token = propose(outbound(ride), profile)
    other = make_driver_user("autre-conducteur")
    response = verified_client(other.user).post(reverse("web:driver_answer", args=[proposal.pk, "accept"]))
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_the_public_link_accepts_once_and_never_shows_the_passenger(client, profile, ride, roseline):
    proposal, token = propose(outbound(ride), profile)
    url = reverse("web:ride_answer", args=[token])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Pradines" in body and "Accepter" in body and "Refuser" in body
    for secret in (roseline.last_name, roseline.first_names, "12 rue des Tilleuls", "Sonner"):
        assert secret not in body

    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.answered_via == "link"
    assert proposal.answered_by is None
    assert "Vous avez accepté ce trajet" in client.get(url).content.decode()

    second = client.post(url, {"answer": "decline"})
    assert second.status_code == 409
    assert "attend plus de réponse" in second.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert outbound(ride).status == LegStatus.CONFIRMED


def test_the_public_link_declines(client, profile, ride):
    proposal, token = propose(back(ride), profile)
    response = client.post(reverse("web:ride_answer", args=[token]), {"answer": "decline"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert Proposal.objects.filter(pk=proposal.pk, driver=profile, status=ProposalStatus.DECLINED).exists()


def test_an_unknown_or_expired_link(client, profile, ride):
    assert client.get(reverse("web:ride_answer", args=["inconnu-" + "x" * 30])).status_code == 404
    proposal, token = propose(outbound(ride), profile)
    Proposal.objects.filter(pk=proposal.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    body = client.get(reverse("web:ride_answer", args=[token])).content.decode()
    assert "délai de réponse est passé" in body
    assert client.post(reverse("web:ride_answer", args=[token]), {"answer": "accept"}).status_code == 409


def test_the_passenger_name_is_shown_only_to_the_driver_of_the_leg(verified_client, driver, profile, ride, roseline):
    confirm(outbound(ride), profile)
    before = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, person_id=roseline.pk).count()
    body = verified_client(driver).get(reverse("web:driver_rides")).content.decode()
    assert roseline.last_name in body
    if roseline.phone:
        assert f'href="tel:{roseline.phone}"' in body
    assert "12 rue des Tilleuls" in body  # the pick-up address of the outbound trip
    reads = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, person_id=roseline.pk)
    assert reads.count() == before + 1
    assert reads.order_by("-seq").first().actor_id == driver.pk

    other = make_driver_user("autre-conducteur")
    body = verified_client(other.user).get(reverse("web:driver_rides")).content.decode()
    assert roseline.last_name not in body and "12 rue des Tilleuls" not in body


def test_the_availability_form_saves_the_grid_and_replans(verified_client, driver, profile, ride, monkeypatch):
    from carte_blanche.web import mobility_driver_views

    planned = []
    monkeypatch.setattr(mobility_driver_views, "schedule_dispatch", lambda day, trigger: planned.append((day, trigger)))
    WeeklyAvailability.objects.filter(driver=profile).delete()
    WeeklyAvailability.objects.create(driver=profile, weekday=4, half_day="pm")
    client = verified_client(driver)
    page = client.get(reverse("web:driver_availability"))
    assert page.status_code == 200 and 'value="4-pm" id="dispo-4-pm" checked' in page.content.decode()

    response = client.post(
        reverse("web:driver_availability"),
        {"action": "settings", "weekly": ["0-am", "2-pm"], "seats": 2, "max_rides_per_week": 5,
         "max_distance_km": 25, "wheelchair_accessible": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert set(profile.weekly.values_list("weekday", "half_day")) == {(0, "am"), (2, "pm")}
    profile.refresh_from_db()
    assert (profile.seats, profile.max_rides_per_week, profile.max_distance_km) == (2, 5, 25)
    assert profile.wheelchair_accessible
    assert (ride.day, "availability") in planned  # the ride of tomorrow has open legs

    day = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(
        reverse("web:driver_availability"),
        {"action": "add_dated", "creneau-day": day.isoformat(), "creneau-starts": "14:00",
         "creneau-ends": "17:00", "creneau-available": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    slot = DatedAvailability.objects.get(driver=profile, day=day)
    assert not slot.available
    bad = client.post(
        reverse("web:driver_availability"),
        {"action": "add_dated", "creneau-day": day.isoformat(), "creneau-starts": "17:00",
         "creneau-ends": "14:00", "creneau-available": "1"},
    )  # fmt: skip
    assert bad.status_code == 400
    client.post(reverse("web:driver_availability"), {"action": "remove_dated", "dated_id": slot.pk})
    assert not DatedAvailability.objects.filter(pk=slot.pk).exists()


SIGNUP = {
    "first_name": "Paulette",
    "last_name": "Delmas",
    "email": "Paulette.Delmas@example.org",
    "phone": "06 11 22 33 44",
    "seats": 3,
    "max_distance_km": 20,
    "max_rides_per_week": 3,
    "password1": "Un-long-mot-de-passe-2026",
    "password2": "Un-long-mot-de-passe-2026",
    "consent": "on",
}


def test_signup_creates_a_pending_driver_and_refuses_a_known_email(client):
    from carte_blanche.territory.models import Commune

    data = SIGNUP | {"home_commune": Commune.objects.get(insee_code="46042").pk}
    assert client.get(reverse("web:driver_signup")).status_code == 200
    response = client.post(reverse("web:driver_signup"), data)
    assert response.status_code == 302 and response.url == reverse("web:driver_signup_thanks")
    driver = Driver.objects.select_related("user").get(user__username="paulette.delmas@example.org")
    assert driver.status == DriverStatus.PENDING and driver.phone == "+33611223344"
    assert driver.user.role == "volunteer_driver" and driver.user.check_password(SIGNUP["password1"])
    assert "le coordinateur mobilité vous contactera" in client.get(response.url).content.decode()

    again = client.post(reverse("web:driver_signup"), data | {"email": "paulette.delmas@EXAMPLE.org"})
    assert again.status_code == 400 and "Un compte existe déjà" in again.content.decode()
    assert Driver.objects.filter(user__email__iexact="paulette.delmas@example.org").count() == 1

    no_consent = {k: v for k, v in data.items() if k != "consent"} | {"email": "autre@example.org"}
    assert client.post(reverse("web:driver_signup"), no_consent).status_code == 400
    landline = data | {"email": "fixe@example.org", "phone": "05 65 20 00 00"}
    assert client.post(reverse("web:driver_signup"), landline).status_code == 400


def test_reminders_once_per_driver_and_day(profile, ride, roseline, mobility_coordinator):
    confirm(outbound(ride), profile)
    confirm(back(ride), profile)
    other = make_driver_user("autre-conducteur")
    later = make_ride(roseline, by=mobility_coordinator, day=ride.day + dt.timedelta(days=1))
    confirm(outbound(later), other)
    assert remind_drivers(ride.day) == 1
    notes = Notification.objects.filter(idempotency_key=f"ride-reminder:{profile.pk}:{ride.day.isoformat()}")
    assert notes.count() == 1 and "2 trajet(s)" in notes.get().body
    assert roseline.last_name not in notes.get().body
    assert remind_drivers(ride.day) == 1
    assert notes.count() == 1  # idempotent by its key
