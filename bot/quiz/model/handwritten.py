"""Hand-written questions from `data/quiz/*.toml`, each linked to the fact that proves its answer.

The format is documented in `data/quiz/README.md`. Loading reports every problem at once, like the
dataset loader, so a reviewer sees all of them in one run.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.facts.model.fact import FACT_ID_PATTERN, Fact
from bot.quiz.model.questions import (
    OPTION_COUNT,
    Question,
    QuestionType,
    explain,
    make_question,
    question_problems,
)

HANDWRITTEN_KEY_PREFIX = "hand:"
_FIELDS = {"id", "fact", "prompt", "answer", "wrong", "explanation", "difficulty"}

# The reviews table's limit (migration 0002): a longer id would pass the file and fail at its first review.
MAX_QUESTION_ID = 64


@dataclass(frozen=True)
class HandwrittenQuestion:
    """A question as written in the file: the answer, three wrong options and the proving fact."""

    id: str
    fact_id: str
    prompt: str
    answer: str
    wrong: tuple[str, ...]
    explanation: str
    difficulty: int

    @property
    def key(self) -> str:
        """The question key in the pool: `hand:<id>`."""
        return HANDWRITTEN_KEY_PREFIX + self.id

    def to_question(self, fact: Fact) -> Question | None:
        """The question with the fact's source (and the fact's summary when no explanation is
        written); None if the fact has no source."""
        explanation = self.explanation or explain("", fact)
        return make_question(
            key=self.key,
            question_type=QuestionType.HANDWRITTEN,
            prompt=self.prompt,
            answer=self.answer,
            distractors=self.wrong,
            explanation=explanation,
            fact=fact,
            difficulty=self.difficulty,
        )


class HandwrittenError(ValueError):
    """The hand-written questions have problems; `problems` lists each with its file and question."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the hand-written questions:\n" + "\n".join(problems))
        self.problems = problems


def question_files(dataset_dir: Path) -> list[Path]:
    """The hand-written question files, in name order."""
    return sorted((dataset_dir / "quiz").glob("*.toml"))


def parse_handwritten(record: Mapping[str, Any]) -> tuple[HandwrittenQuestion | None, list[str]]:
    """One `[[question]]` table: the question, or None and every problem found."""
    problems = [f"unknown field {k!r}" for k in record if k not in _FIELDS]
    text: dict[str, str] = {}
    for name in ("id", "fact", "prompt", "answer", "explanation"):
        value = record.get(name, "")
        if not isinstance(value, str):
            problems.append(f"{name} must be text")
            value = ""
        text[name] = " ".join(value.split()) if name == "explanation" else value.strip()
        if not text[name] and name != "explanation":
            problems.append(f"{name} is missing")
    if text["id"] and not FACT_ID_PATTERN.match(text["id"]):
        problems.append(f"id {text['id']!r} must be lowercase letters and digits joined by '-'")
    elif len(text["id"]) > MAX_QUESTION_ID:
        # The review buttons carry the id in their custom_id (Discord allows 100 characters in all).
        problems.append(f"id {text['id']!r} is longer than {MAX_QUESTION_ID} characters")
    wrong = record.get("wrong")
    if not isinstance(wrong, list) or not all(isinstance(w, str) for w in wrong):
        problems.append(f"wrong must be a list of {OPTION_COUNT - 1} texts")
        wrong = []
    wrong = [w.strip() for w in wrong]
    difficulty = record.get("difficulty")
    if isinstance(difficulty, bool) or not isinstance(difficulty, int):
        problems.append("difficulty must be 1, 2 or 3")
        difficulty = 0
    problems += question_problems(
        text["prompt"],
        [text["answer"], *wrong],
        0,
        text["explanation"] or "(from the fact)",
        difficulty,
    )
    if problems:
        return None, problems
    return (
        HandwrittenQuestion(
            id=text["id"],
            fact_id=text["fact"],
            prompt=text["prompt"],
            answer=text["answer"],
            wrong=tuple(wrong),
            explanation=text["explanation"],
            difficulty=difficulty,
        ),
        [],
    )


