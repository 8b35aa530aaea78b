"""Load the reference files of a territory (``data/territories/<name>/``) into the database.

Two stages:

1. ``parse_*`` functions read one file each, check its columns and values and return
   plain dataclasses; they do not touch the database.
2. ``load_territory`` parses every file, then, inside one transaction, resolves the
   references between files (INSEE codes, operator slugs, service point names) and
   writes with ``update_or_create`` on natural keys, so that a second run updates rows
   instead of duplicating them.

Any problem raises ``TerritoryDataError`` (a ``CommandError``) whose French message names
the file, the line and the problem; the transaction is then rolled back and the
database is left as it was.

Only ``communes.csv`` is required: the other files are optional, so another territory
may ship fewer of them.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.validators import URLValidator
from django.db import models, transaction

from carte_blanche.territory.models import (
    Commune,
    Epci,
    Operator,
    OperatorKind,
    ServicePoint,
    Structure,
    StructureKind,
)
from carte_blanche.territory.validators import opening_hours_problem

COMMUNES_FILE = "communes.csv"
GEOMETRY_FILE = "communes.geojson"
OPERATORS_FILE = "operators.csv"
ALIASES_FILE = "operator_aliases.csv"
SERVICE_POINTS_FILE = "service_points.csv"
STRUCTURES_FILE = "structures.csv"

INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
SIREN_RE = re.compile(r"^\d{9}$")
POSTAL_CODE_RE = re.compile(r"^\d{5}$")
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


class TerritoryDataError(CommandError):
    """A problem in a territory file, located by file name and line number."""

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        where = f"{file}, ligne {line}" if line is not None else file
        super().__init__(f"{where} : {problem}")


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class EpciRow:
    siren: str
    name: str
    line: int  # first line of communes.csv that names it


@dataclass(frozen=True)
class CommuneRow:
    insee_code: str
    name: str
    epci_siren: str
    epci_name: str
    population: int
    postal_codes: tuple[str, ...]
    lat: float
    lon: float
    area_km2: float | None
    line: int


@dataclass(frozen=True)
class OperatorRow:
    slug: str
    name: str
    short_name: str
    kind: str
    website: str
    description: str
    line: int


@dataclass(frozen=True)
class AliasRow:
    source_name: str
    operator_slug: str
    line: int


@dataclass(frozen=True)
class ServicePointRow:
    operator: str  # an alias from operator_aliases.csv, or an operator slug
    name: str
    commune_insee: str
    address: str
    lat: float
    lon: float
    geo_precision: str
    opening_hours: str
    source: str
    line: int


@dataclass(frozen=True)
class StructureRow:
    name: str
    kind: str
    commune_insee: str  # may be empty when the service point gives the commune
    operator_slug: str
    service_point_name: str
    line: int


@dataclass
class Counts:
    created: int = 0
    updated: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated

    def add(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.updated += 1


@dataclass
class LoadReport:
    directory: Path
    epcis: Counts = field(default_factory=Counts)
    communes: Counts = field(default_factory=Counts)
    geometries: int = 0
    operators: Counts = field(default_factory=Counts)
    aliases: int = 0
    service_points: Counts = field(default_factory=Counts)
    structures: Counts = field(default_factory=Counts)
    missing_files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Territoire chargé depuis {self.directory} : {self.epcis.total} EPCI, "
            f"{self.communes.total} communes ({self.geometries} avec contour), "
            f"{self.operators.total} opérateurs, {self.service_points.total} points de service, "
            f"{self.structures.total} structures."
        )


# --------------------------------------------------------------------------- CSV reading


def read_csv(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` for each non-blank record; values are stripped.

    The line number is the one where the record starts (the header is line 1), so it is
    right even when a quoted field spans several lines. Columns not in ``required`` are
    optional: read them with ``row.get(name, "")``.
    """
    name = path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise TerritoryDataError(name, None, f"le fichier n'est pas en UTF-8 ({exc.reason}).") from exc
    except OSError as exc:
        raise TerritoryDataError(name, None, f"lecture impossible ({exc.strerror}).") from exc

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            raise TerritoryDataError(name, 1, "fichier vide : une ligne d'en-tête est attendue.")
        header = [h.strip() for h in header]
        duplicated = sorted({h for h in header if header.count(h) > 1})
        if duplicated:
            raise TerritoryDataError(name, 1, f"colonne(s) en double : {', '.join(duplicated)}.")
        missing = [column for column in required if column not in header]
        if missing:
            raise TerritoryDataError(
                name,
                1,
                f"colonne(s) manquante(s) : {', '.join(missing)} (colonnes lues : {', '.join(header)}).",
            )
        previous_end = reader.line_num
        for fields in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise TerritoryDataError(
                    name, start, f"{len(fields)} champs au lieu de {len(header)} (une virgule de trop ou de moins ?)."
                )
            yield start, {column: value.strip() for column, value in zip(header, fields, strict=True)}
    except csv.Error as exc:
        raise TerritoryDataError(name, reader.line_num, f"CSV mal formé ({exc}).") from exc


