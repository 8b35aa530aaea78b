"""The agents' and the coordinator's mobility pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carte_blanche.appointments.actions import book
from carte_blanche.appointments.models import Slot
from carte_blanche.consent.actions import grant_consent
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.mobility.models import Eligibility, Proposal, RideLeg, RideRequest
from carte_blanche.mobility.states import LegStatus, ProposalStatus
from carte_blanche.territory.models import Commune

pytestmark = pytest.mark.django_db


def _next_weekday(weekday: int) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _ride_data(day, **extra):
    data = {
        "ride-day": day.isoformat(), "ride-purpose": "health", "ride-purpose_detail": "Kinésithérapeute",
        "ride-origin_commune": Commune.objects.get(insee_code="46171").pk, "ride-origin_address": "Le bourg",
        "ride-destination_name": "Cabinet de kinésithérapie", "ride-destination_commune":
        Commune.objects.get(insee_code="46042").pk, "ride-arrive_after": "09:30", "ride-arrive_before": "10:00",
        "ride-with_return": "on", "ride-return_after": "11:00", "ride-return_before": "11:30",
    }  # fmt: skip
    data.update(extra)
    return data


def test_an_agent_requests_a_ride_for_sebastien_and_sees_it_planned(verified_client, agent, sebastien):
    client = verified_client(agent)
    page = client.get(f"/personnes/{sebastien.pk}/mobilite/")
    assert page.status_code == 200
    assert "Éligible" in page.content.decode()
    day = _next_weekday(1)  # a Tuesday: Jean-Louis drives from Cahors all day
    response = client.post(f"/personnes/{sebastien.pk}/mobilite/", _ride_data(day))
    ride = RideRequest.objects.get(person=sebastien)
    assert response.status_code == 302 and response.url == f"/mobilite/transports/{ride.pk}/"
    legs = list(ride.legs.order_by("direction"))
    assert [leg.direction for leg in legs] == ["outbound", "return"]
    detail = client.get(response.url).content.decode()
    assert "Transport n°" in detail and "Cabinet de kinésithérapie" in detail
    assert JournalEntry.objects.filter(event=JournalEvent.RIDE_REQUESTED, person_id=sebastien.pk).exists()
    plan = client.get(f"/mobilite/?du={day.isoformat()}").content.decode()
    assert f"n° {ride.pk}" in plan and "CAYLA Sébastien" in plan


def test_bad_times_are_refused_on_the_field_and_nothing_is_created(verified_client, agent, sebastien):
    client = verified_client(agent)
    day = _next_weekday(1)
    response = client.post(
        f"/personnes/{sebastien.pk}/mobilite/",
        _ride_data(day, **{"ride-arrive_before": "09:00", "ride-return_before": ""}),
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "L&#x27;heure limite d&#x27;arrivée doit suivre l&#x27;heure au plus tôt." in text
    assert "Indiquez l&#x27;heure limite du retour." in text
    assert not RideRequest.objects.exists()


def test_eligibility_is_decided_from_the_page(verified_client, agent, demo):
    from carte_blanche.people.models import Person

    lucas = Person.objects.get(first_names="Lucas")
    client = verified_client(agent)
    page = client.get(f"/personnes/{lucas.pk}/mobilite/").content.decode()
    assert "Aucune décision d'éligibilité" in page and "Demander un transport" not in page
    response = client.post(
        f"/personnes/{lucas.pk}/mobilite/",
        {
            "elig-status": "valid",
            "elig-no_vehicle": "on",
            "elig-reason": "no_licence",
            "elig-referred_by": "Mission locale",
        },
    )
    assert response.status_code == 302
    assert Eligibility.objects.get(person=lucas).referred_by == "Mission locale"
    assert "Demander un transport" in client.get(f"/personnes/{lucas.pk}/mobilite/").content.decode()


def test_a_ride_from_an_appointment_and_its_cancellation(verified_client, agent, roseline, cpam_referent):
    grant_consent(
        roseline, operator=cpam_referent.operator, categories=["identity"], purposes=["referral"],
        valid_until=timezone.localdate() + dt.timedelta(days=30), method="in_person", by=agent,
    )  # fmt: skip
    slot = Slot.objects.filter(permanence__operator=cpam_referent.operator).order_by("starts_at")[2]
    appointment = book(slot, roseline, by=agent)
    client = verified_client(agent)
    assert f"/rendez-vous/{appointment.pk}/transport/" in client.get("/rendez-vous/").content.decode()
    page = client.get(f"/rendez-vous/{appointment.pk}/transport/")
    assert page.status_code == 200 and "CPAM du Lot" in page.content.decode()
    response = client.post(
        f"/rendez-vous/{appointment.pk}/transport/",
        {"origin_commune": roseline.commune_id, "origin_address": "2 place de l'Église", "with_return": "on",
         "boarding_help": "on"},
    )  # fmt: skip
    ride = RideRequest.objects.get(appointment=appointment)
    assert response.status_code == 302 and ride.boarding_help
    again = client.get(f"/rendez-vous/{appointment.pk}/transport/").content.decode()
    assert "Un transport est déjà demandé" in again
    client.post(f"/mobilite/transports/{ride.pk}/annuler/")
    ride.refresh_from_db()
    assert ride.cancelled_at is not None
    assert not RideLeg.objects.filter(request=ride).exclude(status=LegStatus.CANCELLED).exists()


def test_the_coordinator_runs_the_dispatcher_and_records_a_phone_answer(
    verified_client, agent, mobility_coordinator, sebastien
):
    client = verified_client(agent)
    day = _next_weekday(1)
    client.post(f"/personnes/{sebastien.pk}/mobilite/", _ride_data(day))
    ride = RideRequest.objects.get(person=sebastien)
    coordinator = verified_client(mobility_coordinator)
    response = coordinator.post("/mobilite/repartir/", {"jour": day.isoformat()}, follow=True)
    assert "Répartiteur du" in response.content.decode()
    proposal = Proposal.objects.filter(leg__request=ride, status=ProposalStatus.PENDING).first()
    assert proposal is not None
    coordinator.post(f"/mobilite/propositions/{proposal.pk}/telephone/", {"reponse": "accepte"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.answered_via == "phone"
    indicators = coordinator.get("/mobilite/indicateurs/", {"start": day.isoformat(), "end": day.isoformat()})
    assert indicators.status_code == 200
    assert "Trajets assurés ou confirmés" in indicators.content.decode()


def test_pages_are_refused_to_other_roles(verified_client, driver, cpam_referent, agent):
    for user in (driver, cpam_referent):
        client = verified_client(user)
        assert client.get("/mobilite/").status_code == 403
        assert client.get("/mobilite/indicateurs/").status_code == 403
    assert verified_client(agent).get("/mobilite/indicateurs/").status_code == 403
    assert verified_client(agent).post("/mobilite/repartir/", {"jour": "2030-01-01"}).status_code == 403


def test_the_offers_are_public_and_filtered_by_commune(client, demo):
    page = client.get("/mobilite/offres/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Garage solidaire" in text and "Transport à la demande du Grand Cahors" in text
    soulomes = Commune.objects.get(insee_code="46310")
    filtered = client.get("/mobilite/offres/", {"commune": soulomes.pk}).content.decode()
    assert "Ligne régionale Cahors – Labastide-Murat" in filtered
    assert "Transport à la demande du Grand Cahors" not in filtered  # Soulomès is not in the Grand Cahors
    assert "Garage solidaire" in filtered  # the whole territory
