"""The states of a SEPA mandate and who may move it from one to another.

One table, ``TRANSITIONS``, says every move allowed and who may make it; everything else
(the model's choices, the services, the admin, the donor's space, the daily rules) asks
``transition_check`` or ``transitions_from``. Drawn in ``docs/donations.md``.

- ``pending``: recorded from the gift form, not signed yet (the donor has not confirmed).
- ``active``: signed; debits are sent to the bank.
- ``paused``: the donor (or staff, for the donor) stopped the debits for a while; the
  mandate stays valid and comes back to ``active`` when asked, or by itself on the day the
  pause the donor chose (1 to 3 months) ends.
- ``suspended``: the bank refused two debits in a row (AM04, AC06, MS02, MS03), or staff
  stopped it while they check something; nothing is re-presented automatically: it comes
  back to ``active`` only when staff (or the donor, after changing the account) ask.
- ``lapsed``: no debit presented for 36 months (SEPA rulebook): the mandate is void and can
  never be used again; the donor signs a new one.
- ``cancelled``: revoked by the donor or staff, or ended by the bank (AC04 closed account,
  MD07 debtor deceased, MD01 on a refund). Final, like ``lapsed``.

No Django import: tested directly.
"""

PENDING = "pending"
ACTIVE = "active"
PAUSED = "paused"
SUSPENDED = "suspended"
LAPSED = "lapsed"
CANCELLED = "cancelled"

STATES = (PENDING, ACTIVE, PAUSED, SUSPENDED, LAPSED, CANCELLED)

# Who moves a mandate.
DONOR = "donor"  # the donor, from the confirmation link or their own space
STAFF = "staff"  # the "Dons" team, in the admin
RULE = "rule"  # a rule run by the site (the bank's answers, the 36-month lapse)

ACTORS = (DONOR, STAFF, RULE)

# (from, to) -> who may make the move. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (PENDING, ACTIVE): frozenset({DONOR}),  # only the donor signs
    (PENDING, CANCELLED): frozenset({DONOR, STAFF}),
    (ACTIVE, PAUSED): frozenset({DONOR, STAFF}),
    (ACTIVE, SUSPENDED): frozenset({STAFF, RULE}),
    (ACTIVE, LAPSED): frozenset({RULE}),
    (ACTIVE, CANCELLED): frozenset({DONOR, STAFF, RULE}),
    (PAUSED, ACTIVE): frozenset({DONOR, STAFF, RULE}),  # the rule: a pause asked for ends
    (PAUSED, SUSPENDED): frozenset({STAFF, RULE}),
    (PAUSED, LAPSED): frozenset({RULE}),
    (PAUSED, CANCELLED): frozenset({DONOR, STAFF, RULE}),
    (SUSPENDED, ACTIVE): frozenset({DONOR, STAFF}),
    (SUSPENDED, LAPSED): frozenset({RULE}),
    (SUSPENDED, CANCELLED): frozenset({DONOR, STAFF, RULE}),
}

# States in which debits are sent to the bank.
DEBITED = frozenset({ACTIVE})
# States a mandate never leaves: a new mandate (and a new RUM) is needed.
FINAL = frozenset({LAPSED, CANCELLED})
# States in which the terms (amount, day) or the bank account may still change.
CHANGEABLE = frozenset({ACTIVE, PAUSED, SUSPENDED})


class TransitionRefused(ValueError):
    """A move the table does not allow, or not to this actor."""

    def __init__(self, source: str, target: str, actor: str):
        super().__init__(f"{actor} may not move a mandate from {source} to {target}")
        self.source, self.target, self.actor = source, target, actor


def can_move(source: str, target: str, actor: str) -> bool:
    return actor in TRANSITIONS.get((source, target), frozenset())


def transition_check(source: str, target: str, actor: str) -> None:
    """``TransitionRefused`` unless ``actor`` may move a mandate from ``source`` to ``target``."""
    if source not in STATES or target not in STATES or actor not in ACTORS:
        raise ValueError(f"Unknown state or actor: {source!r}, {target!r}, {actor!r}")
    if not can_move(source, target, actor):
        raise TransitionRefused(source, target, actor)


def transitions_from(source: str, actor: str) -> list[str]:
    """The states ``actor`` may move a mandate in ``source`` to, in the order of ``STATES``."""
    return [target for target in STATES if can_move(source, target, actor)]