def _required(row: dict[str, str], column: str, file: str, line: int) -> str:
    value = row.get(column, "")
    if not value:
        raise TerritoryDataError(file, line, f"valeur manquante dans la colonne « {column} ».")
    return value


def _max_length(model: type[models.Model], field_name: str, value: str, file: str, line: int) -> str:
    limit = model._meta.get_field(field_name).max_length
    if limit is not None and len(value) > limit:
        raise TerritoryDataError(
            file, line, f"« {field_name} » trop long ({len(value)} caractères, {limit} au plus) : « {value[:40]}… »."
        )
    return value


def _choice(value: str, choices: type[models.TextChoices], column: str, file: str, line: int) -> str:
    if value not in choices.values:
        raise TerritoryDataError(
            file,
            line,
            f"valeur « {value} » inconnue dans la colonne « {column} » "
            f"(valeurs possibles : {', '.join(choices.values)}).",
        )
    return value


def _float(raw: str, label: str, file: str, line: int) -> float:
    try:
        value = float(raw)
    except ValueError:
        hint = " (séparateur décimal attendu : le point)" if "," in raw else ""
        raise TerritoryDataError(file, line, f"{label} invalide : « {raw} »{hint}.") from None
    if not math.isfinite(value):
        raise TerritoryDataError(file, line, f"{label} invalide : « {raw} ».")
    return value


def parse_coordinates(row: dict[str, str], file: str, line: int) -> tuple[float, float]:
    """Read the ``lat`` and ``lon`` columns as WGS84 decimal degrees."""
    lat = _float(_required(row, "lat", file, line), "latitude", file, line)
    lon = _float(_required(row, "lon", file, line), "longitude", file, line)
    if not -90.0 <= lat <= 90.0:
        raise TerritoryDataError(file, line, f"latitude hors de [-90, 90] : {row['lat']}.")
    if not -180.0 <= lon <= 180.0:
        raise TerritoryDataError(file, line, f"longitude hors de [-180, 180] : {row['lon']}.")
    return lat, lon


def _insee(raw: str, column: str, file: str, line: int) -> str:
    if not INSEE_RE.match(raw):
        raise TerritoryDataError(file, line, f"code INSEE mal formé dans « {column} » : « {raw} » (5 caractères).")
    return raw


# --------------------------------------------------------------------------- parsers


