"""Load the procedures catalogue from its TOML files (data/catalogue/procedures/*.toml).

All or nothing: the files are parsed and checked first, then written in one transaction.
An entry whose file content did not change since the last load is left alone, so edits
made by coordinators in the application survive a reload; a changed entry gets a new
version; an entry that left the files is withdrawn (kept, marked not in force).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.validators import URLValidator
from django.db import transaction

from carte_blanche.catalogue.benefits import BENEFITS
from carte_blanche.catalogue.models import Procedure, RevisionSource, Theme
from carte_blanche.territory.models import Operator

REQUIRED = ("slug", "title", "operator", "audience")
TEXT_FIELDS = ("title", "audience", "online_url", "cerfa", "typical_delay", "on_the_spot", "lot_notes")
LIST_FIELDS = ("documents", "benefits", "keywords")


class CatalogueError(CommandError):
    def __init__(self, file: str, problem: str, slug: str = ""):
        where = f"{file}, démarche « {slug} »" if slug else file
        super().__init__(f"{where} : {problem}")


@dataclass
class CatalogueReport:
    themes: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    by_theme: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def entry_hash(entry: dict) -> str:
    return hashlib.sha256(json.dumps(entry, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def parse_directory(directory: Path) -> list[tuple[dict, list[dict]]]:
    folder = directory / "procedures"
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise CommandError(f"Aucun fichier de démarches (*.toml) dans {folder}.")
    check_url = URLValidator(schemes=["https"])
    seen: dict[str, str] = {}
    parsed = []
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise CatalogueError(path.name, f"TOML illisible ({exc})") from exc
        theme = data.get("theme") or {}
        if not theme.get("slug") or not theme.get("title"):
            raise CatalogueError(path.name, "table [theme] avec « slug » et « title » attendue")
        entries = data.get("procedure", [])
        for entry in entries:
            slug = entry.get("slug", "")
            missing = [key for key in REQUIRED if not entry.get(key)]
            if missing:
                raise CatalogueError(path.name, f"champ(s) obligatoire(s) manquant(s) : {', '.join(missing)}", slug)
            if slug in seen:
                raise CatalogueError(path.name, f"identifiant déjà utilisé dans {seen[slug]}", slug)
            seen[slug] = path.name
            unknown = [b for b in entry.get("benefits", []) if b not in BENEFITS]
            if unknown:
                raise CatalogueError(path.name, f"droit(s) inconnu(s) : {', '.join(unknown)}", slug)
            for key in LIST_FIELDS:
                if not isinstance(entry.get(key, []), list):
                    raise CatalogueError(path.name, f"« {key} » doit être une liste", slug)
            if entry.get("online_url"):
                try:
                    check_url(entry["online_url"])
                except ValidationError as exc:
                    raise CatalogueError(path.name, f"adresse en ligne invalide : {entry['online_url']}", slug) from exc
        parsed.append((theme, entries))
    return parsed


def load_catalogue(directory: Path | str, stdout: TextIO | None = None) -> CatalogueReport:
    directory = Path(directory)
    parsed = parse_directory(directory)
    operators = {o.slug: o for o in Operator.objects.all()}
    for _theme, entries in parsed:
        for entry in entries:
            if entry["operator"] not in operators:
                raise CatalogueError(
                    "catalogue",
                    f"organisme inconnu « {entry['operator']} » : chargez d'abord le territoire",
                    entry["slug"],
                )
    report = CatalogueReport()
    with transaction.atomic():
        slugs_in_files = set()
        for theme_data, entries in parsed:
            theme, _ = Theme.objects.update_or_create(slug=theme_data["slug"], defaults={"title": theme_data["title"]})
            report.themes += 1
            report.by_theme[theme.title] = len(entries)
            for entry in entries:
                slugs_in_files.add(entry["slug"])
                _load_entry(entry, theme, operators[entry["operator"]], report)
            if stdout is not None:
                stdout.write(f"{theme.title} : {len(entries)} démarches\n")
        for procedure in Procedure.objects.active().exclude(slug__in=slugs_in_files).exclude(file_hash=""):
            procedure.is_active = False
            procedure.save_new_version(None, RevisionSource.FILE)
            report.withdrawn += 1
    if stdout is not None:
        stdout.write(
            f"Catalogue : {report.total} démarches dans {report.themes} thèmes "
            f"({report.created} nouvelles, {report.updated} mises à jour, {report.unchanged} inchangées, "
            f"{report.withdrawn} retirées).\n"
        )
    return report


def _load_entry(entry: dict, theme: Theme, operator: Operator, report: CatalogueReport) -> None:
    digest = entry_hash(entry)
    procedure = Procedure.objects.filter(slug=entry["slug"]).first()
    if procedure is not None and procedure.file_hash == digest and procedure.is_active:
        report.unchanged += 1
        return
    creating = procedure is None
    procedure = procedure or Procedure(slug=entry["slug"], version=0)
    procedure.theme = theme
    procedure.operator = operator
    for key in TEXT_FIELDS:
        setattr(procedure, key, entry.get(key, ""))
    for key in LIST_FIELDS:
        setattr(procedure, key, list(entry.get(key, [])))
    procedure.is_active = True
    procedure.file_hash = digest
    procedure.save_new_version(None, RevisionSource.FILE)
    if creating:
        report.created += 1
    else:
        report.updated += 1
