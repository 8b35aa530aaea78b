"""Concurrent bookings of the last seat: the slot row lock lets exactly one through (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from carte_blanche.appointments.actions import book, publish_permanence
from carte_blanche.appointments.models import Appointment, Status
from carte_blanche.consent.actions import grant_consent
from carte_blanche.people.models import Person


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_fill_a_slot_once(demo, agent, caf_referent):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    operator = caf_referent.operator
    permanence = publish_permanence(
        by=caf_referent, operator=operator, mode="phone", service_point=None, title="Permanence téléphonique",
        day=timezone.localdate() + dt.timedelta(days=3), start=dt.time(14), end=dt.time(14, 30),
        slot_minutes=30, capacity=1,
    )  # fmt: skip
    slot = permanence.slots.get()
    persons = list(Person.objects.order_by("pk")[:6])
    for person in persons:
        grant_consent(
            person, operator=operator, categories=["identity"], purposes=["case_management"],
            valid_until=timezone.localdate() + dt.timedelta(days=365), method="in_person", by=agent,
        )  # fmt: skip
    barrier = threading.Barrier(len(persons))
    outcomes = []

    def booker(person):
        try:
            barrier.wait()
            book(slot, person, by=agent)
            outcomes.append("booked")
        except Exception as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=booker, args=(p,)) for p in persons]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("booked") == 1, outcomes
    assert all("Ce créneau est complet" in o for o in outcomes if o != "booked"), outcomes
    assert Appointment.objects.filter(slot=slot, status=Status.BOOKED).count() == 1
