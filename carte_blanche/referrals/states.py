"""The referral lifecycle as a table of named transitions (pure module)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    INFO_REQUESTED = "info_requested"
    REFUSED = "refused"
    ANSWERED = "answered"
    CLOSED = "closed"


STATUS_LABELS = {
    Status.SENT: "Envoyée",
    Status.ACCEPTED: "Prise en charge",
    Status.INFO_REQUESTED: "Complément demandé",
    Status.REFUSED: "Refusée",
    Status.ANSWERED: "Répondue",
    Status.CLOSED: "Clôturée",
}


class Transition(StrEnum):
    ACCEPT = "accept"
    REQUEST_INFO = "request_info"
    PROVIDE_INFO = "provide_info"
    REFUSE = "refuse"
    ANSWER = "answer"
    CLOSE = "close"


# transition → (states it may start from, state it leads to, who performs it)
TRANSITIONS: dict[Transition, tuple[frozenset[Status], Status, str]] = {
    Transition.ACCEPT: (frozenset({Status.SENT}), Status.ACCEPTED, "partner"),
    Transition.REQUEST_INFO: (frozenset({Status.SENT, Status.ACCEPTED}), Status.INFO_REQUESTED, "partner"),
    Transition.PROVIDE_INFO: (frozenset({Status.INFO_REQUESTED}), Status.ACCEPTED, "agent"),
    Transition.REFUSE: (frozenset({Status.SENT, Status.ACCEPTED, Status.INFO_REQUESTED}), Status.REFUSED, "partner"),
    Transition.ANSWER: (frozenset({Status.SENT, Status.ACCEPTED}), Status.ANSWERED, "partner"),
    Transition.CLOSE: (frozenset({Status.ANSWERED, Status.REFUSED}), Status.CLOSED, "agent"),
}

# Waiting on the partner: these count against the deadline.
OPEN_FOR_PARTNER = frozenset({Status.SENT, Status.ACCEPTED})


class IllegalTransition(Exception):
    def __init__(self, transition: Transition, status: Status):
        self.transition, self.status = transition, status
        super().__init__(f"« {transition} » est impossible depuis l'état « {STATUS_LABELS[status]} ».")


def next_status(status: Status, transition: Transition) -> Status:
    sources, target, _ = TRANSITIONS[transition]
    if status not in sources:
        raise IllegalTransition(transition, status)
    return target


def allowed(status: Status, side: str) -> list[Transition]:
    return [t for t, (sources, _, who) in TRANSITIONS.items() if status in sources and who == side]
