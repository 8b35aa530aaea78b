"""The distance router of the deployment, chosen by ``settings.DISTANCE_ROUTER``."""

from __future__ import annotations

import inspect
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from carte_blanche.territory.geo import DistanceRouter, Point

if TYPE_CHECKING:
    from carte_blanche.territory.models import Commune


def _accepts_circuity(cls: type) -> bool:
    try:
        parameters = inspect.signature(cls).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "circuity" or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


@cache
def get_router() -> DistanceRouter:
    """The router class named by ``DISTANCE_ROUTER``, built once per process.

    It receives ``circuity=settings.ROAD_CIRCUITY_FACTOR`` if its constructor takes that
    argument (a real road router such as OSRM has no use for it and is built without
    arguments). ``get_router.cache_clear()`` forgets the instance; changing either
    setting (``override_settings``) does it automatically.
    """
    path = settings.DISTANCE_ROUTER
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"DISTANCE_ROUTER : impossible d'importer {path!r} ({exc}).") from exc
    router = cls(circuity=float(settings.ROAD_CIRCUITY_FACTOR)) if _accepts_circuity(cls) else cls()
    if not isinstance(router, DistanceRouter):
        raise ImproperlyConfigured(f"DISTANCE_ROUTER : {path!r} n'a pas de méthodes distance_km et duration_min.")
    return router


@receiver(setting_changed)
def _forget_router(*, setting: str, **kwargs) -> None:
    if setting in {"DISTANCE_ROUTER", "ROAD_CIRCUITY_FACTOR"}:
        get_router.cache_clear()


def commune_point(commune: Commune) -> Point:
    """The centroid of the commune (as in ``communes.csv``)."""
    return Point(commune.lat, commune.lon)


def commune_distance_km(commune_a: Commune, commune_b: Commune) -> float:
    """Estimated road distance (km) between the centroids of two communes."""
    return get_router().distance_km(commune_point(commune_a), commune_point(commune_b))