def parse_communes(path: Path) -> list[CommuneRow]:
    file = path.name
    rows: list[CommuneRow] = []
    seen: dict[str, int] = {}
    required = ("insee_code", "name", "epci_code", "epci_name", "population", "lat", "lon")
    for line, row in read_csv(path, required):
        code = _insee(_required(row, "insee_code", file, line), "insee_code", file, line)
        if code in seen:
            raise TerritoryDataError(file, line, f"code INSEE {code} en double (déjà ligne {seen[code]}).")
        seen[code] = line
        siren = _required(row, "epci_code", file, line)
        if not SIREN_RE.match(siren):
            raise TerritoryDataError(file, line, f"SIREN d'EPCI mal formé : « {siren} » (9 chiffres).")
        raw_population = _required(row, "population", file, line)
        if not raw_population.isdigit():
            raise TerritoryDataError(file, line, f"population invalide : « {raw_population} » (entier positif).")
        postal_codes = tuple(p.strip() for p in row.get("postal_codes", "").split(";") if p.strip())
        for postal_code in postal_codes:
            if not POSTAL_CODE_RE.match(postal_code):
                raise TerritoryDataError(file, line, f"code postal mal formé : « {postal_code} ».")
        area = None
        if row.get("area_km2"):
            area = _float(row["area_km2"], "superficie", file, line)
            if area < 0:
                raise TerritoryDataError(file, line, f"superficie négative : {row['area_km2']}.")
        lat, lon = parse_coordinates(row, file, line)
        rows.append(
            CommuneRow(
                insee_code=code,
                name=_max_length(Commune, "name", _required(row, "name", file, line), file, line),
                epci_siren=siren,
                epci_name=_max_length(Epci, "name", _required(row, "epci_name", file, line), file, line),
                population=int(raw_population),
                postal_codes=postal_codes,
                lat=lat,
                lon=lon,
                area_km2=area,
                line=line,
            )
        )
    if not rows:
        raise TerritoryDataError(file, None, "aucune commune.")
    return rows


def epcis_from_communes(communes: Sequence[CommuneRow], file: str = COMMUNES_FILE) -> list[EpciRow]:
    """The EPCIs named in communes.csv; one SIREN must always come with the same name."""
    epcis: dict[str, EpciRow] = {}
    for commune in communes:
        known = epcis.get(commune.epci_siren)
        if known is None:
            epcis[commune.epci_siren] = EpciRow(commune.epci_siren, commune.epci_name, commune.line)
        elif known.name != commune.epci_name:
            raise TerritoryDataError(
                file,
                commune.line,
                f"l'EPCI {commune.epci_siren} s'appelle « {commune.epci_name} » ici "
                f"mais « {known.name} » ligne {known.line}.",
            )
    return list(epcis.values())


def parse_geometries(path: Path, known_codes: set[str]) -> dict[str, dict[str, Any]]:
    """Commune outlines by INSEE code, from a GeoJSON FeatureCollection (property ``insee_code``)."""
    file = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise TerritoryDataError(file, None, f"le fichier n'est pas en UTF-8 ({exc.reason}).") from exc
    except json.JSONDecodeError as exc:
        raise TerritoryDataError(file, exc.lineno, f"JSON invalide ({exc.msg}, colonne {exc.colno}).") from exc
    except OSError as exc:
        raise TerritoryDataError(file, None, f"lecture impossible ({exc.strerror}).") from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise TerritoryDataError(file, None, "une FeatureCollection GeoJSON est attendue.")
    geometries: dict[str, dict[str, Any]] = {}
    for index, feature in enumerate(data["features"], start=1):
        where = f"entité n° {index}"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = str((properties or {}).get("insee_code") or "")
        if not code:
            raise TerritoryDataError(file, None, f"{where} : propriété « insee_code » manquante.")
        if code not in known_codes:
            raise TerritoryDataError(file, None, f"{where} : code INSEE inconnu {code} (absent de {COMMUNES_FILE}).")
        if code in geometries:
            raise TerritoryDataError(file, None, f"{where} : deuxième contour pour le code INSEE {code}.")
        geometry = feature.get("geometry")
        if (
            not isinstance(geometry, dict)
            or geometry.get("type") not in {"Polygon", "MultiPolygon"}
            or not isinstance(geometry.get("coordinates"), list)
        ):
            raise TerritoryDataError(file, None, f"{where} ({code}) : géométrie Polygon ou MultiPolygon attendue.")
        geometries[code] = geometry
    return geometries


