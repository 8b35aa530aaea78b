"""The question lifecycle, a pure table of named transitions."""

import pytest

from carte_blanche.hrdesk.states import (
    TRANSITIONS,
    IllegalTransition,
    Side,
    Status,
    Transition,
    allowed,
    next_status,
)


def test_the_happy_path():
    status = Status.ASKED
    for name in (Transition.TAKE, Transition.ANSWER, Transition.CLOSE):
        status = next_status(status, name)
    assert status is Status.CLOSED


def test_more_information_goes_back_to_taken():
    status = next_status(Status.TAKEN, Transition.REQUEST_INFO)
    assert status is Status.INFO_REQUESTED
    assert next_status(status, Transition.PROVIDE_INFO) is Status.TAKEN


def test_the_employer_reopens_after_an_answer():
    assert next_status(Status.ANSWERED, Transition.REOPEN) is Status.TAKEN


@pytest.mark.parametrize(
    ("status", "transition"),
    [
        (Status.ASKED, Transition.CLOSE),
        (Status.ASKED, Transition.PROVIDE_INFO),
        (Status.TAKEN, Transition.TAKE),
        (Status.INFO_REQUESTED, Transition.ANSWER),
        (Status.ANSWERED, Transition.ANSWER),
        (Status.CLOSED, Transition.REOPEN),
        (Status.CLOSED, Transition.TAKE),
    ],
)
def test_forbidden_moves_raise(status, transition):
    with pytest.raises(IllegalTransition, match="impossible"):
        next_status(status, transition)


def test_closed_is_final():
    assert all(Status.CLOSED not in sources for sources, _, _ in TRANSITIONS.values())


def test_who_may_do_what():
    assert allowed(Status.ASKED, Side.ADVISOR) == [Transition.TAKE, Transition.REQUEST_INFO, Transition.ANSWER]
    assert allowed(Status.ASKED, Side.EMPLOYER) == []
    assert allowed(Status.INFO_REQUESTED, Side.EMPLOYER) == [Transition.PROVIDE_INFO]
    assert allowed(Status.ANSWERED, Side.EMPLOYER) == [Transition.REOPEN, Transition.CLOSE]
    assert allowed(Status.ANSWERED, Side.ADVISOR) == [Transition.CLOSE]
