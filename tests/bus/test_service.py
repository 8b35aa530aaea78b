"""The bus service around the planner: a tour computed, published, bookable, announced, exported."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carte_blanche.appointments.actions import book
from carte_blanche.appointments.models import Slot
from carte_blanche.bus import actions
from carte_blanche.bus.models import Call, PlanStatus, Stop, Subscription
from carte_blanche.bus.notices import send_notices
from carte_blanche.bus.planning import compute_plan, parse_forbidden
from carte_blanche.consent.actions import grant_consent
from carte_blanche.messaging import sms
from carte_blanche.territory.models import Commune

pytestmark = pytest.mark.django_db

CAUSSE = "244600573"  # CC du Causse de Labastide Murat: 17 communes, Soulomès among them


def _monday(weeks_ahead: int = 1) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday() + 7 * (weeks_ahead - 1))


@pytest.fixture
def plan(coordinator):
    return compute_plan(
        by=coordinator, scope_communes=Commune.objects.filter(epci__siren=CAUSSE), starts_on=_monday(),
        weeks=2, half_days_per_week=3, pinned={"46310": 1}, forbidden_text="", time_limit=5,
    )  # fmt: skip


def test_a_computed_tour_is_a_draft_with_timed_calls(plan):
    assert plan.status == PlanStatus.DRAFT and 0 <= plan.gap <= 1
    outings = list(plan.outings.prefetch_related("calls"))
    assert 1 <= len(outings) <= 6
    calls = [call for outing in outings for call in outing.calls.all()]
    assert any(call.stop.commune.insee_code == "46310" for call in calls)  # pinned
    for outing in outings:
        times = [(c.starts_at, c.ends_at) for c in outing.calls.all()]
        for (_a, b), (c, _d) in zip(times, times[1:], strict=False):
            assert b <= c
        for starts, ends in times:
            assert (ends - starts) >= dt.timedelta(minutes=60)
            assert timezone.localtime(starts).date() == outing.day and outing.day.weekday() < 5
    assert plan.metrics["residents_total"] > 0 and plan.metrics["distinct_communes"] >= 1


def test_forbidden_dates_are_parsed_and_explained():
    rows = parse_forbidden("2026-12-25 Noël\n46310 2026-12-02 marché\n")
    assert [(r.day.isoformat(), r.insee, r.why) for r in rows] == [("2026-12-25", "", "Noël"),
                                                                      ("2026-12-02", "46310", "marché")]  # fmt: skip
    with pytest.raises(ValidationError, match="Ligne 1"):
        parse_forbidden("25/12/2026 Noël")
    with pytest.raises(ValidationError, match="99999"):
        parse_forbidden("99999 2026-12-02 marché")


def test_a_forbidden_day_gets_no_outing(coordinator):
    monday = _monday()
    text = "\n".join(f"{monday + dt.timedelta(days=i)} fermeture" for i in range(4))  # only Friday left
    plan = compute_plan(
        by=coordinator, scope_communes=Commune.objects.filter(epci__siren=CAUSSE), starts_on=monday, weeks=1,
        half_days_per_week=2, forbidden_text=text, time_limit=5,
    )  # fmt: skip
    assert {o.day for o in plan.outings.all()} <= {monday + dt.timedelta(days=4)}


def test_publishing_opens_slots_that_agents_book_under_the_consent_rule(plan, coordinator, bus_agent, roseline):
    actions.publish_plan(plan, by=coordinator)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    call = Call.objects.filter(outing__plan=plan, stop__commune__insee_code="46310").first()
    assert call.permanence is not None
    slot = Slot.objects.filter(permanence=call.permanence).order_by("starts_at").first()
    assert slot.capacity == 2
    with pytest.raises(ValidationError, match="accord"):
        book(slot, roseline, by=bus_agent)  # no consent to the bus's operator yet
    grant_consent(
        roseline, operator=bus_agent.structure.operator, categories=["identity", "contact"],
        purposes=["accompaniment"], valid_until=timezone.localdate() + dt.timedelta(days=90), method="in_person",
        by=bus_agent,
    )  # fmt: skip
    appointment = book(slot, roseline, by=bus_agent)
    assert appointment.slot.permanence.service_point.bus_stop.commune.insee_code == "46310"
    with pytest.raises(ValidationError):
        actions.publish_plan(plan, by=coordinator)  # already published


def test_only_coordinators_plan_and_publish(plan, agent):
    with pytest.raises(Exception, match="coordinateur"):
        actions.publish_plan(plan, by=agent)


def test_subscribers_are_told_seven_days_and_one_day_before_once(plan, coordinator):
    actions.publish_plan(plan, by=coordinator)
    call = Call.objects.filter(outing__plan=plan).order_by("starts_at").first()
    commune = call.stop.commune
    sub, token = actions.subscribe(commune, channel="sms", phone="+33612345678", name="Mme Test")
    actions.subscribe(commune, channel="mairie", email="mairie@example.org")
    with pytest.raises(ValidationError):
        actions.subscribe(commune, channel="sms", phone="+33612345678")
    sms.outbox.clear()
    day = call.outing.day
    assert send_notices(day - dt.timedelta(days=7)) >= 2
    assert any(m.to == "+33612345678" and commune.name in m.text for m in sms.outbox)
    before = len(sms.outbox)
    send_notices(day - dt.timedelta(days=7))
    assert len(sms.outbox) == before  # never twice
    send_notices(day - dt.timedelta(days=1))
    assert "demain" in sms.outbox[-1].text
    assert actions.unsubscribe(token).ended_at is not None
    assert not Subscription.objects.filter(pk=sub.pk, ended_at__isnull=True).exists()


def test_the_public_pages_and_feeds(client, plan, coordinator):
    actions.publish_plan(plan, by=coordinator)
    call = Call.objects.filter(outing__plan=plan).order_by("starts_at").first()
    insee = call.stop.commune.insee_code
    page = client.get(f"/bus/communes/{insee}/")
    assert page.status_code == 200
    assert f"Le bus France services à {call.stop.commune.name}" in page.content.decode()
    assert "<svg" in page.content.decode()
    assert client.get("/bus/").status_code == 200
    ics = client.get(f"/bus/communes/{insee}/passages.ics")
    assert ics["Content-Type"] == "text/calendar" and b"BEGIN:VEVENT" in ics.content
    assert (
        client.get("/bus/passages.ics").content.count(b"BEGIN:VEVENT") == Call.objects.filter(outing__plan=plan).count()
    )
    poster = client.get(f"/bus/communes/{insee}/affiche.pdf")
    assert poster.content.startswith(b"%PDF")
    records = json.loads(client.get("/bus/services.json").content)
    assert {r["code_insee"] for r in records} == {
        c.stop.commune.insee_code for c in Call.objects.filter(outing__plan=plan)
    }
    assert records[0]["passages"] and records[0]["modes_accueil"] == ["en-presentiel"]


def test_the_gtfs_feed_validates(client, plan, coordinator, tmp_path):
    """The canonical GTFS rules (MobilityData's, reimplemented by the gtfs-validator package): no error."""
    import subprocess
    import sys
    from pathlib import Path

    actions.publish_plan(plan, by=coordinator)
    content = client.get("/bus/gtfs.zip").content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        stop_times = list(csv.DictReader(io.StringIO(archive.read("stop_times.txt").decode())))
    assert len(stop_times) == Call.objects.filter(outing__plan=plan).count()
    feed = tmp_path / "gtfs.zip"
    feed.write_bytes(content)
    validator = Path(sys.executable).with_name("gtfs-validator")
    subprocess.run(
        [str(validator), "-i", str(feed), "-o", str(tmp_path / "out"), "-c", "FR",
         "-d", timezone.localdate().isoformat()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    errors = [n for n in report["notices"] if n["severity"] == "ERROR"]
    assert errors == [], errors
    assert report["summary"]["counts"]["Trips"] == plan.outings.count()  # the feed was read, not skipped


def test_the_subscription_form_refuses_bad_input_and_changes_nothing(client, demo):
    before = Subscription.objects.count()
    response = client.post("/bus/communes/46310/", {"channel": "sms", "phone": "12", "agree": "on"})
    assert response.status_code == 422 and Subscription.objects.count() == before
    response = client.post("/bus/communes/46310/", {"channel": "sms", "phone": "06 12 34 56 78"})
    assert response.status_code == 422  # the agreement is required
    response = client.post("/bus/communes/46310/", {"channel": "sms", "phone": "06 12 34 56 78", "agree": "on"})
    assert response.status_code == 302 and Subscription.objects.count() == before + 1


def test_coordinator_pages(verified_client, coordinator, agent, demo):
    client = verified_client(coordinator)
    assert client.get("/bus/tournees/").status_code == 200
    data = {"scope": CAUSSE, "starts_on": _monday().isoformat(), "weeks": 1, "half_days_per_week": 2,
            "time_limit": 5, "pinned": "46310 1"}  # fmt: skip
    response = client.post("/bus/tournees/", data)
    assert response.status_code == 302
    detail = client.get(response.url)
    assert "Écart à l&#x27;optimum" in detail.content.decode() or "Écart à l'optimum" in detail.content.decode()
    plan_id = int(response.url.rstrip("/").split("/")[-1])
    assert client.post(f"/bus/tournees/{plan_id}/publier/").status_code == 302
    stop = Stop.objects.filter(is_depot=False).first()
    assert client.post(f"/bus/arrets/{stop.pk}/", {"name": "Place de l'Église", "address": "", "lat": stop.lat,
                                                     "lon": stop.lon, "accessibility": "De plain-pied",
                                                     "active": "on"}).status_code == 302  # fmt: skip
    stop.refresh_from_db()
    assert stop.name == "Place de l'Église" and "Place de l'Église" in stop.service_point.name
    assert client.get("/bus/indicateurs/").status_code == 200
    assert verified_client(agent).get("/bus/tournees/").status_code == 403
