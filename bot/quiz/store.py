"""The daily quiz in SQLite: schedules, claimed posts, locked answers, scores, practice and reviews.

Every change is one transaction on the single writer, so concurrent claims of the same server and day,
or concurrent clicks by one member, resolve to exactly one winner by the table's UNIQUE keys.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import aiosqlite

from bot.core.errors import InvalidInput, NotFound
from bot.db.database import Database
from bot.quiz.model.pool import DailyChoice
from bot.quiz.model.questions import OPTION_COUNT, Question
from bot.quiz.model.records import (
    AnswerResult,
    AnswerStatus,
    FastAnswer,
    ForgetReport,
    Leaderboard,
    LeaderboardEntry,
    MemberStats,
    PostState,
    PracticeRound,
    QuizPost,
    QuizSettings,
    RevealSummary,
    ReviewItem,
    ScheduledGuild,
    SkipOutcome,
)
from bot.quiz.model.schedule import QuizSchedule
from bot.quiz.model.scoring import DailyResult, Streaks, daily_points, fair_ranks, streaks

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
    "PostState",
    "PracticeRound",
    "QuizPost",
    "QuizSettings",
    "QuizStore",
    "RevealSummary",
    "ReviewItem",
    "ScheduledGuild",
    "SkipOutcome",
]

# A claim not marked posted or failed within this time is taken to have died with its process.
CLAIM_LEASE = timedelta(minutes=10)
# After this many failed attempts the day is given up (and logged by the caller), not retried forever.
MAX_POST_ATTEMPTS = 5


POSTED_CACHE_SIZE = 4_096


class QuizStore:
    """Intent-named reads and writes for the daily quiz. The only place the quiz meets SQL."""

    def __init__(self, db: Database):
        self.db = db
        # What an answer needs from its post (the question, when it was posted) never changes once
        # the post is out: a burst of answers to one post reads it once.
        self._posted: dict[int, tuple[Question, datetime]] = {}
        self._reading: dict[int, asyncio.Future[QuizPost | None]] = {}  # shared by answers arriving at once

    # --- settings --------------------------------------------------------------------------------

    async def configure(
        self, guild_id: int, channel_id: int, schedule: QuizSchedule, now: datetime
    ) -> QuizSettings:
        """Set (or replace) a server's channel and schedule and enable its daily quiz."""
        close = schedule.close_time.strftime("%H:%M") if schedule.close_time else None
        async with self.db.transaction() as tx:
            await tx.execute(
                """INSERT INTO quiz_settings (guild_id, channel_id, post_time, timezone, close_time, enabled,
                                              updated_at)
                   VALUES (?, ?, ?, ?, ?, 1, ?)
                   ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,
                       post_time = excluded.post_time, timezone = excluded.timezone,
                       close_time = excluded.close_time, enabled = 1, updated_at = excluded.updated_at""",
                (
                    guild_id,
                    channel_id,
                    schedule.post_time.strftime("%H:%M"),
                    schedule.timezone,
                    close,
                    _ts(now),
                ),
            )
        return QuizSettings(guild_id, channel_id, schedule, enabled=True)

    async def disable(self, guild_id: int, now: datetime) -> bool:
        """Stop daily posts (settings are kept); False if the quiz was not enabled."""
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE quiz_settings SET enabled = 0, updated_at = ? WHERE guild_id = ? AND enabled = 1",
                (_ts(now), guild_id),
            )
            return cursor.rowcount == 1

    async def settings(self, guild_id: int) -> QuizSettings | None:
        """The server's quiz settings, or None if the quiz was never set up."""
        row = await self.db.fetch_one("SELECT * FROM quiz_settings WHERE guild_id = ?", (guild_id,))
        return _settings(row) if row else None

    async def scheduled_guilds(self, guild_id: int | None = None) -> list[ScheduledGuild]:
        """Every enabled server (or just `guild_id`) with the last local date it has handled, for one
        scheduler tick."""
        sql = """
            SELECT s.*, (SELECT max(p.local_date) FROM quiz_posts p WHERE p.guild_id = s.guild_id
                         AND (p.state IN ('posted', 'revealed', 'skipped')
                              OR (p.state = 'failed' AND p.attempts >= ?))) AS last_handled
            FROM quiz_settings s WHERE s.enabled = 1 AND (? IS NULL OR s.guild_id = ?)
            ORDER BY s.guild_id"""
        rows = await self.db.fetch_all(sql, (MAX_POST_ATTEMPTS, guild_id, guild_id))
        return [
            ScheduledGuild(_settings(r), date.fromisoformat(r["last_handled"]) if r["last_handled"] else None)
            for r in rows
        ]

    # --- daily posts -----------------------------------------------------------------------------

    async def asked_keys(self, guild_id: int) -> frozenset[str]:
        """Question keys already used in the server's current round (not to be asked again)."""
        sql = """SELECT question_key FROM quiz_posts WHERE guild_id = ? AND question_key IS NOT NULL
                 AND state <> 'skipped'
                 AND round = (SELECT max(round) FROM quiz_posts WHERE guild_id = ?)"""
        return frozenset(row[0] for row in await self.db.fetch_all(sql, (guild_id, guild_id)))

    async def claim_post(
        self, guild_id: int, local_date: date, choice: DailyChoice, channel_id: int, now: datetime
    ) -> QuizPost | None:
        """Claim the right to post for this server and day; None if it is taken (posted, skipped,
        being posted by someone else, or given up after MAX_POST_ATTEMPTS).

        A failed attempt, or a claim older than CLAIM_LEASE (its process died), is claimed again and
        keeps the question first chosen; the caller should check the channel for a message carrying
        the post id before re-sending after a stale claim.
        """
        async with self.db.transaction() as tx:
            row = await _post_row(tx, "guild_id = ? AND local_date = ?", (guild_id, local_date.isoformat()))
            if row is None:
                async with tx.execute(
                    "SELECT max(round) FROM quiz_posts WHERE guild_id = ?", (guild_id,)
                ) as cursor:
                    found = await cursor.fetchone()
                current = int(found[0]) if found and found[0] is not None else 1
                cursor = await tx.execute(
                    """INSERT INTO quiz_posts (guild_id, local_date, state, round, question_key, question,
                                               correct_index, channel_id, attempts, claimed_at)
                       VALUES (?, ?, 'claimed', ?, ?, ?, ?, ?, 1, ?)""",
                    (
                        guild_id,
                        local_date.isoformat(),
                        current + 1 if choice.new_round and found and found[0] is not None else current,
                        choice.question.key,
                        choice.question.to_json(),
                        choice.question.correct_index,
                        channel_id,
                        _ts(now),
                    ),
                )
                return await _post_by_id(tx, int(cursor.lastrowid or 0))
            state, attempts = PostState(row["state"]), int(row["attempts"])
            retry = state is PostState.FAILED and attempts < MAX_POST_ATTEMPTS
            stale = state is PostState.CLAIMED and _parse(row["claimed_at"]) <= now - CLAIM_LEASE
            if not (retry or stale):
                return None
            await tx.execute(
                """UPDATE quiz_posts SET state = 'claimed', attempts = attempts + 1, claimed_at = ?,
                       channel_id = ? WHERE id = ?""",
                (_ts(now), channel_id, row["id"]),
            )
            return await _post_by_id(tx, int(row["id"]))

    async def mark_posted(
        self, post_id: int, message_id: int, posted_at: datetime, closes_at: datetime
    ) -> bool:
        """Record the sent message; answers open. False if the claim was lost (skipped meanwhile)."""
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                """UPDATE quiz_posts SET state = 'posted', message_id = ?, posted_at = ?, closes_at = ?,
                       last_error = '' WHERE id = ? AND state = 'claimed'""",
                (message_id, _ts(posted_at), _ts(closes_at), post_id),
            )
            return cursor.rowcount == 1

    async def mark_failed(self, post_id: int, error: str, now: datetime) -> QuizPost:
        """Record a failed send; the day is retried by `claim_post` until MAX_POST_ATTEMPTS."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE quiz_posts SET state = 'failed', last_error = ? WHERE id = ? AND state = 'claimed'",
                (f"{_ts(now)} {error}"[:500], post_id),
            )
            post = await _post_by_id(tx, post_id)
        if post is None:
            raise NotFound(f"there is no quiz post {post_id}")
        return post

    async def skip_day(self, guild_id: int, local_date: date, now: datetime) -> SkipOutcome:
        """Make sure nothing is posted for this server and day (a moderator's /quizadmin skip)."""
        async with self.db.transaction() as tx:
            row = await _post_row(tx, "guild_id = ? AND local_date = ?", (guild_id, local_date.isoformat()))
            if row is None:
                await tx.execute(
                    """INSERT INTO quiz_posts (guild_id, local_date, state, claimed_at)
                       VALUES (?, ?, 'skipped', ?)""",
                    (guild_id, local_date.isoformat(), _ts(now)),
                )
                return SkipOutcome.SKIPPED
            state = PostState(row["state"])
            if state in (PostState.POSTED, PostState.REVEALED):
                return SkipOutcome.ALREADY_POSTED
            if state is PostState.SKIPPED:
                return SkipOutcome.ALREADY_SKIPPED
            if state is PostState.CLAIMED and _parse(row["claimed_at"]) > now - CLAIM_LEASE:
                return SkipOutcome.IN_PROGRESS
            await tx.execute("UPDATE quiz_posts SET state = 'skipped' WHERE id = ?", (row["id"],))
            return SkipOutcome.SKIPPED

    async def post(self, post_id: int) -> QuizPost | None:
        """A daily post by id (from a button), or None."""
        return await _post_by_id(self.db.reader, post_id)

    async def post_for_day(self, guild_id: int, local_date: date) -> QuizPost | None:
        """The server's post for a local date, in whatever state, or None."""
        row = await _post_row(
            self.db.reader, "guild_id = ? AND local_date = ?", (guild_id, local_date.isoformat())
        )
        return _post(row) if row else None

    async def posts_due_for_reveal(self, now: datetime, limit: int = 100) -> list[QuizPost]:
        """Posted questions whose answers have closed, oldest first."""
        sql = """SELECT * FROM quiz_posts WHERE state = 'posted' AND closes_at <= ?
                 ORDER BY closes_at, id LIMIT ?"""
        return [_post(row) for row in await self.db.fetch_all(sql, (_ts(now), limit))]

    async def reveal_summary(self, post_id: int, fastest: int = 3) -> RevealSummary | None:
        """Answer counts per option and the `fastest` correct answers, for the reveal."""
        post = await self.post(post_id)
        if post is None:
            return None
        counts = [0] * OPTION_COUNT
        sql = "SELECT choice, count(*) FROM quiz_answers WHERE post_id = ? GROUP BY choice"
        for choice, count in await self.db.fetch_all(sql, (post_id,)):
            counts[int(choice)] = int(count)
        sql = """SELECT user_id, elapsed_ms FROM quiz_answers WHERE post_id = ? AND correct = 1
                 ORDER BY elapsed_ms, user_id LIMIT ?"""
        quickest = tuple(
            FastAnswer(int(r[0]), int(r[1])) for r in await self.db.fetch_all(sql, (post_id, fastest))
        )
        return RevealSummary(post, tuple(counts), quickest)

    async def mark_revealed(self, post_id: int, now: datetime) -> bool:
        """Close a post for good after its message was edited; False if it was already revealed."""
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE quiz_posts SET state = 'revealed', revealed_at = ? WHERE id = ? AND state = 'posted'",
                (_ts(now), post_id),
            )
            return cursor.rowcount == 1

    # --- answers ---------------------------------------------------------------------------------

    async def record_answer(self, post_id: int, user_id: int, choice: int, now: datetime) -> AnswerResult:
        """Lock in a member's answer to an open daily question. The first answer wins; a later one
        returns ALREADY_ANSWERED with the first choice.

        The write is one statement, its own transaction: the insert itself checks that the post is
        still open, and the primary key keeps the first answer. What else it needs is read once per
        post (a posted question never changes), so a burst of answers holds the write lock as briefly
        as it can."""
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
                posted = self._posted[post_id] = (post.question, post.posted_at)
        if posted is not None:
            question, posted_at = posted
            elapsed_ms = max(0, int((now - posted_at) / timedelta(milliseconds=1)))
            correct = choice == question.correct_index
            points = daily_points(correct, elapsed_ms)
            recorded = await self.db.write_one(
                """INSERT INTO quiz_answers
                       (post_id, user_id, choice, correct, points, answered_at, elapsed_ms)
                   SELECT id, ?, ?, ?, ?, ?, ? FROM quiz_posts
                   WHERE id = ? AND state = 'posted' AND closes_at > ?
                   ON CONFLICT (post_id, user_id) DO NOTHING""",
                (user_id, choice, int(correct), points, _ts(now), elapsed_ms, post_id, _ts(now)),
            )
            if recorded:
                return AnswerResult(AnswerStatus.RECORDED, choice, correct, points, question)
        previous = await _answer(self.db.reader, post_id, user_id)
        return previous if previous is not None else AnswerResult(AnswerStatus.CLOSED)

    async def _read_once(self, post_id: int) -> QuizPost | None:
        """The post, read once for all the answers that ask for it at the same moment."""
        reading = self._reading.get(post_id)
        if reading is None:
            reading = self._reading[post_id] = asyncio.ensure_future(self.post(post_id))
            reading.add_done_callback(lambda _: self._reading.pop(post_id, None))
        return await asyncio.shield(reading)

    # --- scores ----------------------------------------------------------------------------------

    async def leaderboard(self, guild_id: int, since: date | None = None) -> Leaderboard:
        """Points per member for daily questions of local dates from `since` on (None: all time)."""
        sql = """
            SELECT a.user_id, sum(a.points) AS points, count(*) AS answered, sum(a.correct) AS correct
            FROM quiz_answers a JOIN quiz_posts p ON p.id = a.post_id
            WHERE p.guild_id = ? AND p.local_date >= ?
            GROUP BY a.user_id ORDER BY points DESC, correct DESC, a.user_id"""
        rows = await self.db.fetch_all(sql, (guild_id, since.isoformat() if since else ""))
        ranks = fair_ranks([int(r["points"]) for r in rows])
        return Leaderboard(
            tuple(
                LeaderboardEntry(
                    rank, int(r["user_id"]), int(r["points"]), int(r["answered"]), int(r["correct"])
                )
                for rank, r in zip(ranks, rows, strict=True)
            )
        )

    async def member_stats(self, guild_id: int, user_id: int, now: datetime) -> MemberStats:
        """Answered, correct, points and streaks for daily questions, plus practice counts."""
        sql = """
            SELECT p.local_date, p.state, p.closes_at, a.correct, a.points
            FROM quiz_posts p LEFT JOIN quiz_answers a ON a.post_id = p.id AND a.user_id = ?
            WHERE p.guild_id = ? AND p.state IN ('posted', 'revealed')"""
        rows = await self.db.fetch_all(sql, (user_id, guild_id))
        days = [
            DailyResult(
                local_date=date.fromisoformat(r["local_date"]),
                answered=r["correct"] is not None,
                correct=bool(r["correct"]),
                open=r["state"] == "posted" and _parse(r["closes_at"]) > now,
            )
            for r in rows
        ]
        streak: Streaks = streaks(days)
        sql = """SELECT count(choice), coalesce(sum(correct), 0) FROM quiz_practice
                 WHERE guild_id = ? AND user_id = ?"""
        practice = await self.db.fetch_one(sql, (guild_id, user_id))
        return MemberStats(
            answered=sum(d.answered for d in days),
            correct=sum(d.correct for d in days),
            points=sum(int(r["points"] or 0) for r in rows),
            current_streak=streak.current,
            best_streak=streak.best,
            practice_answered=int(practice[0]) if practice else 0,
            practice_correct=int(practice[1]) if practice else 0,
        )

    async def forget_member(self, guild_id: int, user_id: int) -> ForgetReport:
        """Delete a member's daily answers and practice rounds in one server (/quiz forget-me)."""
        async with self.db.transaction() as tx:
            answers = await tx.execute(
                """DELETE FROM quiz_answers WHERE user_id = ?
                   AND post_id IN (SELECT id FROM quiz_posts WHERE guild_id = ?)""",
                (user_id, guild_id),
            )
            practice = await tx.execute(
                "DELETE FROM quiz_practice WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
            return ForgetReport(answers.rowcount, practice.rowcount)

    # --- practice --------------------------------------------------------------------------------

    async def start_practice(
        self, guild_id: int, user_id: int, question: Question, now: datetime
    ) -> PracticeRound:
        """Remember a practice question shown to a member, so its buttons work after a restart."""
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                """INSERT INTO quiz_practice
                       (guild_id, user_id, question_key, question, correct_index, shown_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (guild_id, user_id, question.key, question.to_json(), question.correct_index, _ts(now)),
            )
            return PracticeRound(int(cursor.lastrowid or 0), question)

    async def answer_practice(
        self, practice_id: int, user_id: int, choice: int, now: datetime
    ) -> AnswerResult:
        """Lock in the answer to a practice question; only the member it was shown to can answer."""
        if not 0 <= choice < OPTION_COUNT:
            raise InvalidInput(f"choice must be 0-{OPTION_COUNT - 1}")
        async with self.db.transaction() as tx:
            async with tx.execute(
                "SELECT correct_index, choice, correct FROM quiz_practice WHERE id = ? AND user_id = ?",
                (practice_id, user_id),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return AnswerResult(AnswerStatus.UNKNOWN)
            if row["choice"] is not None:
                return AnswerResult(AnswerStatus.ALREADY_ANSWERED, int(row["choice"]), bool(row["correct"]))
            correct = choice == int(row["correct_index"])
            await tx.execute(
                "UPDATE quiz_practice SET choice = ?, correct = ?, answered_at = ? WHERE id = ?",
                (choice, int(correct), _ts(now), practice_id),
            )
        return AnswerResult(AnswerStatus.RECORDED, choice, correct)

    async def practice_round(self, practice_id: int) -> PracticeRound | None:
        """A practice round by id (from a button), or None."""
        row = await self.db.fetch_one("SELECT id, question FROM quiz_practice WHERE id = ?", (practice_id,))
        return PracticeRound(int(row[0]), Question.from_json(row[1])) if row else None

    async def recent_practice_keys(self, guild_id: int, user_id: int, limit: int = 100) -> frozenset[str]:
        """Keys of the last `limit` practice questions shown to the member, to avoid repeats."""
        sql = """SELECT question_key FROM quiz_practice WHERE guild_id = ? AND user_id = ?
                 ORDER BY shown_at DESC, id DESC LIMIT ?"""
        return frozenset(row[0] for row in await self.db.fetch_all(sql, (guild_id, user_id, limit)))

    # --- reviews of hand-written questions -------------------------------------------------------

    async def review_queue(self, links: Mapping[str, str]) -> list[ReviewItem]:
        """Hand-written questions (id -> fact id) whose fact a moderator edited after the revision the
        question was last reviewed against; these are held back from the quiz."""
        ids = json.dumps(sorted(set(links.values())))
        sql = "SELECT id, revision, edited FROM facts WHERE id IN (SELECT value FROM json_each(?))"
        facts = {r[0]: (int(r[1]), bool(r[2])) for r in await self.db.fetch_all(sql, (ids,))}
        sql = """SELECT question_id, fact_id, reviewed_revision FROM quiz_question_reviews
                 WHERE question_id IN (SELECT value FROM json_each(?))"""
        reviews = {
            r[0]: (r[1], int(r[2])) for r in await self.db.fetch_all(sql, (json.dumps(sorted(links)),))
        }
        queue = []
        for question_id, fact_id in sorted(links.items()):
            revision, edited = facts.get(fact_id, (0, False))
            review = reviews.get(question_id)
            # A review of the question while it was linked to another fact does not count.
            reviewed = review[1] if review and review[0] == fact_id else None
            if edited and revision > (reviewed or 0):
                queue.append(ReviewItem(question_id, fact_id, revision, reviewed))
        return queue

    async def held_back_questions(self, links: Mapping[str, str]) -> frozenset[str]:
        """The ids in `links` that must not be asked until reviewed (see `review_queue`)."""
        return frozenset(item.question_id for item in await self.review_queue(links))

    async def mark_reviewed(
        self, question_id: str, fact_id: str, revision: int, reviewer_id: int | None, now: datetime
    ) -> None:
        """Record that a moderator checked the question against revision `revision` of its fact."""
        async with self.db.transaction() as tx:
            async with tx.execute("SELECT revision FROM facts WHERE id = ?", (fact_id,)) as cursor:
                row = await cursor.fetchone()
            if row is None:
                raise NotFound(f"there is no fact {fact_id!r}")
            if not 1 <= revision <= int(row[0]):
                raise InvalidInput(f"fact {fact_id!r} has no revision {revision} (latest: {row[0]})")
            await tx.execute(
                """INSERT INTO quiz_question_reviews (question_id, fact_id, reviewed_revision, reviewer_id,
                                                      reviewed_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (question_id) DO UPDATE SET fact_id = excluded.fact_id,
                       reviewed_revision = excluded.reviewed_revision, reviewer_id = excluded.reviewer_id,
                       reviewed_at = excluded.reviewed_at""",
                (question_id, fact_id, revision, reviewer_id, _ts(now)),
            )


# --- rows ----------------------------------------------------------------------------------------


def _ts(moment: datetime) -> str:
    """One fixed-width UTC form, so stored times compare correctly as text."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _settings(row: aiosqlite.Row) -> QuizSettings:
    close = row["close_time"]
    schedule = QuizSchedule(
        time.fromisoformat(row["post_time"]), row["timezone"], time.fromisoformat(close) if close else None
    )
    return QuizSettings(int(row["guild_id"]), int(row["channel_id"]), schedule, bool(row["enabled"]))


def _post(row: aiosqlite.Row) -> QuizPost:
    def moment(name: str) -> datetime | None:
        return _parse(row[name]) if row[name] else None

    return QuizPost(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        local_date=date.fromisoformat(row["local_date"]),
        state=PostState(row["state"]),
        round=int(row["round"]),
        question=Question.from_json(row["question"]) if row["question"] else None,
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        attempts=int(row["attempts"]),
        last_error=row["last_error"],
        claimed_at=_parse(row["claimed_at"]),
        posted_at=moment("posted_at"),
        closes_at=moment("closes_at"),
        revealed_at=moment("revealed_at"),
    )


async def _post_row(
    connection: aiosqlite.Connection, where: str, params: tuple[Any, ...]
) -> aiosqlite.Row | None:
    async with connection.execute(f"SELECT * FROM quiz_posts WHERE {where}", params) as cursor:
        return await cursor.fetchone()


async def _post_by_id(connection: aiosqlite.Connection, post_id: int) -> QuizPost | None:
    row = await _post_row(connection, "id = ?", (post_id,))
    return _post(row) if row else None


async def _answer(tx: aiosqlite.Connection, post_id: int, user_id: int) -> AnswerResult | None:
    sql = "SELECT choice, correct, points FROM quiz_answers WHERE post_id = ? AND user_id = ?"
    async with tx.execute(sql, (post_id, user_id)) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    return AnswerResult(AnswerStatus.ALREADY_ANSWERED, int(row[0]), bool(row[1]), int(row[2]))
