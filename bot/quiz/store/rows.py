"""Rows of the quiz tables turned into the quiz's records, and the times they store."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import aiosqlite

from bot.quiz.model.questions import Question
from bot.quiz.model.records import (
    AnswerResult,
    AnswerStatus,
    OnThisDay,
    PostState,
    QuizPost,
    QuizSettings,
)
from bot.quiz.model.schedule import QuizSchedule


def to_ts(moment: datetime) -> str:
    """One fixed-width UTC form, so stored times compare correctly as text."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def from_ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def joined(row: aiosqlite.Row, name: str) -> Any:
    """A column from a joined table (quiz_server_options, quiz_post_live, ...), None when the query did not
    join it or the row has none."""
    return row[name] if name in row.keys() else None  # noqa: SIM118 (`in row` looks at the values)


def settings_from_row(row: aiosqlite.Row) -> QuizSettings:
    close = row["close_time"]
    schedule = QuizSchedule(
        time.fromisoformat(row["post_time"]), row["timezone"], time.fromisoformat(close) if close else None
    )
    return QuizSettings(
        int(row["guild_id"]),
        int(row["channel_id"]),
        schedule,
        bool(row["enabled"]),
        joined(row, "role_id"),
        bool(joined(row, "open_thread")),
        joined(row, "recap_day"),
        bool(joined(row, "on_this_day")),
    )


# A post with what is shown on it; `where` clauses name quiz_posts' columns unqualified.
POST_COLUMNS = """quiz_posts.*, live.shown_answers, live.shown_at, live.thread_id,
    day.fact_id AS on_this_day_fact, day.year AS on_this_day_year, day.title AS on_this_day_title
    FROM quiz_posts LEFT JOIN quiz_post_live live ON live.post_id = quiz_posts.id
    LEFT JOIN quiz_post_on_this_day day ON day.post_id = quiz_posts.id"""
SETTINGS_COLUMNS = """s.*, o.role_id, o.open_thread, x.recap_day, x.on_this_day
    FROM quiz_settings s LEFT JOIN quiz_server_options o ON o.guild_id = s.guild_id
    LEFT JOIN quiz_server_extras x ON x.guild_id = s.guild_id"""


def post_from_row(row: aiosqlite.Row) -> QuizPost:
    def moment(name: str) -> datetime | None:
        return from_ts(row[name]) if row[name] else None

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
        claimed_at=from_ts(row["claimed_at"]),
        posted_at=moment("posted_at"),
        closes_at=moment("closes_at"),
        revealed_at=moment("revealed_at"),
        # From quiz_post_live, when the query joined it (`POST_COLUMNS`).
        shown_answers=int(joined(row, "shown_answers") or 0),
        shown_at=from_ts(shown) if (shown := joined(row, "shown_at")) else None,
        thread_id=joined(row, "thread_id"),
        on_this_day=OnThisDay(fact, int(row["on_this_day_year"]), row["on_this_day_title"])
        if (fact := joined(row, "on_this_day_fact"))
        else None,
    )


async def fetch_post_row(
    connection: aiosqlite.Connection, where: str, params: tuple[Any, ...]
) -> aiosqlite.Row | None:
    async with connection.execute(f"SELECT {POST_COLUMNS} WHERE {where}", params) as cursor:
        return await cursor.fetchone()


async def fetch_post(connection: aiosqlite.Connection, post_id: int) -> QuizPost | None:
    row = await fetch_post_row(connection, "id = ?", (post_id,))
    return post_from_row(row) if row else None


async def fetch_answer(tx: aiosqlite.Connection, post_id: int, user_id: int) -> AnswerResult | None:
    sql = "SELECT choice, correct, points FROM quiz_answers WHERE post_id = ? AND user_id = ?"
    async with tx.execute(sql, (post_id, user_id)) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    return AnswerResult(AnswerStatus.ALREADY_ANSWERED, int(row[0]), bool(row[1]), int(row[2]))
