"""Members' answers to daily questions: one locked answer each, with the streak and rank it earns."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.errors import InvalidInput
from bot.db.database import Database
from bot.quiz.model.questions import OPTION_COUNT, Question
from bot.quiz.model.records import AnswerResult, AnswerStatus, QuizPost
from bot.quiz.model.scoring import daily_points
from bot.quiz.store.rows import fetch_answer, fetch_post, to_ts

POSTED_CACHE_SIZE = 4_096

# One statement: the insert checks that the post is still open, the primary key keeps the first
# answer, and RETURNING gives a row only when the answer was recorded.
RECORD_ANSWER = """
    INSERT INTO quiz_answers (post_id, user_id, choice, correct, points, answered_at, elapsed_ms)
    SELECT id, :user, :choice, :correct, :points, :now, :elapsed FROM quiz_posts
    WHERE id = :post AND state = 'posted' AND closes_at > :now
    ON CONFLICT (post_id, user_id) DO NOTHING
    RETURNING {standing}"""


def streak_of(user: str) -> str:
    """SQL for the current streak of member `user` (a parameter or a column) in server :guild at :now:
    the rule of `scoring.streaks`, as the member's correct answers after the latest post that breaks
    the run (answered wrongly, or closed unanswered; an open unanswered post breaks nothing). It walks
    the server's posts back from the newest, so it costs as much as the streak is long, not the history."""
    return f"""(SELECT count(*) FROM quiz_posts run
        JOIN quiz_answers mine ON mine.post_id = run.id AND mine.user_id = {user} AND mine.correct = 1
        WHERE run.guild_id = :guild AND run.state IN ('posted', 'revealed')
          AND run.local_date > coalesce(
              (SELECT breaker.local_date FROM quiz_posts breaker
               LEFT JOIN quiz_answers theirs ON theirs.post_id = breaker.id AND theirs.user_id = {user}
               WHERE breaker.guild_id = :guild AND breaker.state IN ('posted', 'revealed')
                 AND coalesce(theirs.correct, 0) = 0
                 AND NOT (theirs.user_id IS NULL AND breaker.state = 'posted' AND breaker.closes_at > :now)
               ORDER BY breaker.local_date DESC LIMIT 1),
              ''))"""


# What a correct answer's reply shows, computed in the same statement (no second trip to the store):
# its rank, 1 + the correct answers to the post that came faster (ties by member id, as in the
# reveal), and the member's streak.
STANDING = f"""
    (SELECT 1 + count(*) FROM quiz_answers faster
     WHERE faster.post_id = :post AND faster.correct = 1
       AND (faster.elapsed_ms, faster.user_id) < (:elapsed, :user)) AS rank,
    {streak_of(":user")} AS streak"""
RECORD_CORRECT = RECORD_ANSWER.format(standing=STANDING)
RECORD_WRONG = RECORD_ANSWER.format(standing="NULL AS rank, NULL AS streak")


@dataclass(frozen=True)
class PostedQuestion:
    """What an answer needs from its post; it never changes once the post is out."""

    guild_id: int
    question: Question
    posted_at: datetime


class AnswerQueries:
    """Locking in daily answers."""

    db: Database
    _posted: dict[int, PostedQuestion]  # a burst of answers to one post reads it once
    _reading: dict[int, asyncio.Future[QuizPost | None]]  # shared by answers arriving at once

    async def post(self, post_id: int) -> QuizPost | None:
        """A daily post by id (from a button), or None."""
        return await fetch_post(self.db.reader, post_id)

    async def record_answer(self, post_id: int, user_id: int, choice: int, now: datetime) -> AnswerResult:
        """Lock in a member's answer to an open daily question. The first answer wins; a later one
        returns ALREADY_ANSWERED with the first choice. A correct new answer comes back with the
        member's streak (this answer included) and its rank among the post's correct answers.

        The write is one statement, its own transaction, which also computes the streak and rank. What
        else it needs is read once per post, so a burst of answers makes one trip to the store each
        and holds the write lock as briefly as it can."""
        if not 0 <= choice < OPTION_COUNT:
            raise InvalidInput(f"choice must be 0-{OPTION_COUNT - 1}")
        posted = self._posted.get(post_id)
        if posted is None:
            post = await self._read_once(post_id)
            if post is None or post.question is None:
                return AnswerResult(AnswerStatus.UNKNOWN)
            if post.posted_at is not None:
                if len(self._posted) >= POSTED_CACHE_SIZE:
                    self._posted.clear()  # rare: one entry per server and day
                posted = self._posted[post_id] = PostedQuestion(post.guild_id, post.question, post.posted_at)
        if posted is not None:
            question = posted.question
            elapsed_ms = max(0, int((now - posted.posted_at) / timedelta(milliseconds=1)))
            correct = choice == question.correct_index
            points = daily_points(correct, elapsed_ms)
            rows = await self.db.write_returning(
                RECORD_CORRECT if correct else RECORD_WRONG,
                {
                    "post": post_id,
                    "guild": posted.guild_id,
                    "user": user_id,
                    "choice": choice,
                    "correct": int(correct),
                    "points": points,
                    "now": to_ts(now),
                    "elapsed": elapsed_ms,
                },
            )
            if rows:
                rank, streak = rows[0]["rank"], rows[0]["streak"]
                return AnswerResult(
                    AnswerStatus.RECORDED,
                    choice,
                    correct,
                    points,
                    question,
                    streak=None if streak is None else int(streak),
                    rank=None if rank is None else int(rank),
                )
        previous = await fetch_answer(self.db.reader, post_id, user_id)
        return previous if previous is not None else AnswerResult(AnswerStatus.CLOSED)

    async def _read_once(self, post_id: int) -> QuizPost | None:
        """The post, read once for all the answers that ask for it at the same moment."""
        reading = self._reading.get(post_id)
        if reading is None:
            reading = self._reading[post_id] = asyncio.ensure_future(self.post(post_id))
            reading.add_done_callback(lambda _: self._reading.pop(post_id, None))
        return await asyncio.shield(reading)
