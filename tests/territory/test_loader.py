from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carte_blanche.territory.loader import load_territory, parse_communes
from carte_blanche.territory.models import Commune, Epci, Operator, ServicePoint, Structure, StructureKind

CAHORS_DIR = Path(__file__).resolve().parents[2] / "data" / "territories" / "cahors"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_territory")]


def counts() -> dict[str, int]:
    return {
        "epcis": Epci.objects.count(),
        "communes": Commune.objects.count(),
        "operators": Operator.objects.count(),
        "service_points": ServicePoint.objects.count(),
        "structures": Structure.objects.count(),
    }


def snapshot() -> list:
    return [list(model.objects.order_by("pk").values()) for model in (Epci, Commune, Operator, ServicePoint, Structure)]


# --------------------------------------------------------------------------- the real Cahors files


def test_loads_the_cahors_territory():
    report = load_territory(CAHORS_DIR)

    operators_in_file = len((CAHORS_DIR / "operators.csv").read_text(encoding="utf-8").strip().splitlines()) - 1
    assert counts() == {
        "epcis": 4,
        "communes": 85,
        "operators": operators_in_file,
        "service_points": 13,
        "structures": 9,
    }
    assert operators_in_file >= 19
    assert report.communes.created == 85 and report.communes.updated == 0
    assert report.geometries == 85
    assert report.missing_files == []

    assert Commune.objects.filter(geometry__isnull=True).count() == 0
    cahors = Commune.objects.by_insee("46042")
    assert cahors.epci.siren == "200023737"
    assert cahors.population == 20050
    assert cahors.geometry["type"] == "Polygon"
    assert Commune.objects.by_insee("46268").postal_codes == ["46090", "46330"]
    assert sum(Commune.objects.values_list("population", flat=True)) == 62961


def test_cahors_service_points_and_structures_are_linked():
    load_territory(CAHORS_DIR)

    france_services = Operator.objects.get(slug="france-services")
    assert france_services.service_points.count() == 7
    assert ServicePoint.objects.get(name="CPAM du Lot").operator.slug == "cpam-lot"

    sites = Structure.objects.filter(kind=StructureKind.FRANCE_SERVICES)
    assert sites.count() == 7
    for site in sites:
        assert site.operator == france_services
        assert site.service_point.name == site.name
        assert site.commune == site.service_point.commune

    bus = Structure.objects.get(kind=StructureKind.BUS)
    assert bus.operator.slug == "grand-cahors"
    assert bus.commune.insee_code == "46042"
    assert bus.service_point is None

    mairie = Structure.objects.get(name="Mairie de Cahors")
    assert mairie.operator.slug == "commune-cahors"
    assert mairie.service_point.name == "Mairie de Cahors (Hôtel de Ville)"


def test_loading_twice_creates_no_duplicate():
    load_territory(CAHORS_DIR)
    first = counts()
    report = load_territory(CAHORS_DIR)

    assert counts() == first
    assert report.communes.created == 0 and report.communes.updated == 85
    assert report.structures.created == 0 and report.structures.updated == 9


def test_command_shows_progress_and_a_summary():
    out = StringIO()
    call_command("load_territory", str(CAHORS_DIR), stdout=out)
    text = out.getvalue()
    assert "Communes : 85 (85 créées, 0 mises à jour)" in text
    assert "EPCI : 4 (4 créés, 0 mis à jour)" in text
    assert "Structures : 9 (9 créées, 0 mises à jour)" in text
    assert "Territoire chargé" in text


