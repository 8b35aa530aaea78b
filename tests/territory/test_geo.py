import ast
import csv
from pathlib import Path

import pytest

from carte_blanche.territory import geo
from carte_blanche.territory.geo import CircuityRouter, Point, distance_matrix, haversine_km

CAHORS_DIR = Path(__file__).resolve().parents[2] / "data" / "territories" / "cahors"


def communes_csv() -> dict[str, dict[str, str]]:
    with (CAHORS_DIR / "communes.csv").open(encoding="utf-8") as handle:
        return {row["insee_code"]: row for row in csv.DictReader(handle)}


def test_geo_module_imports_no_django():
    tree = ast.parse(Path(geo.__file__).read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    assert not any(m == "django" or m.startswith(("django.", "carte_blanche.")) for m in modules)


@pytest.mark.parametrize("insee_code", ["46064", "46007", "46013", "46020", "46138", "46201", "46173"])
def test_haversine_matches_the_distance_column_of_the_data_file(insee_code):
    communes = communes_csv()
    cahors, other = communes["46042"], communes[insee_code]
    computed = haversine_km(float(cahors["lat"]), float(cahors["lon"]), float(other["lat"]), float(other["lon"]))
    assert computed == pytest.approx(float(other["distance_km_to_cahors"]), abs=0.05)


def test_haversine_cahors_catus_is_plausible():
    # Centroid to centroid, straight line: Catus is about 14 km north-west of Cahors.
    assert 13.5 < haversine_km(44.45071, 1.44062, 44.55804, 1.34114) < 15.0


def test_haversine_basics():
    assert haversine_km(44.45, 1.44, 44.45, 1.44) == 0.0
    assert haversine_km(44.0, 1.0, 45.0, 2.0) == pytest.approx(haversine_km(45.0, 2.0, 44.0, 1.0))
    # One degree of latitude on the 6371.0088 km sphere.
    assert haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.195, abs=0.001)


def test_point_rejects_out_of_range_coordinates():
    with pytest.raises(ValueError):
        Point(91.0, 0.0)
    with pytest.raises(ValueError):
        Point(0.0, 181.0)
    with pytest.raises(ValueError):
        Point(float("nan"), 0.0)


def test_circuity_router_applies_the_factor_and_the_speed():
    cahors, catus = Point(44.45071, 1.44062), Point(44.55804, 1.34114)
    straight = haversine_km(cahors.lat, cahors.lon, catus.lat, catus.lon)

    router = CircuityRouter()
    assert router.circuity == 1.3
    assert router.distance_km(cahors, catus) == pytest.approx(straight * 1.3)
    assert router.duration_min(cahors, catus) == pytest.approx(straight * 1.3 / 60.0 * 60.0)

    slow = CircuityRouter(circuity=1.5, speed_kmh=45.0)
    assert slow.distance_km(cahors, catus) == pytest.approx(straight * 1.5)
    assert slow.duration_min(cahors, catus) == pytest.approx(straight * 1.5 / 45.0 * 60.0)


@pytest.mark.parametrize("kwargs", [{"circuity": 0.9}, {"speed_kmh": 0.0}, {"circuity": float("inf")}])
def test_circuity_router_rejects_impossible_parameters(kwargs):
    with pytest.raises(ValueError):
        CircuityRouter(**kwargs)


def test_circuity_router_satisfies_the_protocol():
    assert isinstance(CircuityRouter(), geo.DistanceRouter)


def test_distance_matrix_is_symmetric_with_zero_diagonal():
    communes = communes_csv()
    points = [Point(float(communes[c]["lat"]), float(communes[c]["lon"])) for c in ("46042", "46064", "46148", "46201")]
    router = CircuityRouter()
    matrix = distance_matrix(router, points)

    assert len(matrix) == 4 and all(len(row) == 4 for row in matrix)
    for i in range(4):
        assert matrix[i][i] == 0.0
        for j in range(4):
            assert matrix[i][j] == pytest.approx(matrix[j][i])
            if i != j:
                assert matrix[i][j] == pytest.approx(router.distance_km(points[i], points[j]))
                assert matrix[i][j] > 0


def test_distance_matrix_of_no_point_is_empty():
    assert distance_matrix(CircuityRouter(), []) == []
