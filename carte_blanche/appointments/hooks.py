"""Other services follow appointments: a function registered here is called, inside the same
transaction, when an appointment is cancelled or moved.

``callback(old, new, by)``: ``old`` is the appointment as it was (now cancelled), ``new`` the
appointment that replaces it after a move, or ``None`` after a cancellation. An exception rolls
the whole change back, so a follower must only raise on a real inconsistency.
"""

from __future__ import annotations

from collections.abc import Callable

Follower = Callable[[object, object | None, object], None]

_followers: list[Follower] = []


def register(func: Follower) -> Follower:
    if func not in _followers:
        _followers.append(func)
    return func


def changed(old, new, by) -> None:
    for func in list(_followers):
        func(old, new, by)
