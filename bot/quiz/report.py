"""The quiz as text for the command line: `python -m bot quiz bank`, `quiz preview` and `quiz corrections`."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import tomli_w

from bot.facts.model.fact import Fact
from bot.quiz.model import HandwrittenQuestion, Question
from bot.quiz.model.handwritten import handwritten_record
from bot.quiz.planner import PlannedDay

DIFFICULTY_NAMES = {1: "easy", 2: "medium", 3: "hard"}
LETTERS = "ABCD"  # as on the buttons (bot.quiz.render, which needs discord)


def question_record(question: Question, fact: Fact | None) -> dict[str, Any]:
    """One question as plain data: what is asked, the right option's index and the fact behind it."""
    return {
        "key": question.key,
        "kind": question.type.value,
        "difficulty": DIFFICULTY_NAMES[question.difficulty],
        "prompt": question.prompt,
        "options": list(question.options),
        "correct_index": question.correct_index,
        "facts": [
            {
                "id": question.fact_id,
                "title": fact.title if fact else None,
                "category": fact.category.value if fact else None,
            }
        ],
        "source": {"publisher": question.source.publisher, "url": question.source.url},
    }


def question_text(question: Question, fact: Fact | None) -> str:
    """A question in a few lines, the right option marked."""
    title = f" ({fact.title})" if fact else ""
    lines = [
        f"{question.key}  [{question.type.value}, {DIFFICULTY_NAMES[question.difficulty]}]",
        f"  {question.prompt}",
    ]
    for index, option in enumerate(question.options):
        mark = "  <- right" if index == question.correct_index else ""
        lines.append(f"    {LETTERS[index]}. {option}{mark}")
    lines.append(f"  correct index {question.correct_index}; rests on {question.fact_id}{title}")
    return "\n".join(lines)


def bank_output(questions: Sequence[Question], fact: Callable[[str], Fact | None], output: str) -> str:
    """Every question, as JSON (`{"format": "dprk-watch-quiz-bank", ...}`) or text."""
    if output == "json":
        records = [question_record(q, fact(q.fact_id)) for q in questions]
        document = {
            "format": "dprk-watch-quiz-bank",
            "version": 1,
            "count": len(records),
            "questions": records,
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    body = "\n\n".join(question_text(q, fact(q.fact_id)) for q in questions)
    return f"{body}\n\n{len(questions)} questions.\n"


def preview_output(
    guild_id: int, days: Sequence[PlannedDay], fact: Callable[[str], Fact | None], output: str = "text"
) -> str:
    """A server's coming days, each with its question (or none, for a skipped day)."""
    if output == "json":
        records = [
            {
                "date": planned.day.isoformat(),
                "status": planned.status,
                "question": question_record(planned.question, fact(planned.question.fact_id))
                if planned.question
                else None,
            }
            for planned in days
        ]
        document = {"format": "dprk-watch-quiz-preview", "version": 1, "server": guild_id, "days": records}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    blocks = [f"Server {guild_id}: the next {len(days)} days."]
    for planned in days:
        heading = f"{planned.day:%Y-%m-%d %a} ({planned.status})"
        if planned.question is None:
            blocks.append(f"{heading}: no question")
        else:
            blocks.append(f"{heading}\n{question_text(planned.question, fact(planned.question.fact_id))}")
    return "\n\n".join(blocks) + "\n"


def corrections_output(corrections: Sequence[HandwrittenQuestion]) -> str:
    """The corrected questions as `[[question]]` tables of data/quiz/questions.toml, to replace the
    tables with the same ids there: a correction made in Discord then survives a new database."""
    if not corrections:
        return "# No hand-written question has been corrected from Discord.\n"
    header = (
        f"# {len(corrections)} hand-written question(s) corrected from Discord. Replace the tables with\n"
        "# these ids in data/quiz/questions.toml (the file's own format, data/quiz/README.md).\n\n"
    )
    return header + "\n".join(tomli_w.dumps({"question": [handwritten_record(q)]}) for q in corrections)
