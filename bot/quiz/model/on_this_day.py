"""The daily post's "on this day" line: an event of the post's date in a past year, chosen so that it
gives nothing of the day's question away."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from bot.facts.model.fact import Fact
from bot.quiz.model.questions import Question
from bot.quiz.model.records import OnThisDay

TITLE_LIMIT = 150
_WORD = re.compile(r"[0-9a-z]+")
_YEAR = re.compile(r"\b(1[89][0-9][0-9]|2[0-9][0-9][0-9])\b")
# Words that tell nothing apart: almost every title and option has them.
COMMON_WORDS = frozenset(
    "the and for with from after over into its their north korea korean koreas dprk pyongyang".split()
)


def words(text: str) -> set[str]:
    """The words of `text` that can tell one option from another: numbers of any length, other words
    of three letters or more, not the common ones."""
    return {
        word
        for word in _WORD.findall(text.casefold())
        if (word.isdigit() or len(word) > 2) and word not in COMMON_WORDS
    }


def telling_words(question: Question) -> set[str]:
    """Words a line must not contain: those that set any option apart from the others (an event
    naming one would point at it or rule it out), and the years the prompt mentions (an event of the
    same day and year is most likely the very episode asked about)."""
    option_words = [words(option) for option in question.options]
    shared = set.intersection(*option_words) if option_words else set()
    telling = set().union(*option_words) - shared
    return telling | set(_YEAR.findall(question.prompt))


def line_words(event: Fact) -> set[str]:
    """What the line shows of an event: its year and title."""
    return words(f"{event.date.year} {event.title}")


def on_this_day_for(question: Question, events: Iterable[Fact], day: date) -> OnThisDay | None:
    """The newest event among `events` (facts dated to `day`'s month and day) from a past year that is
    not the question's own fact and shares no telling word with it; None if there is none."""
    telling = telling_words(question)
    for event in sorted(events, key=lambda fact: fact.date.iso(), reverse=True):
        if event.date.year < day.year and event.id != question.fact_id and not (line_words(event) & telling):
            return OnThisDay(event.id, event.date.year, clip(event.title, TITLE_LIMIT))
    return None


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
