"""The SMIC at a date, from OpenFisca-France's parameter file (the rights engine's source)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import yaml

PARAMETER = Path("parameters/marche_travail/salaire_minimum/smic/smic_b_horaire.yaml")


@cache
def _values() -> tuple[tuple[dt.date, float], ...]:
    import openfisca_france

    path = Path(openfisca_france.__file__).parent / PARAMETER
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["values"]
    return tuple(
        sorted(
            (d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)), float(v["value"]))
            for d, v in raw.items()
            if v and v.get("value") is not None
        )
    )


def smic_hourly(day: dt.date) -> tuple[float, dt.date] | None:
    """The gross hourly SMIC in force on ``day`` and the date it took effect (None before any value)."""
    found = None
    for since, value in _values():
        if since <= day:
            found = (value, since)
    return found
