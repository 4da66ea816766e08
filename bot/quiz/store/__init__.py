"""The daily quiz in SQLite: schedules, claimed posts, locked answers, scores, weekly recaps, practice
and reviews.

Every change is one transaction on the single writer, so concurrent claims of the same server and day,
or concurrent clicks by one member, resolve to exactly one winner by the table's UNIQUE keys.
"""

from bot.quiz.model.records import (
    AnswerResult,
    AnswerStatus,
    FastAnswer,
    ForgetReport,
    Leaderboard,
    LeaderboardEntry,
    MemberStats,
    OnThisDay,
    PostState,
    PracticeRound,
    QuizPost,
    QuizSettings,
    RecapState,
    RecapSummary,
    RevealSummary,
    ReviewItem,
    ScheduledGuild,
    SkipOutcome,
    WeeklyRecap,
)
from bot.quiz.store.posts import CLAIM_LEASE, MAX_POST_ATTEMPTS, QuizStore

__all__ = [
    "CLAIM_LEASE",
    "MAX_POST_ATTEMPTS",
    "AnswerResult",
    "AnswerStatus",
    "FastAnswer",
    "ForgetReport",
    "Leaderboard",
    "LeaderboardEntry",
    "MemberStats",
    "OnThisDay",
    "PostState",
    "PracticeRound",
    "QuizPost",
    "QuizSettings",
    "QuizStore",
    "RecapState",
    "RecapSummary",
    "RevealSummary",
    "ReviewItem",
    "ScheduledGuild",
    "SkipOutcome",
    "WeeklyRecap",
]
