"""The offer's lifecycle, pure: named transitions, and the moves they refuse."""

import pytest

from carte_blanche.jobs.states import IllegalTransition, State, Transition, allowed, is_editable, next_state


@pytest.mark.parametrize(
    ("state", "transition", "target"),
    [
        (State.DRAFT, Transition.PUBLISH, State.PUBLISHED),
        (State.PUBLISHED, Transition.WITHDRAW, State.WITHDRAWN),
        (State.PUBLISHED, Transition.MARK_FILLED, State.FILLED),
        (State.WITHDRAWN, Transition.PUBLISH, State.PUBLISHED),
    ],
)
def test_named_transitions(state, transition, target):
    assert next_state(state, transition) is target


@pytest.mark.parametrize(
    ("state", "transition"),
    [
        (State.DRAFT, Transition.WITHDRAW),
        (State.DRAFT, Transition.MARK_FILLED),
        (State.PUBLISHED, Transition.PUBLISH),
        (State.WITHDRAWN, Transition.MARK_FILLED),
        (State.FILLED, Transition.PUBLISH),
        (State.FILLED, Transition.WITHDRAW),
        (State.FILLED, Transition.MARK_FILLED),
    ],
)
def test_forbidden_moves_are_refused(state, transition):
    with pytest.raises(IllegalTransition, match="impossible"):
        next_state(state, transition)


def test_filled_is_final_and_no_longer_editable():
    assert allowed(State.FILLED) == []
    assert not is_editable(State.FILLED)
    assert allowed(State.DRAFT) == [Transition.PUBLISH]
    assert set(allowed(State.PUBLISHED)) == {Transition.WITHDRAW, Transition.MARK_FILLED}