def test_command_uses_the_territory_dir_setting_and_is_silent_at_verbosity_0(settings):
    settings.TERRITORY_DIR = CAHORS_DIR
    out = StringIO()
    call_command("load_territory", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert Commune.objects.count() == 85


# --------------------------------------------------------------------------- small files, good and bad

COMMUNES = """\
insee_code,name,epci_code,epci_name,population,postal_codes,lat,lon,area_km2
46042,Cahors,200023737,CA du Grand Cahors,20050,46000,44.45071,1.44062,64.89
46064,Catus,200023737,CA du Grand Cahors,921,46150,44.55804,1.34114,21.31
"""
OPERATORS = """\
slug,name,short_name,kind,website,description
france-services,France services,France services,france_services,,
commune-cahors,Commune de Cahors,Mairie de Cahors,local_authority,,
"""
ALIASES = """\
source_name,operator_slug
France services,france-services
"""
SERVICE_POINTS = """\
operator,name,commune_insee,address,lat,lon,geo_precision,source
France services,France services Catus,46064,"Place de la Halle, 46150 Catus",44.55631,1.336253,address,ANCT
commune-cahors,Mairie de Cahors,46042,,44.45071,1.44062,commune,
"""
STRUCTURES = """\
name,kind,commune_insee,operator_slug,service_point_name
France services Catus,france_services,,france-services,France services Catus
Mairie de Cahors,mairie,46042,commune-cahors,Mairie de Cahors
"""


def write_territory(directory: Path, **files: str) -> Path:
    contents = {
        "communes.csv": COMMUNES,
        "operators.csv": OPERATORS,
        "operator_aliases.csv": ALIASES,
        "service_points.csv": SERVICE_POINTS,
        "structures.csv": STRUCTURES,
    }
    contents.update({name.replace("__", "."): text for name, text in files.items()})
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in contents.items():
        path = directory / name
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")
    return directory


def load_error(directory: Path) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("load_territory", str(directory), verbosity=0)
    return str(excinfo.value)


def test_small_territory_loads(tmp_path):
    load_territory(write_territory(tmp_path))
    assert counts() == {"epcis": 1, "communes": 2, "operators": 2, "service_points": 2, "structures": 2}
    site = Structure.objects.get(name="France services Catus")
    assert site.commune.insee_code == "46064"  # taken from the service point
    assert Commune.objects.by_insee("46042").geometry is None


def test_only_communes_csv_is_required(tmp_path):
    directory = tmp_path / "t"
    directory.mkdir()
    (directory / "communes.csv").write_text(COMMUNES, encoding="utf-8")
    out = StringIO()
    call_command("load_territory", str(directory), stdout=out)
    assert counts() == {"epcis": 1, "communes": 2, "operators": 0, "service_points": 0, "structures": 0}
    assert "service_points.csv : absent, ignoré." in out.getvalue()


def test_missing_communes_csv_is_an_error(tmp_path):
    message = load_error(tmp_path)
    assert "communes.csv" in message and "obligatoire" in message


def test_unknown_insee_code_in_service_points_changes_nothing(tmp_path):
    directory = write_territory(tmp_path)
    load_territory(directory)
    before = snapshot()

    # Every earlier file is valid and would change rows: they must be rolled back.
    write_territory(
        directory,
        communes__csv=COMMUNES.replace("20050", "20100"),
        service_points__csv=SERVICE_POINTS.replace(",46042,", ",99999,"),
    )
    message = load_error(directory)

    assert "service_points.csv, ligne 3" in message
    assert "99999" in message
    assert snapshot() == before
    assert Commune.objects.by_insee("46042").population == 20050


def test_unknown_insee_code_on_an_empty_database_leaves_it_empty(tmp_path):
    directory = write_territory(tmp_path, service_points__csv=SERVICE_POINTS.replace(",46064,", ",46999,"))
    message = load_error(directory)
    assert "service_points.csv, ligne 2" in message and "46999" in message
    assert counts() == {"epcis": 0, "communes": 0, "operators": 0, "service_points": 0, "structures": 0}


def test_missing_column(tmp_path):
    communes = COMMUNES.replace(",lon,", ",longitude,")
    message = load_error(write_territory(tmp_path, communes__csv=communes))
    assert "communes.csv, ligne 1" in message
    assert "colonne(s) manquante(s) : lon" in message
    assert Commune.objects.count() == 0


@pytest.mark.parametrize(
    ("bad", "expected"),
    [("144.5", "latitude hors de [-90, 90]"), ("44,55", "séparateur décimal"), ("", "valeur manquante")],
)
def test_bad_latitude(tmp_path, bad, expected):
    directory = write_territory(tmp_path)
    load_territory(directory)
    before = snapshot()

    service_points = SERVICE_POINTS.replace("44.55631", f'"{bad}"')
    message = load_error(write_territory(directory, service_points__csv=service_points))

    assert "service_points.csv, ligne 2" in message
    assert expected in message
    assert snapshot() == before


def test_line_numbers_count_multiline_fields(tmp_path):
    service_points = SERVICE_POINTS.replace(",ANCT\n", ',"ANCT,\nextrait du 2024-08-01"\n').replace(
        "44.45071,1.44062,commune", "44.45071,1.44062,geocoded"
    )
    message = load_error(write_territory(tmp_path, service_points__csv=service_points))
    assert "service_points.csv, ligne 4" in message
    assert "« geocoded »" in message


def test_bad_operator_kind(tmp_path):
    operators = OPERATORS.replace("local_authority", "mairie")
    message = load_error(write_territory(tmp_path, operators__csv=operators))
    assert "operators.csv, ligne 3" in message
    assert "« mairie »" in message and "kind" in message


def test_bad_structure_kind(tmp_path):
    structures = STRUCTURES.replace(",mairie,", ",town_hall,")
    message = load_error(write_territory(tmp_path, structures__csv=structures))
    assert "structures.csv, ligne 3" in message and "town_hall" in message


def test_unknown_operator_slug_in_structures(tmp_path):
    structures = STRUCTURES.replace(",commune-cahors,", ",ville-de-cahors,")
    message = load_error(write_territory(tmp_path, structures__csv=structures))
    assert "structures.csv, ligne 3" in message and "ville-de-cahors" in message
    assert counts()["communes"] == 0


def test_unknown_operator_slug_in_aliases(tmp_path):
    aliases = ALIASES.replace(",france-services", ",maison-france-services")
    message = load_error(write_territory(tmp_path, operator_aliases__csv=aliases))
    assert "operator_aliases.csv, ligne 2" in message and "maison-france-services" in message


def test_unknown_operator_name_in_service_points(tmp_path):
    message = load_error(write_territory(tmp_path, operator_aliases__csv=None))
    assert "service_points.csv, ligne 2" in message and "« France services »" in message


def test_unknown_service_point_in_structures(tmp_path):
    structures = STRUCTURES.replace(",Mairie de Cahors\n", ",Hôtel de ville\n")
    message = load_error(write_territory(tmp_path, structures__csv=structures))
    assert "structures.csv, ligne 3" in message and "Hôtel de ville" in message


def test_geojson_with_an_unknown_commune(tmp_path):
    geojson = (
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"insee_code":"46999"},'
        '"geometry":{"type":"Polygon","coordinates":[[[1.4,44.4],[1.5,44.4],[1.5,44.5],[1.4,44.4]]]}}]}'
    )
    message = load_error(write_territory(tmp_path, communes__geojson=geojson))
    assert "communes.geojson" in message and "46999" in message


