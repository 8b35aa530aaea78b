"""The lifecycle of a job offer as a table of named transitions (pure module)."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    FILLED = "filled"
    WITHDRAWN = "withdrawn"


STATE_LABELS = {
    State.DRAFT: "Brouillon",
    State.PUBLISHED: "Publiée",
    State.FILLED: "Pourvue",
    State.WITHDRAWN: "Retirée",
}


class Transition(StrEnum):
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    MARK_FILLED = "mark_filled"


TRANSITION_LABELS = {
    Transition.PUBLISH: "Publier l'offre",
    Transition.WITHDRAW: "Retirer l'offre",
    Transition.MARK_FILLED: "Marquer comme pourvue",
}

# transition → (states it may start from, state it leads to). A withdrawn offer may be published
# again; a filled one is final (a new need is a new offer).
TRANSITIONS: dict[Transition, tuple[frozenset[State], State]] = {
    Transition.PUBLISH: (frozenset({State.DRAFT, State.WITHDRAWN}), State.PUBLISHED),
    Transition.WITHDRAW: (frozenset({State.PUBLISHED}), State.WITHDRAWN),
    Transition.MARK_FILLED: (frozenset({State.PUBLISHED}), State.FILLED),
}

# The employer may still change the text of these.
EDITABLE = frozenset({State.DRAFT, State.PUBLISHED, State.WITHDRAWN})


class IllegalTransition(Exception):
    def __init__(self, transition: Transition, state: State):
        self.transition, self.state = transition, state
        super().__init__(f"« {TRANSITION_LABELS[transition]} » est impossible : l'offre est « {STATE_LABELS[state]} ».")


def next_state(state: State, transition: Transition) -> State:
    sources, target = TRANSITIONS[transition]
    if state not in sources:
        raise IllegalTransition(transition, state)
    return target


def allowed(state: State) -> list[Transition]:
    return [t for t, (sources, _) in TRANSITIONS.items() if state in sources]


def is_editable(state: State) -> bool:
    return state in EDITABLE