def parse_operators(path: Path) -> list[OperatorRow]:
    file = path.name
    rows: list[OperatorRow] = []
    seen: dict[str, int] = {}
    url_validator = URLValidator(schemes=["http", "https"])
    for line, row in read_csv(path, ("slug", "name", "short_name", "kind")):
        slug = _max_length(Operator, "slug", _required(row, "slug", file, line), file, line)
        if not SLUG_RE.match(slug):
            raise TerritoryDataError(file, line, f"identifiant « {slug} » invalide (lettres, chiffres, - et _).")
        if slug in seen:
            raise TerritoryDataError(file, line, f"identifiant « {slug} » en double (déjà ligne {seen[slug]}).")
        seen[slug] = line
        website = row.get("website", "")
        if website:
            try:
                url_validator(website)
            except ValidationError:
                raise TerritoryDataError(file, line, f"adresse de site web invalide : « {website} ».") from None
        rows.append(
            OperatorRow(
                slug=slug,
                name=_max_length(Operator, "name", _required(row, "name", file, line), file, line),
                short_name=_max_length(Operator, "short_name", _required(row, "short_name", file, line), file, line),
                kind=_choice(_required(row, "kind", file, line), OperatorKind, "kind", file, line),
                website=_max_length(Operator, "website", website, file, line),
                description=row.get("description", ""),
                line=line,
            )
        )
    return rows


def parse_aliases(path: Path) -> list[AliasRow]:
    file = path.name
    rows: list[AliasRow] = []
    seen: dict[str, int] = {}
    for line, row in read_csv(path, ("source_name", "operator_slug")):
        source_name = _required(row, "source_name", file, line)
        if source_name in seen:
            raise TerritoryDataError(file, line, f"« {source_name} » en double (déjà ligne {seen[source_name]}).")
        seen[source_name] = line
        rows.append(AliasRow(source_name, _required(row, "operator_slug", file, line), line))
    return rows


def _opening_hours(raw: str, file: str, line: int) -> str:
    value = _max_length(ServicePoint, "opening_hours", raw.strip(), file, line)
    problem = opening_hours_problem(value)
    if problem:
        raise TerritoryDataError(file, line, problem + ".")
    return value


def parse_service_points(path: Path) -> list[ServicePointRow]:
    file = path.name
    rows: list[ServicePointRow] = []
    for line, row in read_csv(path, ("operator", "name", "commune_insee", "lat", "lon", "geo_precision")):
        lat, lon = parse_coordinates(row, file, line)
        rows.append(
            ServicePointRow(
                operator=_required(row, "operator", file, line),
                name=_max_length(ServicePoint, "name", _required(row, "name", file, line), file, line),
                commune_insee=_insee(_required(row, "commune_insee", file, line), "commune_insee", file, line),
                address=_max_length(ServicePoint, "address", row.get("address", ""), file, line),
                lat=lat,
                lon=lon,
                geo_precision=_choice(
                    _required(row, "geo_precision", file, line),
                    ServicePoint.GeoPrecision,
                    "geo_precision",
                    file,
                    line,
                ),
                opening_hours=_opening_hours(row.get("opening_hours", ""), file, line),
                source=row.get("source", ""),
                line=line,
            )
        )
    return rows


def parse_structures(path: Path) -> list[StructureRow]:
    file = path.name
    rows: list[StructureRow] = []
    seen: dict[str, int] = {}
    for line, row in read_csv(path, ("name", "kind", "operator_slug")):
        name = _max_length(Structure, "name", _required(row, "name", file, line), file, line)
        if name in seen:
            raise TerritoryDataError(file, line, f"structure « {name} » en double (déjà ligne {seen[name]}).")
        seen[name] = line
        commune_insee = row.get("commune_insee", "")
        if commune_insee:
            _insee(commune_insee, "commune_insee", file, line)
        rows.append(
            StructureRow(
                name=name,
                kind=_choice(_required(row, "kind", file, line), StructureKind, "kind", file, line),
                commune_insee=commune_insee,
                operator_slug=_required(row, "operator_slug", file, line),
                service_point_name=row.get("service_point_name", ""),
                line=line,
            )
        )
    return rows


