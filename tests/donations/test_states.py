"""The mandate states (donations.states): every move allowed, every other refused."""

import itertools

import pytest

from donations import states
from donations.states import (
    ACTIVE,
    CANCELLED,
    DONOR,
    LAPSED,
    PAUSED,
    PENDING,
    RULE,
    STAFF,
    SUSPENDED,
)

# Written out again on purpose: the table in states.py must say exactly this.
ALLOWED = {
    (PENDING, ACTIVE, DONOR),
    (PENDING, CANCELLED, DONOR),
    (PENDING, CANCELLED, STAFF),
    (ACTIVE, PAUSED, DONOR),
    (ACTIVE, PAUSED, STAFF),
    (ACTIVE, SUSPENDED, STAFF),
    (ACTIVE, SUSPENDED, RULE),
    (ACTIVE, LAPSED, RULE),
    (ACTIVE, CANCELLED, DONOR),
    (ACTIVE, CANCELLED, STAFF),
    (ACTIVE, CANCELLED, RULE),
    (PAUSED, ACTIVE, DONOR),
    (PAUSED, ACTIVE, STAFF),
    (PAUSED, ACTIVE, RULE),
    (PAUSED, SUSPENDED, STAFF),
    (PAUSED, SUSPENDED, RULE),
    (PAUSED, LAPSED, RULE),
    (PAUSED, CANCELLED, DONOR),
    (PAUSED, CANCELLED, STAFF),
    (PAUSED, CANCELLED, RULE),
    (SUSPENDED, ACTIVE, DONOR),
    (SUSPENDED, ACTIVE, STAFF),
    (SUSPENDED, LAPSED, RULE),
    (SUSPENDED, CANCELLED, DONOR),
    (SUSPENDED, CANCELLED, STAFF),
    (SUSPENDED, CANCELLED, RULE),
}
EVERY_MOVE = list(itertools.product(states.STATES, states.STATES, states.ACTORS))
REFUSED = [move for move in EVERY_MOVE if move not in ALLOWED]


@pytest.mark.parametrize(("source", "target", "actor"), sorted(ALLOWED))
def test_an_allowed_move_passes_the_check(source, target, actor):
    assert states.can_move(source, target, actor)
    states.transition_check(source, target, actor)


@pytest.mark.parametrize(("source", "target", "actor"), REFUSED)
def test_every_other_move_is_refused(source, target, actor):
    assert not states.can_move(source, target, actor)
    with pytest.raises(states.TransitionRefused) as refused:
        states.transition_check(source, target, actor)
    assert (refused.value.source, refused.value.target, refused.value.actor) == (
        source,
        target,
        actor,
    )


def test_there_are_216_moves_of_which_26_allowed():
    assert len(EVERY_MOVE) == 6 * 6 * 3
    assert len(REFUSED) == len(EVERY_MOVE) - 26


def test_only_the_donor_signs_a_mandate():
    assert states.transitions_from(PENDING, DONOR) == [ACTIVE, CANCELLED]
    assert states.transitions_from(PENDING, STAFF) == [CANCELLED]
    assert states.transitions_from(PENDING, RULE) == []


def test_paused_and_suspended_come_back_to_active_lapsed_and_cancelled_never():
    for state in (PAUSED, SUSPENDED):
        assert ACTIVE in states.transitions_from(state, DONOR)
    for state in states.FINAL:
        for actor in states.ACTORS:
            assert states.transitions_from(state, actor) == []


def test_only_a_rule_lapses_a_mandate():
    for source in states.STATES:
        assert not states.can_move(source, LAPSED, DONOR)
        assert not states.can_move(source, LAPSED, STAFF)


def test_an_unknown_state_or_actor_is_an_error_not_a_refusal():
    with pytest.raises(ValueError) as error:
        states.transition_check(ACTIVE, "frozen", STAFF)
    assert not isinstance(error.value, states.TransitionRefused)
    with pytest.raises(ValueError):
        states.transition_check(ACTIVE, PAUSED, "bank")


def test_the_model_offers_exactly_these_states():
    from donations.models import Mandate

    assert tuple(Mandate.State.values) == states.STATES
