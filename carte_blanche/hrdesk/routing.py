"""Which advisor gets a new question (pure module: no Django, works on any profile-like object).

The active advisor whose profile covers the theme, the NAF code and the headcount; among them the
most specific profile (a home-care specialist before a generalist), then the least loaded, then
the lowest user id so that the choice is stable. None: the question waits in the centre's queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol


class Routable(Protocol):
    user_id: int

    def covers(self, theme: str, naf_code: str, headcount: int) -> bool: ...

    def specificity(self) -> int: ...


def route(
    profiles: Iterable[Routable], *, theme: str, naf_code: str, headcount: int, loads: Mapping[int, int]
) -> int | None:
    """The user id of the advisor to assign, or None for the queue. ``loads``: open questions per advisor."""
    candidates = [p for p in profiles if p.covers(theme, naf_code, headcount)]
    if not candidates:
        return None
    best = min(candidates, key=lambda p: (-p.specificity(), loads.get(p.user_id, 0), p.user_id))
    return best.user_id
