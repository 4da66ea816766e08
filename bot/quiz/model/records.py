"""What the quiz store returns: a server's settings, its daily posts, answers, scores and reviews.

Plain frozen dataclasses with no SQL, so the quiz cog and the scheduler can use them without
touching the store's internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.quiz.model.questions import Question
from bot.quiz.model.recap import recap_due, recap_window
from bot.quiz.model.schedule import QuizSchedule


class PostState(StrEnum):
    """Where a daily post is: claimed -> posted -> revealed, or failed (retried) or skipped."""

    CLAIMED = "claimed"
    POSTED = "posted"
    REVEALED = "revealed"
    FAILED = "failed"
    SKIPPED = "skipped"


class AnswerStatus(StrEnum):
    """What happened to a click on an answer button."""

    RECORDED = "recorded"
    ALREADY_ANSWERED = "already_answered"  # the first answer stands; `choice` is that answer
    CLOSED = "closed"  # not open (yet or any more)
    UNKNOWN = "unknown"  # no such post or practice round for this member


class SkipOutcome(StrEnum):
    """What `/quizadmin skip` did for the day."""

    SKIPPED = "skipped"
    ALREADY_POSTED = "already_posted"
    ALREADY_SKIPPED = "already_skipped"
    IN_PROGRESS = "in_progress"  # another worker is posting it right now


@dataclass(frozen=True)
class QuizSettings:
    """A server's quiz channel and schedule."""

    guild_id: int
    channel_id: int
    schedule: QuizSchedule
    enabled: bool
    role_id: int | None = None  # the opt-in role each post pings (and nothing else)
    open_thread: bool = False  # a discussion thread under each question, opened at its reveal
    recap_day: int | None = None  # the weekday of the weekly recap (0 = Monday); None: no recap
    on_this_day: bool = False  # the post names an event of its date in a past year


@dataclass(frozen=True)
class ScheduledGuild:
    """An enabled server and the last local date it has handled (posted, skipped or given up)."""

    settings: QuizSettings
    last_handled: date | None
    last_recap_week: date | None = None  # the week of the last recap handled (posted, empty, given up)

    def due(self, now: datetime) -> date | None:
        """The local date to post for at `now`, or None (see `QuizSchedule.due`)."""
        return self.settings.schedule.due(now, self.last_handled)

    def recap_due(self, now: datetime) -> date | None:
        """The local date to post the weekly recap for at `now`, or None (see `recap.recap_due`)."""
        return recap_due(self.settings.schedule, self.settings.recap_day, now, self.last_recap_week)


@dataclass(frozen=True)
class OnThisDay:
    """An event of a post's date in a past year, as the post names it."""

    fact_id: str
    year: int
    title: str


@dataclass(frozen=True)
class QuizPost:
    """A server's daily question for one local date, with the question as asked."""

    id: int
    guild_id: int
    local_date: date
    state: PostState
    round: int
    question: Question | None
    channel_id: int | None
    message_id: int | None
    attempts: int
    last_error: str
    claimed_at: datetime
    posted_at: datetime | None
    closes_at: datetime | None
    revealed_at: datetime | None
    shown_answers: int = 0  # the answer count last written on the post
    shown_at: datetime | None = None
    thread_id: int | None = None
    on_this_day: OnThisDay | None = None  # the event of its date named on the post

    def is_open(self, now: datetime) -> bool:
        """True while answers are accepted: posted and not yet closed."""
        return self.state is PostState.POSTED and self.closes_at is not None and now < self.closes_at


@dataclass(frozen=True)
class AnswerResult:
    """What happened to a click. `choice` and `correct` are the member's (first) answer, if any;
    `question` is the question a new answer was recorded for. A new correct daily answer also has the
    member's current streak (this answer included) and `rank` among the post's correct answers so far,
    fastest first."""

    status: AnswerStatus
    choice: int | None = None
    correct: bool | None = None
    points: int = 0
    question: Question | None = None
    streak: int | None = None
    rank: int | None = None


