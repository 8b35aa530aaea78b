from __future__ import annotations

import opening_hours
from django.core.exceptions import ValidationError


def opening_hours_problem(value: str) -> str | None:
    """None when ``value`` is valid OpenStreetMap `opening_hours` syntax, else why not."""
    if not value:
        return None
    try:
        opening_hours.OpeningHours(value)
    except opening_hours.ParserError:
        return (
            f"horaires « {value} » illisibles : utilisez la syntaxe OpenStreetMap, "
            "par exemple « Mo-Fr 09:00-12:00,14:00-17:00; PH off »"
        )
    return None


def validate_opening_hours(value: str) -> None:
    problem = opening_hours_problem(value)
    if problem:
        raise ValidationError(problem[0].upper() + problem[1:] + ".")
