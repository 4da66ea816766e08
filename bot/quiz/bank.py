"""The quiz's question pool, built from the current facts and rebuilt when they change.

Generated questions follow the facts at once (a moderator's edit changes tomorrow's question);
hand-written questions whose fact a moderator edited are held back until reviewed, and a moderator's
correction of a hand-written question (stored in the database) replaces the file's version of it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from bot.facts.model.fact import Category, Fact
from bot.facts.store import FactStore
from bot.quiz.model import (
    HandwrittenError,
    HandwrittenQuestion,
    Question,
    generate_questions,
    load_handwritten,
)
from bot.quiz.model.handwritten import handwritten_from_json
from bot.quiz.store import QuizStore

log = logging.getLogger(__name__)


class QuestionBank:
    """Questions for the current facts, cached until any fact changes."""

    def __init__(self, facts: FactStore, quiz: QuizStore, dataset_dir: Path):
        self.facts = facts
        self.quiz = quiz
        self.dataset_dir = dataset_dir
        self._handwritten: list[HandwrittenQuestion] | None = None
        self._cache: tuple[tuple[object, ...], list[Question]] | None = None
        self._facts: dict[str, Fact] = {}
        self._corrections: dict[str, tuple[str, HandwrittenQuestion | None]] = {}  # id -> (JSON, parsed)

    def handwritten(self) -> Sequence[HandwrittenQuestion]:
        if self._handwritten is None:
            try:
                self._handwritten = load_handwritten(self.dataset_dir)
            except HandwrittenError as error:
                # A broken question file must not stop the daily quiz: ask generated questions only.
                log.error("Hand-written quiz questions not loaded: %s", error)
                self._handwritten = []
        return self._handwritten

    async def current_handwritten(self) -> list[HandwrittenQuestion]:
        """The file's hand-written questions, each replaced by its moderator's correction if it has one.
        A correction for an id the file no longer has is not asked (its question was taken out)."""
        stored = await self.quiz.question_corrections()
        corrections: dict[str, tuple[str, HandwrittenQuestion | None]] = {}
        for question_id, text in stored.items():
            known = self._corrections.get(question_id)
            if known is not None and known[0] == text:
                corrections[question_id] = known
                continue
            corrected, problems = handwritten_from_json(text)
            if corrected is None or corrected.id != question_id:
                # Checked when saved; a row changed by hand must not stop the quiz: keep the file's version.
                log.error("Correction of quiz question %r not used: %s", question_id, "; ".join(problems))
                corrected = None
            corrections[question_id] = (text, corrected)
        self._corrections = corrections
        return [(corrections.get(q.id, ("", None))[1] or q) for q in self.handwritten()]

    async def corrections(self) -> list[HandwrittenQuestion]:
        """The moderators' corrections in use, in the file's order: what to copy back into the file."""
        current = {q.id: q for q in await self.current_handwritten()}
        return [current[q.id] for q in self.handwritten() if current[q.id] != q]

    async def questions(self) -> list[Question]:
        handwritten = await self.current_handwritten()
        links = {q.id: q.fact_id for q in handwritten}
        held_back = await self.quiz.held_back_questions(links)
        version = (await self.facts.db.facts_version(), held_back, tuple(handwritten))
        if self._cache is not None and self._cache[0] == version:
            return self._cache[1]
        facts = await self.facts.all_facts()
        questions = generate_questions(facts, handwritten, held_back)
        self._facts = {fact.id: fact for fact in facts}
        self._cache = (version, questions)
        return questions

    async def questions_in(
        self, category: Category | None = None, difficulty: int | None = None
    ) -> list[Question]:
        """The questions about facts of `category` (all if None) at `difficulty` (all if None)."""
        questions = await self.questions()
        facts = self._facts
        return [
            q
            for q in questions
            if (
                category is None or ((fact := facts.get(q.fact_id)) is not None and fact.category is category)
            )
            and (difficulty is None or q.difficulty == difficulty)
        ]

    def fact(self, fact_id: str) -> Fact | None:
        """The current fact a question from the last `questions()` rests on."""
        return self._facts.get(fact_id)