@dataclass(frozen=True)
class FastAnswer:
    """A correct answer and how long after the post it came."""

    user_id: int
    elapsed_ms: int


@dataclass(frozen=True)
class RevealSummary:
    """What the reveal shows: how many chose each option and the fastest correct answers."""

    post: QuizPost
    counts: tuple[int, ...]
    fastest: tuple[FastAnswer, ...]

    @property
    def total(self) -> int:
        """How many members answered."""
        return sum(self.counts)

    def shares(self) -> tuple[float, ...]:
        """The fraction of answers for each option (all zero when nobody answered)."""
        return tuple(c / self.total if self.total else 0.0 for c in self.counts)


@dataclass(frozen=True)
class LeaderboardEntry:
    """One member on a leaderboard; equal points share a rank."""

    rank: int
    user_id: int
    points: int
    answered: int
    correct: int


@dataclass(frozen=True)
class Leaderboard:
    """Every member with an answer in the period, best first, with fair ranks (1, 2, 2, 4)."""

    entries: tuple[LeaderboardEntry, ...]

    def entry_for(self, user_id: int) -> LeaderboardEntry | None:
        """The member's line, or None if they have no answer in the period."""
        return next((e for e in self.entries if e.user_id == user_id), None)

    def page(self, offset: int, limit: int) -> tuple[LeaderboardEntry, ...]:
        """The entries from `offset`, at most `limit` of them."""
        return self.entries[offset : offset + limit]


@dataclass(frozen=True)
class MemberStats:
    """A member's daily-quiz record in one server; practice is counted apart."""

    answered: int
    correct: int
    points: int
    current_streak: int
    best_streak: int
    practice_answered: int
    practice_correct: int

    @property
    def accuracy(self) -> float | None:
        """The share of answered daily questions answered correctly; None before the first answer."""
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class ForgetReport:
    """How many daily answers and practice rounds `/quiz forget-me` deleted."""

    answers: int
    practice: int


@dataclass(frozen=True)
class PracticeRound:
    """A practice question shown to one member; its id goes in the buttons."""

    id: int
    question: Question


@dataclass(frozen=True)
class ReviewItem:
    """A hand-written question held back because its fact changed after the last review."""

    question_id: str
    fact_id: str
    fact_revision: int
    reviewed_revision: int | None


class RecapState(StrEnum):
    """Where a weekly recap is: claimed -> posted, or failed (retried), or empty (nothing to recap)."""

    CLAIMED = "claimed"
    POSTED = "posted"
    FAILED = "failed"
    EMPTY = "empty"


@dataclass(frozen=True)
class WeeklyRecap:
    """A server's recap for one week: the day it is (to be) posted, and where its claim stands."""

    id: int
    guild_id: int
    week: date  # the Monday of the week it is posted in: one recap per server and week
    local_date: date  # the day it is posted; it covers the seven dates before
    state: RecapState
    channel_id: int | None
    message_id: int | None
    attempts: int
    last_error: str

    @property
    def first_day(self) -> date:
        return recap_window(self.local_date)[0]

    @property
    def last_day(self) -> date:
        return recap_window(self.local_date)[1]


@dataclass(frozen=True)
class StreakEntry:
    """A member's current run of correct daily answers."""

    user_id: int
    days: int


@dataclass(frozen=True)
class HardestQuestion:
    """The week's question with the smallest share of correct answers."""

    question: Question
    local_date: date
    answered: int
    correct: int

    @property
    def share(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class RecapSummary:
    """What a weekly recap shows: the week's top three (ties included), the longest current streaks
    and the hardest question, over `first_day` to `last_day`."""

    first_day: date
    last_day: date
    questions: int
    answers: int
    top: tuple[LeaderboardEntry, ...]
    streaks: tuple[StreakEntry, ...]
    hardest: HardestQuestion | None
