"""Scores, member statistics, forgetting a member, and practice rounds."""

from __future__ import annotations

from datetime import date, datetime

from bot.core.errors import InvalidInput
from bot.db.database import Database
from bot.quiz.model.questions import OPTION_COUNT, Question
from bot.quiz.model.records import (
    AnswerResult,
    AnswerStatus,
    ForgetReport,
    Leaderboard,
    LeaderboardEntry,
    MemberStats,
    PracticeRound,
)
from bot.quiz.model.scoring import DailyResult, Streaks, fair_ranks, streaks
from bot.quiz.store.rows import from_ts, to_ts


class MemberQueries:
    """Reads and writes about one member: points, streaks, practice."""

    db: Database

    # --- scores ----------------------------------------------------------------------------------

    async def leaderboard(
        self, guild_id: int, since: date | None = None, until: date | None = None
    ) -> Leaderboard:
        """Points per member for daily questions of local dates from `since` on (None: all time), up to
        `until` included (None: to date)."""
        sql = """
            SELECT a.user_id, sum(a.points) AS points, count(*) AS answered, sum(a.correct) AS correct
            FROM quiz_answers a JOIN quiz_posts p ON p.id = a.post_id
            WHERE p.guild_id = ? AND p.local_date >= ? AND p.local_date <= ?
            GROUP BY a.user_id ORDER BY points DESC, correct DESC, a.user_id"""
        rows = await self.db.fetch_all(
            sql, (guild_id, since.isoformat() if since else "", until.isoformat() if until else "9999")
        )
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
                open=r["state"] == "posted" and from_ts(r["closes_at"]) > now,
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
                (guild_id, user_id, question.key, question.to_json(), question.correct_index, to_ts(now)),
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
                (choice, int(correct), to_ts(now), practice_id),
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