# --------------------------------------------------------------------------- writing


@dataclass
class ParsedTerritory:
    communes: list[CommuneRow]
    epcis: list[EpciRow]
    geometries: dict[str, dict[str, Any]] | None
    operators: list[OperatorRow] | None
    aliases: list[AliasRow] | None
    service_points: list[ServicePointRow] | None
    structures: list[StructureRow] | None


def parse_directory(directory: Path) -> tuple[ParsedTerritory, list[str]]:
    """Parse every file of the directory; optional files that are absent come back as ``None``."""
    communes_path = directory / COMMUNES_FILE
    if not communes_path.is_file():
        raise TerritoryDataError(COMMUNES_FILE, None, f"fichier obligatoire absent du dossier {directory}.")
    communes = parse_communes(communes_path)
    missing: list[str] = []

    def optional(name: str, parse):
        path = directory / name
        if not path.is_file():
            missing.append(name)
            return None
        return parse(path)

    parsed = ParsedTerritory(
        communes=communes,
        epcis=epcis_from_communes(communes),
        geometries=optional(GEOMETRY_FILE, lambda p: parse_geometries(p, {c.insee_code for c in communes})),
        operators=optional(OPERATORS_FILE, parse_operators),
        aliases=optional(ALIASES_FILE, parse_aliases),
        service_points=optional(SERVICE_POINTS_FILE, parse_service_points),
        structures=optional(STRUCTURES_FILE, parse_structures),
    )
    return parsed, missing


def _counts_line(label: str, counts: Counts, *, feminine: bool) -> str:
    created, updated = ("créées", "mises à jour") if feminine else ("créés", "mis à jour")
    return f"{label} : {counts.total} ({counts.created} {created}, {counts.updated} {updated})"


