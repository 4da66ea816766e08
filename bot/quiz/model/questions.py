"""The quiz question: one prompt, four options with exactly one correct, and the fact that proves it.

A question is plain data. It is snapshotted as JSON into a daily post, so the reveal shows exactly what
was asked even if the fact is edited while the question is open.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.facts.model.fact import Fact, Source

MAX_PROMPT = 250
MAX_OPTION = 80
MAX_EXPLANATION = 900
OPTION_COUNT = 4
DIFFICULTIES = (1, 2, 3)


class QuestionType(StrEnum):
    """What a question asks; generated types first, then hand-written ones."""

    WHEN = "when"  # when did X happen
    RESOLUTION_TEST = "resolution_test"  # which test led to resolution N
    RESOLUTION_MEASURE = "resolution_measure"  # what did resolution N ban or cap
    SYSTEM = "system"  # which system was launched on date D
    PARTICIPANTS = "participants"  # who took part in the talks
    TEST_COUNT = "test_count"  # how many nuclear tests by the end of year Y
    FIRST = "first"  # which of these came first
    HANDWRITTEN = "handwritten"


class InvalidQuestion(ValueError):
    """A question breaks a rule (four distinct options, text limits, difficulty 1-3)."""


@dataclass(frozen=True)
class Question:
    """A multiple-choice question with one correct option, linked to the fact that proves the answer.

    `key` is stable across restarts and fact edits ("when:nuclear-test-6", "hand:<id>"), so a server's
    already-asked questions can be remembered. `options[correct_index]` is the answer.
    """

    key: str
    type: QuestionType
    prompt: str
    options: tuple[str, ...]
    correct_index: int
    explanation: str
    fact_id: str
    source: Source
    difficulty: int

    def __post_init__(self) -> None:
        problems = question_problems(
            self.prompt, self.options, self.correct_index, self.explanation, self.difficulty
        )
        if not self.key:
            problems.append("the key is empty")
        if problems:
            raise InvalidQuestion(f"{self.key}: " + "; ".join(problems))

    @property
    def answer(self) -> str:
        """The text of the correct option."""
        return self.options[self.correct_index]

    def to_json(self) -> str:
        """The snapshot stored with a post; `from_json` gives back an equal Question."""
        return json.dumps(
            {
                "key": self.key,
                "type": self.type.value,
                "prompt": self.prompt,
                "options": list(self.options),
                "correct_index": self.correct_index,
                "explanation": self.explanation,
                "fact_id": self.fact_id,
                "source": {k: v for k, v in vars(self.source).items() if v is not None},
                "difficulty": self.difficulty,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Question:
        """The question saved by `to_json`."""
        data: dict[str, Any] = json.loads(text)
        return cls(
            key=data["key"],
            type=QuestionType(data["type"]),
            prompt=data["prompt"],
            options=tuple(data["options"]),
            correct_index=int(data["correct_index"]),
            explanation=data["explanation"],
            fact_id=data["fact_id"],
            source=Source(**data["source"]),
            difficulty=int(data["difficulty"]),
        )


def question_problems(
    prompt: str, options: Sequence[str], correct_index: int, explanation: str, difficulty: int
) -> list[str]:
    """Every rule a question breaks; shared by the generators and the hand-written file check."""
    problems = []
    if not prompt.strip() or len(prompt) > MAX_PROMPT:
        problems.append(f"the prompt must be 1-{MAX_PROMPT} characters (it has {len(prompt)})")
    if len(options) != OPTION_COUNT:
        problems.append(f"a question needs exactly {OPTION_COUNT} options (it has {len(options)})")
    problems += [
        f"option {o[:30]!r} must be 1-{MAX_OPTION} characters"
        for o in options
        if not o.strip() or len(o) > MAX_OPTION
    ]
    if len({o.strip().casefold() for o in options}) != len(options):
        problems.append("two options are the same")
    if not 0 <= correct_index < len(options):
        problems.append("the correct option is not one of the options")
    if not explanation.strip() or len(explanation) > MAX_EXPLANATION or "\n\n" in explanation.strip():
        problems.append(f"the explanation must be one paragraph of 1-{MAX_EXPLANATION} characters")
    if difficulty not in DIFFICULTIES:
        problems.append(f"difficulty must be 1, 2 or 3 (got {difficulty!r})")
    return problems


def seeded_random(*parts: object) -> random.Random:
    """A generator that gives the same sequence for the same parts, on every run and machine
    (Python's own hash() is salted per process, so it cannot be used)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def make_question(
    *,
    key: str,
    question_type: QuestionType,
    prompt: str,
    answer: str,
    distractors: Sequence[str],
    explanation: str,
    fact: Fact,
    difficulty: int,
) -> Question | None:
    """Shuffle the answer among three distractors (the same order for the same key every time) and
    build the question; None when the fact's text breaks a limit (a long edited title), so one odd
    fact never stops the whole quiz."""
    if len(distractors) != OPTION_COUNT - 1 or not fact.sources:
        return None
    options = [answer, *distractors]
    seeded_random(key).shuffle(options)
    try:
        return Question(
            key=key,
            type=question_type,
            prompt=prompt,
            options=tuple(options),
            correct_index=options.index(answer),
            explanation=one_paragraph(explanation),
            fact_id=fact.id,
            source=fact.sources[0],
            difficulty=difficulty,
        )
    except InvalidQuestion:
        return None


def one_paragraph(text: str, limit: int = MAX_EXPLANATION) -> str:
    """Join lines into one paragraph and cut at the last full sentence that fits `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("; "))
    return cut[: end + 1] if end > limit // 3 else cut[: limit - 1].rstrip() + "…"


def explain(lead: str, fact: Fact) -> str:
    """A one-paragraph explanation: a sentence saying why the answer is right, then the fact's summary."""
    lead = lead.strip()
    if lead and not lead.endswith((".", "!", "?")):
        lead += "."
    return one_paragraph(f"{lead} {fact.summary}".strip())
