"""The quiz's rules: points and speed bonus, fair ranks, streaks and leaderboard periods."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.quiz.model.scoring import (
    CORRECT_POINTS,
    MAX_DAILY_POINTS,
    DailyResult,
    Period,
    daily_points,
    fair_ranks,
    period_start,
    speed_bonus,
    streaks,
)

MINUTE_MS = 60_000


@pytest.mark.parametrize(
    ("elapsed_ms", "bonus"),
    [
        (0, 5),
        (15 * MINUTE_MS, 5),
        (15 * MINUTE_MS + 1, 4),
        (60 * MINUTE_MS, 4),
        (2 * 60 * MINUTE_MS, 3),
        (3 * 60 * MINUTE_MS, 2),
        (8 * 60 * MINUTE_MS, 1),
        (8 * 60 * MINUTE_MS + 1, 0),
        (30 * 60 * MINUTE_MS, 0),
        (-5, 5),  # a clock a little behind the post never costs points
    ],
)
def test_the_speed_bonus_steps_down_over_the_first_hours(elapsed_ms: int, bonus: int) -> None:
    assert speed_bonus(elapsed_ms) == bonus


def test_points_reward_correct_answers_only() -> None:
    assert daily_points(True, 0) == MAX_DAILY_POINTS == CORRECT_POINTS + 5
    assert daily_points(True, 24 * 60 * MINUTE_MS) == CORRECT_POINTS
    assert daily_points(False, 0) == 0


@pytest.mark.parametrize(
    ("points", "ranks"),
    [
        ([], []),
        ([30], [1]),
        ([30, 20, 20, 10], [1, 2, 2, 4]),
        ([15, 15, 15], [1, 1, 1]),
        ([40, 30, 30, 30, 5, 5, 0], [1, 2, 2, 2, 5, 5, 7]),
    ],
)
def test_ties_share_a_rank_and_the_next_rank_skips(points: list[int], ranks: list[int]) -> None:
    assert fair_ranks(points) == ranks


def test_ranks_need_scores_in_order() -> None:
    with pytest.raises(ValueError, match="sorted"):
        fair_ranks([10, 20])


def days(pattern: str, start: date = date(2024, 6, 3), open_last: bool = False) -> list[DailyResult]:
    """'C' correct, 'W' wrong, '-' missed, one letter per daily question."""
    results = [
        DailyResult(start + timedelta(days=i), answered=c in "CW", correct=c == "C", open=False)
        for i, c in enumerate(pattern)
    ]
    if open_last:
        last = results[-1]
        results[-1] = DailyResult(last.local_date, last.answered, last.correct, open=True)
    return results


@pytest.mark.parametrize(
    ("pattern", "current", "best"),
    [
        ("", 0, 0),
        ("C", 1, 1),
        ("CCC", 3, 3),
        ("CC-CCC", 3, 3),
        ("CCCC-C", 1, 4),
        ("CCWC", 1, 2),
        ("CCC-", 0, 3),
        ("W", 0, 0),
    ],
)
def test_a_streak_is_consecutive_correct_daily_answers(pattern: str, current: int, best: int) -> None:
    result = streaks(days(pattern))
    assert (result.current, result.best) == (current, best)


def test_an_open_question_not_yet_answered_does_not_break_the_streak() -> None:
    assert streaks(days("CC-", open_last=True)).current == 2
    assert streaks(days("CCC", open_last=True)).current == 3
    assert streaks(days("CCW", open_last=True)).current == 0


def test_streaks_do_not_depend_on_the_order_given() -> None:
    assert streaks(list(reversed(days("CC-CCC")))) == streaks(days("CC-CCC"))


def test_periods_count_from_monday_and_the_first_of_the_month() -> None:
    wednesday = date(2024, 6, 5)
    assert period_start(Period.WEEK, wednesday) == date(2024, 6, 3)
    assert period_start(Period.WEEK, date(2024, 6, 3)) == date(2024, 6, 3)
    assert period_start(Period.MONTH, wednesday) == date(2024, 6, 1)
    assert period_start(Period.ALL, wednesday) is None
