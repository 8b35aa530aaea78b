"""The drivers' monthly mileage statements: totals, the PDF, the coordinator's CSV and who may read them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from carte_blanche.mobility import mileage
from carte_blanche.mobility.models import RideLeg
from carte_blanche.mobility.states import LegStatus
from tests.mobility.factories import back, confirm, make_driver, make_driver_user, make_ride, outbound, propose

pytestmark = pytest.mark.django_db


def _previous_month(today: dt.date) -> tuple[int, int]:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


@pytest.fixture
def month_of_rides(driver, roseline, mobility_coordinator):
    """Last month, the ``driver`` drove 3 legs (one still CONFIRMED: not closed yet), had one merely
    proposed and one cancelled; another driver drove one."""
    profile = make_driver(driver)
    year, month = _previous_month(timezone.localdate())
    day1, day2 = dt.date(year, month, 3), dt.date(year, month, 10)
    first = make_ride(roseline, by=mobility_coordinator, day=day1)
    confirm(outbound(first), profile, driven_km="12.4", distance_km="8.0", done=True)
    confirm(back(first), profile, driven_km="10.1", distance_km="8.0", done=True)
    second = make_ride(roseline, by=mobility_coordinator, day=day2, origin="46042", destination="46224")
    confirm(outbound(second), profile, driven_km="7.3", distance_km="6.5")  # confirmed, past day: counted
    propose(back(second), profile)  # never answered: not counted
    third = make_ride(roseline, by=mobility_coordinator, day=day2, with_return=False)
    cancelled = confirm(outbound(third), profile, driven_km="50")
    RideLeg.objects.filter(pk=cancelled.pk).update(status=LegStatus.CANCELLED)
    other = make_driver_user("autre-conducteur")
    fourth = make_ride(roseline, by=mobility_coordinator, day=day2, with_return=False)
    confirm(outbound(fourth), other, driven_km="20.0", done=True)
    return profile, other, year, month


def test_the_statement_counts_done_and_confirmed_legs_of_past_days(month_of_rides, settings):
    profile, _other, year, month = month_of_rides
    settings.MOBILITY = {**settings.MOBILITY, "KM_RATE": "0.335"}
    statement = mileage.statement(profile, year, month)
    assert statement.rides == 3
    assert statement.km == Decimal("29.8")
    assert statement.amount == Decimal("9.98")  # 29.8 × 0.335 = 9.983
    assert statement.rate == Decimal("0.335")
    first = statement.lines[0]
    assert (first.direction, first.origin, first.destination) == ("Aller", "Pradines", "Cahors")
    assert (statement.lines[1].origin, statement.lines[1].destination) == ("Cahors", "Pradines")  # the return
    assert statement.lines[2].day == dt.date(year, month, 10)


def test_future_days_of_the_month_do_not_count(driver, roseline, mobility_coordinator):
    profile = make_driver(driver)
    today = timezone.localdate()
    ride = make_ride(roseline, by=mobility_coordinator, day=today, with_return=False)
    confirm(outbound(ride), profile, driven_km="15")
    statement = mileage.statement(profile, today.year, today.month)
    assert statement.rides == 0 and statement.amount == Decimal("0.00")
    assert mileage.statement(profile, today.year, today.month, today=today + dt.timedelta(days=1)).rides == 1


def test_the_pdf_names_communes_never_the_passenger(month_of_rides, roseline):
    profile, _other, year, month = month_of_rides
    statement = mileage.statement(profile, year, month)
    html = render_to_string("mobility/mileage_statement.html", {"statement": statement})
    assert "Relevé kilométrique — bénévole" in html and "Mobilité solidaire du Grand Cahors" in html
    assert "Pradines → Cahors" in html and "29,8" in html and "9,98" in html
    for secret in (roseline.last_name, roseline.first_names, "12 rue des Tilleuls", "Centre hospitalier"):
        assert secret not in html
    assert mileage.statement_pdf(statement).startswith(b"%PDF")


def test_the_csv_has_one_row_per_driver(month_of_rides):
    profile, other, year, month = month_of_rides
    rows = [line.split(";") for line in mileage.statements_csv(year, month).splitlines()]
    assert rows[0][:4] == ["conducteur", "trajets", "km", "montant (€)"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[str(profile)][1:4] == ["3", "29,8", "9,98"]
    assert by_name[str(other)][1:4] == ["1", "20,0", "6,70"]


def test_the_driver_downloads_their_own_statement(verified_client, month_of_rides):
    profile, _other, year, month = month_of_rides
    response = verified_client(profile.user).get(reverse("web:driver_statement_pdf", args=[year, month]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert verified_client(profile.user).get(reverse("web:driver_statement_pdf", args=[year, 13])).status_code == 404


def test_exports_are_for_the_mobility_coordinator_only(verified_client, month_of_rides, agent, mobility_coordinator):
    profile, _other, year, month = month_of_rides
    csv_url = reverse("web:mileage_export_csv", args=[year, month])
    pdf_url = reverse("web:mileage_statement_pdf", args=[year, month, profile.pk])
    for user in (agent, profile.user):
        client = verified_client(user)
        assert client.get(csv_url).status_code == 403
        assert client.get(pdf_url).status_code == 403
    client = verified_client(mobility_coordinator)
    response = client.get(csv_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "29,8" in response.content.decode("utf-8-sig")
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("web:mileage_statement_pdf", args=[year, month, 999999])).status_code == 404
