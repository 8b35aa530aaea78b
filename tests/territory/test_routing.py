import pytest
from django.core.exceptions import ImproperlyConfigured

from carte_blanche.territory.geo import CircuityRouter, haversine_km
from carte_blanche.territory.models import Commune
from carte_blanche.territory.routing import commune_distance_km, get_router


class FixedRouter:
    """A router without circuity argument, as a real road router would be."""

    def distance_km(self, a, b):
        return 42.0

    def duration_min(self, a, b):
        return 30.0


class NotARouter:
    pass


@pytest.fixture(autouse=True)
def fresh_router():
    get_router.cache_clear()
    yield
    get_router.cache_clear()


def test_default_router_is_the_circuity_router_of_the_settings(settings):
    router = get_router()
    assert isinstance(router, CircuityRouter)
    assert router.circuity == settings.ROAD_CIRCUITY_FACTOR
    assert get_router() is router  # cached


def test_get_router_honours_the_circuity_setting(settings):
    settings.ROAD_CIRCUITY_FACTOR = 1.5
    get_router.cache_clear()
    assert get_router().circuity == 1.5


def test_get_router_honours_the_router_setting(settings):
    settings.DISTANCE_ROUTER = "tests.territory.test_routing.FixedRouter"
    get_router.cache_clear()
    router = get_router()
    assert isinstance(router, FixedRouter)


def test_changing_the_settings_forgets_the_cached_router(settings):
    first = get_router()
    settings.ROAD_CIRCUITY_FACTOR = 1.25
    assert get_router() is not first
    assert get_router().circuity == 1.25


@pytest.mark.parametrize(
    "path", ["tests.territory.test_routing.DoesNotExist", "tests.territory.test_routing.NotARouter"]
)
def test_a_bad_router_setting_is_reported(settings, path):
    settings.DISTANCE_ROUTER = path
    get_router.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="DISTANCE_ROUTER"):
        get_router()


def test_commune_distance_uses_the_centroids_and_the_router(settings):
    settings.ROAD_CIRCUITY_FACTOR = 1.3
    get_router.cache_clear()
    cahors = Commune(insee_code="46042", name="Cahors", lat=44.45071, lon=1.44062)
    catus = Commune(insee_code="46064", name="Catus", lat=44.55804, lon=1.34114)
    expected = haversine_km(44.45071, 1.44062, 44.55804, 1.34114) * 1.3
    assert commune_distance_km(cahors, catus) == pytest.approx(expected)
    assert commune_distance_km(cahors, cahors) == 0.0
