"""Quiz settings and schedules, and the daily posts: claimed, sent, counted and revealed.

Every change is one transaction on the single writer, so concurrent claims of the same server and day,
or concurrent clicks by one member, resolve to exactly one winner by the table's UNIQUE keys.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.core.errors import NotFound
from bot.core.shards import EVERY_SHARD, ShardPlan
from bot.db.database import Database
from bot.db.ownership import owned_by
from bot.quiz.model.pool import DailyChoice
from bot.quiz.model.questions import OPTION_COUNT, Question
from bot.quiz.model.records import (
    FastAnswer,
    OnThisDay,
    PostState,
    QuizPost,
    QuizSettings,
    RevealSummary,
    ScheduledGuild,
    SkipOutcome,
)
from bot.quiz.model.schedule import QuizSchedule
from bot.quiz.store import claims
from bot.quiz.store.answers import AnswerQueries
from bot.quiz.store.claims import CLAIM_LEASE, MAX_POST_ATTEMPTS
from bot.quiz.store.corrections import CorrectionQueries
from bot.quiz.store.members import MemberQueries
from bot.quiz.store.recaps import RecapQueries
from bot.quiz.store.reviews import ReviewQueries
from bot.quiz.store.rows import (
    POST_COLUMNS,
    SETTINGS_COLUMNS,
    fetch_post,
    fetch_post_row,
    from_ts,
    post_from_row,
    settings_from_row,
    to_ts,
)


class QuizStore(AnswerQueries, RecapQueries, MemberQueries, ReviewQueries, CorrectionQueries):
    """Intent-named reads and writes for the daily quiz. The only place the quiz meets SQL."""

    def __init__(self, db: Database):
        self.db = db
        self._posted = {}
        self._reading = {}

    # --- settings --------------------------------------------------------------------------------

    async def configure(
        self,
        guild_id: int,
        channel_id: int,
        schedule: QuizSchedule,
        now: datetime,
        *,
        role_id: int | None = None,
        open_thread: bool = False,
        recap_day: int | None = None,
        on_this_day: bool = False,
    ) -> QuizSettings:
        """Set (or replace) a server's channel, schedule, role to ping, thread choice, recap day and
        on-this-day line, and enable its daily quiz."""
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
                    to_ts(now),
                ),
            )
            await tx.execute(
                """INSERT INTO quiz_server_options (guild_id, role_id, open_thread) VALUES (?, ?, ?)
                   ON CONFLICT (guild_id) DO UPDATE SET role_id = excluded.role_id,
                       open_thread = excluded.open_thread""",
                (guild_id, role_id, int(open_thread)),
            )
            await tx.execute(
                """INSERT INTO quiz_server_extras (guild_id, recap_day, on_this_day) VALUES (?, ?, ?)
                   ON CONFLICT (guild_id) DO UPDATE SET recap_day = excluded.recap_day,
                       on_this_day = excluded.on_this_day""",
                (guild_id, recap_day, int(on_this_day)),
            )
        return QuizSettings(
            guild_id, channel_id, schedule, True, role_id, open_thread, recap_day, on_this_day
        )

    async def disable(self, guild_id: int, now: datetime) -> bool:
        """Stop daily posts (settings are kept); False if the quiz was not enabled."""
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE quiz_settings SET enabled = 0, updated_at = ? WHERE guild_id = ? AND enabled = 1",
                (to_ts(now), guild_id),
            )
            return cursor.rowcount == 1

    async def settings(self, guild_id: int) -> QuizSettings | None:
        """The server's quiz settings, or None if the quiz was never set up."""
        row = await self.db.fetch_one(f"SELECT {SETTINGS_COLUMNS} WHERE s.guild_id = ?", (guild_id,))
        return settings_from_row(row) if row else None

    async def scheduled_guilds(
        self, guild_id: int | None = None, *, shards: ShardPlan = EVERY_SHARD
    ) -> list[ScheduledGuild]:
        """Every enabled server (or just `guild_id`) of `shards` with the last local date it has
        handled, for one scheduler tick."""
        owned, owned_params = owned_by("s.guild_id", shards)
        sql = f"""
            SELECT s.*, (SELECT max(p.local_date) FROM quiz_posts p WHERE p.guild_id = s.guild_id
                         AND (p.state IN ('posted', 'revealed', 'skipped')
                              OR (p.state = 'failed' AND p.attempts >= ?))) AS last_handled,
                   (SELECT max(r.week) FROM quiz_recaps r WHERE r.guild_id = s.guild_id
                         AND (r.state IN ('posted', 'empty')
                              OR (r.state = 'failed' AND r.attempts >= ?))) AS last_recap_week,
                   o.role_id, o.open_thread, x.recap_day, x.on_this_day
            FROM quiz_settings s LEFT JOIN quiz_server_options o ON o.guild_id = s.guild_id
                 LEFT JOIN quiz_server_extras x ON x.guild_id = s.guild_id
            WHERE s.enabled = 1 AND (? IS NULL OR s.guild_id = ?) AND {owned}
            ORDER BY s.guild_id"""
        attempts = MAX_POST_ATTEMPTS
        rows = await self.db.fetch_all(sql, (attempts, attempts, guild_id, guild_id, *owned_params))
        return [
            ScheduledGuild(
                settings_from_row(r),
                date.fromisoformat(r["last_handled"]) if r["last_handled"] else None,
                date.fromisoformat(r["last_recap_week"]) if r["last_recap_week"] else None,
            )
            for r in rows
        ]

    # --- daily posts -----------------------------------------------------------------------------

    async def asked_keys(self, guild_id: int) -> frozenset[str]:
        """Question keys already used in the server's current round (not to be asked again)."""
        sql = """SELECT question_key FROM quiz_posts WHERE guild_id = ? AND question_key IS NOT NULL
                 AND state <> 'skipped'
                 AND round = (SELECT max(round) FROM quiz_posts WHERE guild_id = ?)"""
        return frozenset(row[0] for row in await self.db.fetch_all(sql, (guild_id, guild_id)))

    async def recent_questions(self, guild_id: int, before: date, days: int) -> list[Question]:
        """The questions asked in the server on the `days` local dates before `before`, oldest first
        (the daily choice keeps the kinds in balance and asks about no fact twice over them)."""
        sql = """SELECT question FROM quiz_posts WHERE guild_id = ? AND question IS NOT NULL
                 AND state <> 'skipped' AND local_date < ? AND local_date >= ? ORDER BY local_date"""
        since = before - timedelta(days=days)
        rows = await self.db.fetch_all(sql, (guild_id, before.isoformat(), since.isoformat()))
        return [Question.from_json(row[0]) for row in rows]

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
            row = await fetch_post_row(
                tx, "guild_id = ? AND local_date = ?", (guild_id, local_date.isoformat())
            )
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
                        to_ts(now),
                    ),
                )
                return await fetch_post(tx, int(cursor.lastrowid or 0))
            if not await claims.claim_again(tx, "quiz_posts", row, channel_id, now):
                return None
            return await fetch_post(tx, int(row["id"]))

    async def mark_posted(
        self, post_id: int, message_id: int, posted_at: datetime, closes_at: datetime
    ) -> bool:
        """Record the sent message; answers open. False if the claim was lost (skipped meanwhile)."""
        return await claims.mark_sent(
            self.db, "quiz_posts", post_id, message_id, posted_at, closes_at=to_ts(closes_at)
        )

    async def mark_failed(self, post_id: int, error: str, now: datetime) -> QuizPost:
        """Record a failed send; the day is retried by `claim_post` until MAX_POST_ATTEMPTS."""
        await claims.mark_failed(self.db, "quiz_posts", post_id, error, now)
        post = await fetch_post(self.db.reader, post_id)
        if post is None:
            raise NotFound(f"there is no quiz post {post_id}")
        return post

    async def skip_day(self, guild_id: int, local_date: date, now: datetime) -> SkipOutcome:
        """Make sure nothing is posted for this server and day (a moderator's /quizadmin skip)."""
        async with self.db.transaction() as tx:
            row = await fetch_post_row(
                tx, "guild_id = ? AND local_date = ?", (guild_id, local_date.isoformat())
            )
            if row is None:
                await tx.execute(
                    """INSERT INTO quiz_posts (guild_id, local_date, state, claimed_at)
                       VALUES (?, ?, 'skipped', ?)""",
                    (guild_id, local_date.isoformat(), to_ts(now)),
                )
                return SkipOutcome.SKIPPED
            state = PostState(row["state"])
            if state in (PostState.POSTED, PostState.REVEALED):
                return SkipOutcome.ALREADY_POSTED
            if state is PostState.SKIPPED:
                return SkipOutcome.ALREADY_SKIPPED
            if state is PostState.CLAIMED and from_ts(row["claimed_at"]) > now - CLAIM_LEASE:
                return SkipOutcome.IN_PROGRESS
            await tx.execute("UPDATE quiz_posts SET state = 'skipped' WHERE id = ?", (row["id"],))
            return SkipOutcome.SKIPPED

    async def post_for_day(self, guild_id: int, local_date: date) -> QuizPost | None:
        """The server's post for a local date, in whatever state, or None."""
        row = await fetch_post_row(
            self.db.reader, "guild_id = ? AND local_date = ?", (guild_id, local_date.isoformat())
        )
        return post_from_row(row) if row else None

    async def posts_due_for_reveal(
        self, now: datetime, limit: int = 100, *, shards: ShardPlan = EVERY_SHARD
    ) -> list[QuizPost]:
        """Posted questions in servers of `shards` whose answers have closed, oldest first."""
        owned, owned_params = owned_by("quiz_posts.guild_id", shards)
        sql = f"""SELECT {POST_COLUMNS} WHERE state = 'posted' AND closes_at <= ? AND {owned}
                 ORDER BY closes_at, id LIMIT ?"""
        rows = await self.db.fetch_all(sql, (to_ts(now), *owned_params, limit))
        return [post_from_row(row) for row in rows]

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
                (to_ts(now), post_id),
            )
            return cursor.rowcount == 1

    async def posts_with_new_answers(
        self, now: datetime, every: timedelta, *, shards: ShardPlan = EVERY_SHARD
    ) -> list[tuple[QuizPost, int]]:
        """Open posts in servers of `shards` whose answer count differs from the one shown on them and
        was last shown at least `every` ago, with the count to show."""
        owned, owned_params = owned_by("quiz_posts.guild_id", shards)
        sql = f"""SELECT * FROM (SELECT (SELECT count(*) FROM quiz_answers a WHERE a.post_id = quiz_posts.id)
                                    AS answered, {POST_COLUMNS}
                                WHERE quiz_posts.state = 'posted' AND quiz_posts.closes_at > ?
                                AND (live.shown_at IS NULL OR live.shown_at <= ?) AND {owned})
                 WHERE answered <> coalesce(shown_answers, 0) ORDER BY id"""
        rows = await self.db.fetch_all(sql, (to_ts(now), to_ts(now - every), *owned_params))
        return [(post_from_row(row), int(row["answered"])) for row in rows]

    async def mark_count_shown(self, post_id: int, answered: int, now: datetime) -> None:
        """Record the answer count just written on the post."""
        async with self.db.transaction() as tx:
            await tx.execute(
                """INSERT INTO quiz_post_live (post_id, shown_answers, shown_at) VALUES (?, ?, ?)
                   ON CONFLICT (post_id) DO UPDATE SET shown_answers = excluded.shown_answers,
                       shown_at = excluded.shown_at""",
                (post_id, answered, to_ts(now)),
            )

    async def set_on_this_day(self, post_id: int, line: OnThisDay | None) -> None:
        """Keep the event named on a post (or none), so the count edits and the reveal show it too."""
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM quiz_post_on_this_day WHERE post_id = ?", (post_id,))
            if line is not None:
                await tx.execute(
                    "INSERT INTO quiz_post_on_this_day (post_id, fact_id, year, title) VALUES (?, ?, ?, ?)",
                    (post_id, line.fact_id, line.year, line.title),
                )

    async def set_thread(self, post_id: int, thread_id: int) -> None:
        """Record the discussion thread opened under a post (so a retried reveal opens no second one)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                """INSERT INTO quiz_post_live (post_id, thread_id) VALUES (?, ?)
                   ON CONFLICT (post_id) DO UPDATE SET thread_id = excluded.thread_id""",
                (post_id, thread_id),
            )
