"""The quiz's question pool, built from the current facts and rebuilt when they change.

Generated questions follow the facts at once (a moderator's edit changes tomorrow's question);
hand-written questions whose fact a moderator edited are held back until reviewed.
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

    def handwritten(self) -> Sequence[HandwrittenQuestion]:
        if self._handwritten is None:
            try:
                self._handwritten = load_handwritten(self.dataset_dir)
            except HandwrittenError as error:
                # A broken question file must not stop the daily quiz: ask generated questions only.
                log.error("Hand-written quiz questions not loaded: %s", error)
                self._handwritten = []
        return self._handwritten

    async def questions(self) -> list[Question]:
        links = {q.id: q.fact_id for q in self.handwritten()}
        held_back = await self.quiz.held_back_questions(links)
        version = (await self.facts.db.facts_version(), held_back)
        if self._cache is not None and self._cache[0] == version:
            return self._cache[1]
        facts = await self.facts.all_facts()
        questions = generate_questions(facts, self.handwritten(), held_back)
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
