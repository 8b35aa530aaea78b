"""Could a volunteer driver take a job seeker to work on the job's hours?"""

from __future__ import annotations

import pytest

from carte_blanche.mobility.feasibility import ride_to_work
from carte_blanche.mobility.models import Driver, WeeklyAvailability
from carte_blanche.mobility.states import DriverStatus
from carte_blanche.territory.models import Commune

pytestmark = pytest.mark.django_db


def _c(code):
    return Commune.objects.get(insee_code=code)


def test_unknown_hours_cannot_be_checked(demo):
    check = ride_to_work(_c("46171"), _c("46134"), {"weekdays": ["mon"], "start": None, "end": None})
    assert not check.known and "non précisés" in check.summary


def test_days_with_a_driver_on_both_trips_are_possible(demo):
    # Lherm → Les Junies, 9:00–14:00: Jean-Louis (Cahors, every weekday) could do both trips, Bernard
    # (Cœur de Causse, 40 km, mornings, Tuesday and Thursday afternoons) the outbound and Tuesday's return.
    schedule = {"weekdays": ["mon", "tue", "sat"], "start": "09:00", "end": "14:00"}
    check = ride_to_work(_c("46171"), _c("46134"), schedule)
    assert check.known
    assert check.possible == ("mon", "tue")
    assert "sat" in check.impossible
    assert check.drivers == 2
    assert check.summary == "Trajet solidaire possible le lundi et mardi (2 conducteurs bénévoles)."


def test_a_return_outside_every_availability_is_refused(demo):
    # Only morning drivers around Lalbenque: a job ending at 20:00 has no return.
    Driver.objects.exclude(user__username="conductrice-lalbenque").update(status=DriverStatus.SUSPENDED)
    check = ride_to_work(_c("46148"), _c("46042"), {"weekdays": ["wed"], "start": "09:00", "end": "20:00"})
    assert check.possible == ()
    assert check.impossible["wed"] == "aucun conducteur disponible aux heures du retour"


def test_no_driver_in_the_area(demo):
    Driver.objects.update(status=DriverStatus.SUSPENDED)
    check = ride_to_work(_c("46171"), _c("46134"), {"weekdays": ["mon"], "start": "09:00", "end": "12:00"})
    assert check.impossible == {"mon": "aucun conducteur disponible ce jour-là dans ce secteur"}
    assert "Aucun conducteur" in check.summary


def test_a_new_availability_opens_a_day(demo):
    driver = Driver.objects.get(user__username="conducteur-cahors")
    WeeklyAvailability.objects.create(driver=driver, weekday=5, half_day="am")
    WeeklyAvailability.objects.create(driver=driver, weekday=5, half_day="pm")
    check = ride_to_work(_c("46171"), _c("46134"), {"weekdays": ["sat"], "start": "09:00", "end": "14:00"})
    assert check.possible == ("sat",)