def load_handwritten(
    dataset_dir: Path, known_fact_ids: Iterable[str] | None = None
) -> list[HandwrittenQuestion]:
    """Every question in `dataset_dir/quiz/*.toml`; raise HandwrittenError listing every problem
    (bad fields, duplicate ids, and, when `known_fact_ids` is given, links to unknown facts)."""
    questions: list[HandwrittenQuestion] = []
    problems: list[str] = []
    ids: list[str] = []
    for path in question_files(dataset_dir):
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            problems.append(f"{path.name}: cannot be read: {error}")
            continue
        records = document.get("question", [])
        if not isinstance(records, list):
            problems.append(f"{path.name}: questions must be written as [[question]] tables")
            continue
        for position, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                problems.append(f"{path.name}: question {position} must be a table")
                continue
            label = record.get("id") if isinstance(record.get("id"), str) else None
            if label:
                ids.append(label)
            question, found = parse_handwritten(record)
            problems += [f"{path.name}: question {position} ({label or 'no id'}): {p}" for p in found]
            if question is not None:
                questions.append(question)
    problems += [f"duplicate question id {i!r} ({n} times)" for i, n in Counter(ids).items() if n > 1]
    if known_fact_ids is not None:
        known = set(known_fact_ids)
        problems += [
            f"{q.id}: fact {q.fact_id!r} does not exist" for q in questions if q.fact_id not in known
        ]
    if problems:
        raise HandwrittenError(problems)
    return questions


# --- Corrections made by moderators from Discord -------------------------------------------------


def handwritten_record(question: HandwrittenQuestion) -> dict[str, Any]:
    """The question as a `[[question]]` table of the file (what `parse_handwritten` reads)."""
    return {
        "id": question.id,
        "fact": question.fact_id,
        "prompt": question.prompt,
        "answer": question.answer,
        "wrong": list(question.wrong),
        "explanation": question.explanation,
        "difficulty": question.difficulty,
    }


def handwritten_to_json(question: HandwrittenQuestion) -> str:
    """The question as stored for a correction: the file's fields, as JSON."""
    return json.dumps(handwritten_record(question), ensure_ascii=False, sort_keys=True)


def handwritten_from_json(text: str) -> tuple[HandwrittenQuestion | None, list[str]]:
    """A stored correction read back with the file's rules: the question, or None and its problems."""
    try:
        record = json.loads(text)
    except ValueError as error:
        return None, [f"not JSON: {error}"]
    if not isinstance(record, dict):
        return None, ["not a question table"]
    return parse_handwritten(record)


def correct_handwritten(
    original: HandwrittenQuestion,
    *,
    prompt: str,
    answer: str,
    wrong: Sequence[str],
    explanation: str,
    difficulty: str,
) -> tuple[HandwrittenQuestion | None, list[str]]:
    """The question as a moderator corrected it (same id and fact), checked with the file's rules:
    the corrected question, or None and every problem, in words a moderator can act on."""
    wrong = [w for w in (line.strip() for line in wrong) if w]
    problems = []
    if len(wrong) != OPTION_COUNT - 1:
        problems.append(
            f"write exactly {OPTION_COUNT - 1} wrong options, one a line (there are {len(wrong)})"
        )
    level: object = int(difficulty.strip()) if difficulty.strip().isdigit() else difficulty.strip()
    record = {
        **handwritten_record(original),
        "prompt": prompt,
        "answer": answer,
        "wrong": wrong,
        "explanation": explanation,
        "difficulty": level,
    }
    question, found = parse_handwritten(record)
    if answer.strip().casefold() in {w.casefold() for w in wrong}:
        found = [p for p in found if p != "two options are the same"]
        problems.append("the right answer is also written as a wrong option")
    if problems:
        # Say why the option count is wrong once, not also as "a question needs exactly 4 options".
        found = [p for p in found if not p.startswith("a question needs exactly")]
    problems += found
    return (question, []) if not problems else (None, problems)
