"""Hand-written quiz questions corrected by moderators from Discord."""

from __future__ import annotations

from datetime import datetime

from bot.db.database import Database
from bot.quiz.store.reviews import record_review
from bot.quiz.store.rows import to_ts


class CorrectionQueries:
    """Corrections that replace a hand-written question's file version, and the reviews they imply."""

    db: Database

    async def question_corrections(self) -> dict[str, str]:
        """Every stored correction: question id -> the corrected question as JSON (file fields)."""
        rows = await self.db.fetch_all("SELECT question_id, question FROM quiz_question_corrections")
        return {str(r[0]): str(r[1]) for r in rows}

    async def save_correction(
        self,
        question_id: str,
        fact_id: str,
        revision: int,
        question_json: str,
        corrector_id: int | None,
        now: datetime,
    ) -> None:
        """Store the corrected question and mark it reviewed against revision `revision` of its fact,
        in one transaction: the question goes back into the quiz in its corrected form."""
        async with self.db.transaction() as tx:
            await record_review(tx, question_id, fact_id, revision, corrector_id, now)
            await tx.execute(
                """INSERT INTO quiz_question_corrections (question_id, fact_id, question, fact_revision,
                                                          corrected_by, corrected_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (question_id) DO UPDATE SET fact_id = excluded.fact_id,
                       question = excluded.question, fact_revision = excluded.fact_revision,
                       corrected_by = excluded.corrected_by, corrected_at = excluded.corrected_at""",
                (question_id, fact_id, question_json, revision, corrector_id, to_ts(now)),
            )