def load_territory(directory: Path | str, stdout: TextIO | None = None) -> LoadReport:
    """Load the territory files of ``directory``; all or nothing. Progress lines go to ``stdout``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CommandError(f"Dossier de territoire introuvable : {directory}")

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    parsed, missing = parse_directory(directory)
    report = LoadReport(directory=directory, missing_files=missing)
    for name in missing:
        say(f"{name} : absent, ignoré.")

    with transaction.atomic():
        # EPCIs and communes (communes.csv, communes.geojson).
        epcis: dict[str, Epci] = {}
        for row in parsed.epcis:
            epcis[row.siren], created = Epci.objects.update_or_create(siren=row.siren, defaults={"name": row.name})
            report.epcis.add(created)
        say(_counts_line("EPCI", report.epcis, feminine=False))

        for row in parsed.communes:
            defaults: dict[str, Any] = {
                "name": row.name,
                "epci": epcis[row.epci_siren],
                "population": row.population,
                "postal_codes": list(row.postal_codes),
                "lat": row.lat,
                "lon": row.lon,
                "area_km2": row.area_km2,
            }
            if parsed.geometries is not None:
                defaults["geometry"] = parsed.geometries.get(row.insee_code)
            _, created = Commune.objects.update_or_create(insee_code=row.insee_code, defaults=defaults)
            report.communes.add(created)
        say(_counts_line("Communes", report.communes, feminine=True))
        if parsed.geometries is not None:
            report.geometries = len(parsed.geometries)
            say(f"Contours : {report.geometries} communes sur {len(parsed.communes)}")
        communes = {c.insee_code: c for c in Commune.objects.all()}

        # Operators and the names other files use for them.
        for row in parsed.operators or []:
            _, created = Operator.objects.update_or_create(
                slug=row.slug,
                defaults={
                    "name": row.name,
                    "short_name": row.short_name,
                    "kind": row.kind,
                    "website": row.website,
                    "description": row.description,
                },
            )
            report.operators.add(created)
        if parsed.operators is not None:
            say(_counts_line("Opérateurs", report.operators, feminine=False))
        operators = {o.slug: o for o in Operator.objects.all()}

        aliases: dict[str, Operator] = {}
        for row in parsed.aliases or []:
            if row.operator_slug not in operators:
                raise TerritoryDataError(ALIASES_FILE, row.line, _unknown_operator(row.operator_slug))
            aliases[row.source_name] = operators[row.operator_slug]
        if parsed.aliases is not None:
            report.aliases = len(aliases)
            say(f"Alias d'opérateurs : {report.aliases}")

        # Service points.
        seen_points: dict[tuple[str, str], int] = {}
        for row in parsed.service_points or []:
            operator = aliases.get(row.operator) or operators.get(row.operator)
            if operator is None:
                raise TerritoryDataError(
                    SERVICE_POINTS_FILE,
                    row.line,
                    f"opérateur « {row.operator} » inconnu : ni un nom de {ALIASES_FILE}, "
                    f"ni un identifiant de {OPERATORS_FILE}.",
                )
            commune = communes.get(row.commune_insee)
            if commune is None:
                raise TerritoryDataError(SERVICE_POINTS_FILE, row.line, _unknown_commune(row.commune_insee))
            key = (operator.slug, row.name)
            if key in seen_points:
                raise TerritoryDataError(
                    SERVICE_POINTS_FILE,
                    row.line,
                    f"point de service « {row.name} » de {operator.slug} en double (déjà ligne {seen_points[key]}).",
                )
            seen_points[key] = row.line
            _, created = ServicePoint.objects.update_or_create(
                operator=operator,
                name=row.name,
                defaults={
                    "commune": commune,
                    "address": row.address,
                    "lat": row.lat,
                    "lon": row.lon,
                    "geo_precision": row.geo_precision,
                    "opening_hours": row.opening_hours,
                    "source": row.source,
                },
            )
            report.service_points.add(created)
        if parsed.service_points is not None:
            say(_counts_line("Points de service", report.service_points, feminine=False))

        # Structures.
        for row in parsed.structures or []:
            operator = operators.get(row.operator_slug)
            if operator is None:
                raise TerritoryDataError(STRUCTURES_FILE, row.line, _unknown_operator(row.operator_slug))
            service_point = _find_service_point(row, operator) if row.service_point_name else None
            if row.commune_insee:
                commune = communes.get(row.commune_insee)
                if commune is None:
                    raise TerritoryDataError(STRUCTURES_FILE, row.line, _unknown_commune(row.commune_insee))
                if service_point is not None and service_point.commune_id != commune.pk:
                    raise TerritoryDataError(
                        STRUCTURES_FILE,
                        row.line,
                        f"la commune {row.commune_insee} n'est pas celle du point de service "
                        f"« {service_point.name} » ({service_point.commune.insee_code}).",
                    )
            elif service_point is not None:
                commune = service_point.commune
            else:
                raise TerritoryDataError(
                    STRUCTURES_FILE, row.line, "commune manquante : remplissez commune_insee ou service_point_name."
                )
            _, created = Structure.objects.update_or_create(
                name=row.name,
                defaults={"kind": row.kind, "commune": commune, "operator": operator, "service_point": service_point},
            )
            report.structures.add(created)
        if parsed.structures is not None:
            say(_counts_line("Structures", report.structures, feminine=True))

    return report


def _unknown_operator(slug: str) -> str:
    return f"identifiant d'opérateur inconnu « {slug} » (absent de {OPERATORS_FILE} et de la base)."


def _unknown_commune(code: str) -> str:
    return f"code INSEE inconnu {code} (absent de {COMMUNES_FILE} et de la base)."


def _find_service_point(row: StructureRow, operator: Operator) -> ServicePoint:
    candidates = list(ServicePoint.objects.filter(name=row.service_point_name).select_related("commune"))
    if len(candidates) > 1:
        candidates = [p for p in candidates if p.operator_id == operator.pk]
    if len(candidates) == 1:
        return candidates[0]
    problem = "inconnu" if not candidates else "ambigu (plusieurs opérateurs)"
    raise TerritoryDataError(
        STRUCTURES_FILE,
        row.line,
        f"point de service « {row.service_point_name} » {problem} (voir {SERVICE_POINTS_FILE}).",
    )
