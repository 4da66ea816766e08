"""Moderators' reviews of hand-written quiz questions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

import aiosqlite

from bot.core.errors import InvalidInput, NotFound
from bot.db.database import Database
from bot.quiz.model.records import (
    ReviewItem,
)
from bot.quiz.store.rows import to_ts


class ReviewQueries:
    """Which hand-written questions are held back until a moderator reviews them."""

    db: Database

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
            await record_review(tx, question_id, fact_id, revision, reviewer_id, now)


async def record_review(
    tx: aiosqlite.Connection,
    question_id: str,
    fact_id: str,
    revision: int,
    reviewer_id: int | None,
    now: datetime,
) -> None:
    """Within a transaction: the question was checked against revision `revision` of its fact (which must
    exist). Shared by "Still correct" and a moderator's correction."""
    async with tx.execute("SELECT revision FROM facts WHERE id = ?", (fact_id,)) as cursor:
        row = await cursor.fetchone()
    if row is None:
        raise NotFound(f"there is no fact {fact_id!r}")
    if not 1 <= revision <= int(row[0]):
        raise InvalidInput(f"fact {fact_id!r} has no revision {revision} (latest: {row[0]})")
    await tx.execute(
        """INSERT INTO quiz_question_reviews (question_id, fact_id, reviewed_revision, reviewer_id, reviewed_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (question_id) DO UPDATE SET fact_id = excluded.fact_id,
               reviewed_revision = excluded.reviewed_revision, reviewer_id = excluded.reviewer_id,
               reviewed_at = excluded.reviewed_at""",
        (question_id, fact_id, revision, reviewer_id, to_ts(now)),
    )
