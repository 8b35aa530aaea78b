"""The lifecycle of an employer's HR question as a table of named transitions (pure module)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    ASKED = "asked"
    TAKEN = "taken"
    INFO_REQUESTED = "info_requested"
    ANSWERED = "answered"
    CLOSED = "closed"


STATUS_LABELS = {
    Status.ASKED: "Posée",
    Status.TAKEN: "Prise en charge",
    Status.INFO_REQUESTED: "Précisions demandées",
    Status.ANSWERED: "Répondue",
    Status.CLOSED: "Clôturée",
}


class Side(StrEnum):
    ADVISOR = "advisor"
    EMPLOYER = "employer"


class Transition(StrEnum):
    TAKE = "take"
    REQUEST_INFO = "request_info"
    PROVIDE_INFO = "provide_info"
    ANSWER = "answer"
    REOPEN = "reopen"
    CLOSE = "close"


# transition → (states it may start from, state it leads to, who may perform it)
TRANSITIONS: dict[Transition, tuple[frozenset[Status], Status, frozenset[Side]]] = {
    Transition.TAKE: (frozenset({Status.ASKED}), Status.TAKEN, frozenset({Side.ADVISOR})),
    Transition.REQUEST_INFO: (
        frozenset({Status.ASKED, Status.TAKEN}),
        Status.INFO_REQUESTED,
        frozenset({Side.ADVISOR}),
    ),
    Transition.PROVIDE_INFO: (frozenset({Status.INFO_REQUESTED}), Status.TAKEN, frozenset({Side.EMPLOYER})),
    Transition.ANSWER: (frozenset({Status.ASKED, Status.TAKEN}), Status.ANSWERED, frozenset({Side.ADVISOR})),
    Transition.REOPEN: (frozenset({Status.ANSWERED}), Status.TAKEN, frozenset({Side.EMPLOYER})),
    Transition.CLOSE: (frozenset({Status.ANSWERED}), Status.CLOSED, frozenset({Side.ADVISOR, Side.EMPLOYER})),
}

# Waiting on the centre: these count against the deadline.
WAITING_ON_ADVISOR = frozenset({Status.ASKED, Status.TAKEN})
# Not finished: they count in an advisor's load.
OPEN = frozenset({Status.ASKED, Status.TAKEN, Status.INFO_REQUESTED})


class IllegalTransition(Exception):
    def __init__(self, transition: Transition, status: Status):
        self.transition, self.status = transition, status
        super().__init__(f"« {transition} » est impossible depuis l'état « {STATUS_LABELS[status]} ».")


def next_status(status: Status, transition: Transition) -> Status:
    sources, target, _ = TRANSITIONS[transition]
    if status not in sources:
        raise IllegalTransition(transition, status)
    return target


def allowed(status: Status, side: Side) -> list[Transition]:
    return [t for t, (sources, _, sides) in TRANSITIONS.items() if status in sources and side in sides]


def performed_by(transition: Transition) -> frozenset[Side]:
    return TRANSITIONS[transition][2]
