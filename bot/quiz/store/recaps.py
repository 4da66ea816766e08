"""Weekly recaps: claimed like daily posts (`claims.py`), and what they show."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite

from bot.db.database import Database
from bot.quiz.model.questions import Question
from bot.quiz.model.recap import recap_window, week_of
from bot.quiz.model.records import (
    HardestQuestion,
    RecapState,
    RecapSummary,
    StreakEntry,
    WeeklyRecap,
)
from bot.quiz.store import claims
from bot.quiz.store.answers import streak_of
from bot.quiz.store.members import MemberQueries
from bot.quiz.store.rows import to_ts

TOP_RANKS = 3  # the top three (more lines when members tie)
TOP_LINES = 10  # … but never more than this many
STREAKS_SHOWN = 3
MIN_STREAK_SHOWN = 2  # a one-day run is not yet a streak worth a line


def recap_from_row(row: aiosqlite.Row) -> WeeklyRecap:
    return WeeklyRecap(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        week=date.fromisoformat(row["week"]),
        local_date=date.fromisoformat(row["local_date"]),
        state=RecapState(row["state"]),
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        attempts=int(row["attempts"]),
        last_error=row["last_error"],
    )


async def fetch_recap(
    connection: aiosqlite.Connection, where: str, params: tuple[object, ...]
) -> aiosqlite.Row | None:
    async with connection.execute(f"SELECT * FROM quiz_recaps WHERE {where}", params) as cursor:
        return await cursor.fetchone()


class RecapQueries(MemberQueries):
    """The weekly recap of each server (its top three is the week's leaderboard)."""

    db: Database

    async def claim_recap(
        self, guild_id: int, recap_date: date, channel_id: int, now: datetime
    ) -> WeeklyRecap | None:
        """Claim the right to post the server's recap on `recap_date` (one per server and week); None
        if it is taken, if the week's questions are not all revealed yet (the recap must not spoil
        one), or if nobody answered in the week (then the week is marked empty and nothing is posted)."""
        first, last = recap_window(recap_date)
        week = week_of(recap_date).isoformat()
        async with self.db.transaction() as tx:
            row = await fetch_recap(tx, "guild_id = ? AND week = ?", (guild_id, week))
            if row is not None:
                if not await claims.claim_again(tx, "quiz_recaps", row, channel_id, now):
                    return None
                row = await fetch_recap(tx, "id = ?", (row["id"],))
                return recap_from_row(row) if row else None
            window = (guild_id, first.isoformat(), last.isoformat())
            async with tx.execute(
                """SELECT count(*) FILTER (WHERE p.state = 'posted'),
                          (SELECT count(*) FROM quiz_answers a JOIN quiz_posts q ON q.id = a.post_id
                           WHERE q.guild_id = ?1 AND q.local_date BETWEEN ?2 AND ?3)
                   FROM quiz_posts p WHERE p.guild_id = ?1 AND p.local_date BETWEEN ?2 AND ?3""",
                window,
            ) as cursor:
                found = await cursor.fetchone()
            unrevealed, answers = (int(found[0]), int(found[1])) if found else (0, 0)
            if unrevealed:
                return None  # asked again at the next tick, after the reveal
            state = RecapState.CLAIMED if answers else RecapState.EMPTY
            cursor = await tx.execute(
                """INSERT INTO quiz_recaps (guild_id, week, local_date, state, channel_id, attempts, claimed_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    guild_id,
                    week,
                    recap_date.isoformat(),
                    state.value,
                    channel_id,
                    int(answers > 0),
                    to_ts(now),
                ),
            )
            if state is RecapState.EMPTY:
                return None
            inserted = await fetch_recap(tx, "id = ?", (int(cursor.lastrowid or 0),))
            return recap_from_row(inserted) if inserted else None

    async def mark_recap_posted(self, recap_id: int, message_id: int, posted_at: datetime) -> bool:
        """Record the recap's message; False if the claim was lost meanwhile."""
        return await claims.mark_sent(self.db, "quiz_recaps", recap_id, message_id, posted_at)

    async def mark_recap_failed(self, recap_id: int, error: str, now: datetime) -> None:
        """Record a failed send; the recap is claimed again at a later tick until MAX_POST_ATTEMPTS."""
        await claims.mark_failed(self.db, "quiz_recaps", recap_id, error, now)

    async def recap_for_week(self, guild_id: int, day: date) -> WeeklyRecap | None:
        """The server's recap for the week of `day`, in whatever state, or None."""
        row = await self.db.fetch_one(
            "SELECT * FROM quiz_recaps WHERE guild_id = ? AND week = ?", (guild_id, week_of(day).isoformat())
        )
        return recap_from_row(row) if row else None

    async def recap_summary(self, guild_id: int, first: date, last: date, now: datetime) -> RecapSummary:
        """The week from `first` to `last` (local dates): its top three by points, the longest current
        streaks, and the question with the smallest share of correct answers."""
        window = {"guild": guild_id, "first": first.isoformat(), "last": last.isoformat(), "now": to_ts(now)}
        board = await self.leaderboard(guild_id, first, last)
        top = tuple(e for e in board.entries if e.rank <= TOP_RANKS)[:TOP_LINES]
        counts = await self.db.fetch_one(
            """SELECT count(*), (SELECT count(*) FROM quiz_answers a JOIN quiz_posts q ON q.id = a.post_id
                                 WHERE q.guild_id = :guild AND q.local_date BETWEEN :first AND :last)
               FROM quiz_posts p WHERE p.guild_id = :guild AND p.local_date BETWEEN :first AND :last
               AND p.state IN ('posted', 'revealed')""",
            window,
        )
        # Only members who got the week's last question right can have a streak running.
        streak_rows = await self.db.fetch_all(
            f"""SELECT user_id, days FROM (
                    SELECT candidate.user_id, {streak_of("candidate.user_id")} AS days
                    FROM quiz_answers candidate
                    WHERE candidate.correct = 1 AND candidate.post_id = (
                        SELECT id FROM quiz_posts WHERE guild_id = :guild AND state = 'revealed'
                        AND local_date BETWEEN :first AND :last ORDER BY local_date DESC LIMIT 1))
                WHERE days >= :shortest ORDER BY days DESC, user_id LIMIT :shown""",
            window | {"shortest": MIN_STREAK_SHOWN, "shown": STREAKS_SHOWN},
        )
        hardest = await self.db.fetch_one(
            """SELECT p.local_date, p.question, count(*) AS answered, sum(a.correct) AS correct
               FROM quiz_posts p JOIN quiz_answers a ON a.post_id = p.id
               WHERE p.guild_id = :guild AND p.state = 'revealed' AND p.local_date BETWEEN :first AND :last
               GROUP BY p.id ORDER BY CAST(sum(a.correct) AS REAL) / count(*), count(*) DESC, p.local_date
               LIMIT 1""",
            window,
        )
        return RecapSummary(
            first_day=first,
            last_day=last,
            questions=int(counts[0]) if counts else 0,
            answers=int(counts[1]) if counts else 0,
            top=top,
            streaks=tuple(StreakEntry(int(r["user_id"]), int(r["days"])) for r in streak_rows),
            hardest=HardestQuestion(
                Question.from_json(hardest["question"]),
                date.fromisoformat(hardest["local_date"]),
                int(hardest["answered"]),
                int(hardest["correct"]),
            )
            if hardest
            else None,
        )
