"""Questions generated from the facts: one generator per question kind (see `bot.quiz.model.kinds`).

Generation is a pure function of the current facts, so a moderator's edit changes the questions at
once. Facts with a disputed date (`date_uncertain`) are never the subject of a question or a
distractor, and nothing is asked about yields (every yield in the record is an estimate).

"Who took part in the talks?" is no longer asked: nearly every title of the talks names the other
party (Trump-Kim, inter-Korean, six-party), so the prompt gave the answer away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.facts.model.fact import Fact
from bot.quiz.model.kinds.dates import nuclear_count_questions, when_questions
from bot.quiz.model.kinds.launches import system_questions
from bot.quiz.model.kinds.ordering import first_questions
from bot.quiz.model.kinds.record import FactRecord
from bot.quiz.model.kinds.sanctions import resolution_measure_questions, resolution_test_questions
from bot.quiz.model.questions import Question

__all__ = ["GENERATORS", "FactRecord", "generated_questions"]

GENERATORS: tuple[Callable[[FactRecord], Iterable[Question | None]], ...] = (
    when_questions,
    resolution_test_questions,
    resolution_measure_questions,
    system_questions,
    nuclear_count_questions,
    first_questions,
)


def generated_questions(facts: Iterable[Fact]) -> list[Question]:
    """Every generated question for these facts (retired ones ignored), in a stable order."""
    record = FactRecord.of(facts)
    questions: list[Question] = []
    for generator in GENERATORS:
        questions.extend(q for q in generator(record) if q is not None)
    return questions
