"""Which facts a typed answer is taken over, said in terms the store turns into SQL: the kinds asked about
and every condition on their dates and typed figures, so that counts, first / last / Nth and
superlatives are read, ordered and counted in SQLite and only the facts shown are built."""

from __future__ import annotations

from dataclasses import dataclass

LAUNCH_KINDS = ("missile_launch", "satellite_launch")
MEETING_KINDS = ("summit", "multilateral", "bilateral", "agreement")


@dataclass(frozen=True)
class TypedSelection:
    """The current facts of `kinds` that satisfy every condition given (each one narrows, never widens).

    Conditions on launches apply to launches only, those on meetings to meetings only, and so on: a fact
    of another kind is not held to them."""

    kinds: tuple[str, ...]
    years: tuple[int, ...] = ()
    months: tuple[int, ...] = ()
    period: tuple[str, str] | None = None  # ISO dates, both ends included
    systems: frozenset[str] = frozenset()  # a fact names one of them (figures' `systems`)
    launch_classes: frozenset[str] = frozenset()  # a launch has one of them (a satellite launch is SLV)
    flags: frozenset[str] = frozenset()  # true/false figures every launch has true
    outcome: str | None = None  # every launch's outcome
    participants: frozenset[str] = frozenset()  # every meeting has all of them among its participants
    numbered_round: bool = False  # multilateral talks: numbered rounds only
    six_or_more: bool = False  # multilateral talks: six or more participants
    issuer: str | None = None  # unilateral measures: this issuer's
    # UN resolutions: one of its `measures`, lowercased and split at white space, holds one of these words.
    imposing: frozenset[str] = frozenset()
    test_number: int | None = None  # a fact whose `test_number` figure is this
    # ISO dates, compared as text (what a fact's date is stored as): dated strictly before / after it.
    earlier_than: str | None = None
    later_than: str | None = None
    responding_to: str | None = None  # a fact whose `responds_to` links name this fact (by id)
    other_than: str | None = None  # not this fact (by id)
    among: frozenset[int] | None = None  # only these facts (store rowids, as typed_holding returns them)