def test_parse_communes_returns_plain_rows():
    rows = parse_communes(CAHORS_DIR / "communes.csv")
    assert len(rows) == 85
    saint_gery = next(r for r in rows if r.insee_code == "46268")
    assert saint_gery.postal_codes == ("46090", "46330")
    assert saint_gery.line > 1


def test_opening_hours_in_osm_syntax_are_loaded_and_bad_ones_refused(tmp_path):
    good = (
        SERVICE_POINTS.replace(",source\n", ",source,opening_hours\n")
        .replace(",ANCT\n", ',ANCT,"Mo-Fr 09:00-12:00,13:30-17:00; PH off"\n')
        .replace(",commune,\n", ",commune,,\n")
    )
    load_territory(write_territory(tmp_path, service_points__csv=good))
    assert ServicePoint.objects.get(name="France services Catus").opening_hours.startswith("Mo-Fr 09:00")

    bad = good.replace("Mo-Fr 09:00-12:00", "lundi au vendredi 9h-12h")
    message = load_error(write_territory(tmp_path, service_points__csv=bad))
    assert "service_points.csv, ligne 2" in message and "syntaxe OpenStreetMap" in message


def test_opening_hours_validator_on_the_model():
    from django.core.exceptions import ValidationError

    from carte_blanche.territory.validators import validate_opening_hours

    validate_opening_hours("Tu,Th 14:00-17:00")
    with pytest.raises(ValidationError, match="OpenStreetMap"):
        validate_opening_hours("le mardi")
