"""The published tour as open data: iCalendar, GTFS, data·inclusion-style service records, an SVG map.

- iCalendar (RFC 5545): one event per call of the bus at a stop, per commune or for the tour.
- GTFS (static): the bus is the agency's only route; each outing is a trip on its own date
  (``calendar_dates.txt``), calling at its stops; ``arrival_time`` is the start on site and
  ``departure_time`` the end — riders do not travel on it, they come to it.
- data·inclusion: the schema describes a place-based service; the bus's itinerant information
  (its calls) goes into an extension field ``passages`` (docs/bus.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from collections.abc import Iterable
from html import escape

from django.utils import timezone
from icalendar import Calendar, Event

from carte_blanche.bus.conf import bus_settings
from carte_blanche.bus.models import Call, Stop

PRODID = "-//Carte Blanche//Bus France services//FR"
UID_DOMAIN = "carte-blanche.cahors"
AGENCY_ID = "bus-france-services"
ROUTE_ID = "bus-france-services"


def ical(calls: Iterable[Call], *, name: str, now: dt.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = now.astimezone(dt.UTC)
    services = "\n".join(f"- {s}" for s in bus_settings().services)
    for call in calls:
        event = Event()
        event.add("uid", f"bus-passage-{call.pk}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", call.starts_at.astimezone(dt.UTC))
        event.add("dtend", call.ends_at.astimezone(dt.UTC))
        event.add("summary", f"Bus France services à {call.stop.commune.name}")
        event.add("location", f"{call.stop.name}, {call.stop.commune.name}")
        event.add("geo", (call.stop.lat, call.stop.lon))
        event.add("description", f"Deux agents France services vous accompagnent dans vos démarches :\n{services}")
        calendar.add_component(event)
    return calendar.to_ical()


def _gtfs_time(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}"


FIELDS = {
    "agency.txt": ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
    "routes.txt": ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"],
    "stops.txt": ["stop_id", "stop_name", "stop_lat", "stop_lon", "wheelchair_boarding"],
    "trips.txt": ["route_id", "service_id", "trip_id"],
    "stop_times.txt": ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
    "calendar_dates.txt": ["service_id", "date", "exception_type"],
    "feed_info.txt": ["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_contact_url", "feed_start_date",
                      "feed_end_date"],
}  # fmt: skip


def _csv(name: str, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS[name], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def gtfs(calls: Iterable[Call], *, agency_name: str, agency_url: str, feed_start: dt.date,
         feed_end: dt.date) -> bytes:  # fmt: skip
    """A zipped GTFS feed of the published calls (empty trips are not written)."""
    calls = list(calls)
    stops: dict[int, Stop] = {c.stop_id: c.stop for c in calls}
    trips: dict[int, list[Call]] = {}
    for call in calls:
        trips.setdefault(call.outing_id, []).append(call)
    files = {
        "agency.txt": [{"agency_id": AGENCY_ID, "agency_name": agency_name, "agency_url": agency_url,
                        "agency_timezone": timezone.get_current_timezone_name(), "agency_lang": "fr"}],
        "routes.txt": [{"route_id": ROUTE_ID, "agency_id": AGENCY_ID, "route_short_name": "Bus FS",
                        "route_long_name": "Bus France services itinérant", "route_type": "3"}],
        "stops.txt": [
            {"stop_id": f"arret-{s.pk}", "stop_name": f"{s.commune.name} — {s.name}", "stop_lat": f"{s.lat:.6f}",
             "stop_lon": f"{s.lon:.6f}", "wheelchair_boarding": "1" if s.accessibility else "0"}
            for s in sorted(stops.values(), key=lambda s: s.pk)
        ],
        "trips.txt": [], "stop_times.txt": [], "calendar_dates.txt": [],
        "feed_info.txt": [{"feed_publisher_name": agency_name, "feed_publisher_url": agency_url, "feed_lang": "fr",
                           "feed_contact_url": agency_url, "feed_start_date": f"{feed_start:%Y%m%d}",
                           "feed_end_date": f"{feed_end:%Y%m%d}"}],
    }  # fmt: skip
    for outing_id, outing_calls in sorted(trips.items()):
        outing_calls.sort(key=lambda c: c.order)
        day = outing_calls[0].outing.day
        service_id = f"jour-{day:%Y%m%d}"
        trip_id = f"sortie-{outing_id}"
        files["trips.txt"].append({"route_id": ROUTE_ID, "service_id": service_id, "trip_id": trip_id})
        if not any(r["service_id"] == service_id for r in files["calendar_dates.txt"]):
            files["calendar_dates.txt"].append(
                {"service_id": service_id, "date": f"{day:%Y%m%d}", "exception_type": "1"}
            )
        for sequence, call in enumerate(outing_calls, start=1):
            files["stop_times.txt"].append({
                "trip_id": trip_id, "arrival_time": _gtfs_time(call.starts_at),
                "departure_time": _gtfs_time(call.ends_at), "stop_id": f"arret-{call.stop_id}",
                "stop_sequence": str(sequence),
            })  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in files.items():
            archive.writestr(name, _csv(name, rows))
    return buffer.getvalue()


def data_inclusion(calls: Iterable[Call], *, structure, public_url: str) -> list[dict]:
    """One service record per commune served (data·inclusion ``services`` fields where they fit,
    plus ``passages``: the calls, which the schema has no field for)."""
    conf = bus_settings()
    by_commune: dict[str, list[Call]] = {}
    for call in calls:
        by_commune.setdefault(call.stop.commune.insee_code, []).append(call)
    records = []
    for insee, commune_calls in sorted(by_commune.items()):
        stop = commune_calls[0].stop
        records.append(
            {
                "id": f"bus-france-services-{insee}",
                "structure_id": f"structure-{structure.pk}",
                "source": "carte-blanche",
                "nom": f"Bus France services à {stop.commune.name}",
                "presentation_resume": "Deux agents France services vous accompagnent dans vos démarches, "
                "à bord du bus, sans rendez-vous ou sur rendez-vous.",
                "presentation_detail": "\n".join(conf.services),
                "types": ["accompagnement", "aide-materielle"],
                "thematiques": ["numerique", "acces-aux-droits-et-citoyennete"],
                "modes_accueil": ["en-presentiel"],
                "frais": ["gratuit"],
                "profils": ["tous-publics"],
                "commune": stop.commune.name,
                "code_insee": insee,
                "code_postal": (stop.commune.postal_codes or [None])[0],
                "adresse": stop.address or stop.name,
                "latitude": stop.lat,
                "longitude": stop.lon,
                "zone_diffusion_type": "commune",
                "zone_diffusion_code": insee,
                "zone_diffusion_nom": stop.commune.name,
                "lien_source": f"{public_url}/bus/communes/{insee}/",
                "date_maj": timezone.localdate().isoformat(),
                "passages": [
                    {
                        "debut": timezone.localtime(c.starts_at).isoformat(),
                        "fin": timezone.localtime(c.ends_at).isoformat(),
                        "lieu": c.stop.name,
                    }
                    for c in commune_calls
                ],  # fmt: skip
            }
        )
    return records


def svg_map(communes, calls: Iterable[Call], *, highlight=None, width: int = 640, height: int = 520) -> str:
    """A light SVG map: every commune as a dot, the stops of the tour larger, the highlighted commune
    labelled. Plain coordinates (equirectangular around the territory), no tiles, no script."""
    communes = list(communes)
    if not communes:
        return ""
    served = {c.stop.commune_id for c in calls}
    lats = [c.lat for c in communes]
    lons = [c.lon for c in communes]
    pad = 0.03
    lat0, lat1, lon0, lon1 = min(lats) - pad, max(lats) + pad, min(lons) - pad, max(lons) + pad
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = min(width / ((lon1 - lon0) * kx), height / (lat1 - lat0))

    def xy(lat, lon):
        return (lon - lon0) * kx * scale, (lat1 - lat) * scale

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             'aria-labelledby="carte-titre" class="cb-map">',
             '<title id="carte-titre">Carte des communes où passe le bus France services</title>']  # fmt: skip
    for commune in communes:
        x, y = xy(commune.lat, commune.lon)
        name = escape(commune.name)
        kind, radius = ("cb-map-stop", 6) if commune.pk in served else ("cb-map-commune", 2.5)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" class="{kind}"><title>{name}</title></circle>')
        if highlight is not None and commune.pk == highlight.pk:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" class="cb-map-here"/>')
            parts.append(f'<text x="{x + 13:.1f}" y="{y + 5:.1f}" class="cb-map-label">{name}</text>')
    parts.append("</svg>")
    return "".join(parts)
