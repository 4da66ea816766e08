"""Points, fair ranks, streaks and leaderboard periods: the quiz's rules, in one place.

Daily question: a correct answer earns CORRECT_POINTS plus a speed bonus that steps down over the
first hours after the post (see SPEED_BONUS_STEPS); a wrong answer earns nothing. Practice questions
earn no points. Ranks are "1, 2, 2, 4": members with equal points share a rank and the next rank
skips. A streak is a run of consecutive daily questions answered correctly in one server; a daily
question missed or answered wrong ends it; a question still open and not yet answered does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

CORRECT_POINTS = 10
# (answered within, bonus): 5 within 15 minutes, 4 within an hour, … nothing after 8 hours.
SPEED_BONUS_STEPS: tuple[tuple[timedelta, int], ...] = (
    (timedelta(minutes=15), 5),
    (timedelta(hours=1), 4),
    (timedelta(hours=2), 3),
    (timedelta(hours=4), 2),
    (timedelta(hours=8), 1),
)
MAX_DAILY_POINTS = CORRECT_POINTS + SPEED_BONUS_STEPS[0][1]


def speed_bonus(elapsed_ms: int) -> int:
    """Bonus points for answering `elapsed_ms` milliseconds after the question was posted."""
    elapsed = timedelta(milliseconds=max(elapsed_ms, 0))
    return next((bonus for limit, bonus in SPEED_BONUS_STEPS if elapsed <= limit), 0)


def daily_points(correct: bool, elapsed_ms: int) -> int:
    """Points for one answer to a daily question."""
    return CORRECT_POINTS + speed_bonus(elapsed_ms) if correct else 0


def fair_ranks(points: Sequence[int]) -> list[int]:
    """Competition ranks for scores sorted from highest to lowest: [30, 20, 20, 10] -> [1, 2, 2, 4]."""
    if any(a < b for a, b in pairwise(points)):
        raise ValueError("scores must be sorted from highest to lowest")
    ranks: list[int] = []
    for position, score in enumerate(points, start=1):
        ranks.append(ranks[-1] if ranks and points[position - 2] == score else position)
    return ranks


@dataclass(frozen=True)
class DailyResult:
    """One daily question in a server, as one member saw it."""

    local_date: date
    answered: bool
    correct: bool
    open: bool  # answers are still accepted


@dataclass(frozen=True)
class Streaks:
    """A member's current and best run of correct daily answers."""

    current: int
    best: int


def streaks(results: Iterable[DailyResult]) -> Streaks:
    """Current and best streak over a server's daily questions (in any order)."""
    ordered = sorted(results, key=lambda r: r.local_date)
    # An open question the member has not answered yet neither extends nor breaks the streak.
    ordered = [r for r in ordered if r.answered or not r.open]
    best = run = 0
    for result in ordered:
        run = run + 1 if result.correct else 0
        best = max(best, run)
    return Streaks(current=run, best=best)


class Period(StrEnum):
    """Leaderboard periods, counted in the server's local dates."""

    WEEK = "week"  # since Monday
    MONTH = "month"  # since the 1st
    ALL = "all"


def period_start(period: Period, today: date) -> date | None:
    """The first local date counted for `period` (None: all time)."""
    if period is Period.WEEK:
        return today - timedelta(days=today.weekday())
    if period is Period.MONTH:
        return today.replace(day=1)
    return None
