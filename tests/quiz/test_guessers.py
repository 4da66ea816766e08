"""Naive guessers that know nothing about North Korea must not beat chance.

Each guesser looks only at the shape of a question (the options' words, lengths, formats, positions,
the prompt) and picks the option it thinks is right; ties are shared (a guesser torn between two
options scores half a point if one is right). Run over the whole bank and over 60 scheduled days for
three servers, none may beat chance (25%) by more than 10 points. `pytest -s` prints each rate.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from datetime import date, timedelta

import pytest

from bot.app.settings import DEFAULT_DATASET_DIR
from bot.facts.model.fact import Source
from bot.quiz.model import (
    Question,
    QuestionType,
    choose_daily_question,
    generate_questions,
    load_handwritten,
)
from bot.quiz.model.pool import BALANCE_DAYS

CHANCE = 0.25
MARGIN = 0.10
# A guesser that only applies to some questions (dates, numbers) is judged on those, if enough.
MIN_APPLICABLE = 20

_STOP = frozenset(
    "the of a an and on in to by for with at its did what which when who how these this".split()
)
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]  # fmt: skip

Guess = frozenset[int] | None  # the options picked (a tie), or None: the guesser has no opinion


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP}


def best(scores: Sequence[float], highest: bool = True) -> frozenset[int]:
    top = max(scores) if highest else min(scores)
    return frozenset(i for i, s in enumerate(scores) if s == top)


def most_shared_words(q: Question) -> Guess:
    sets = [words(o) for o in q.options]
    return best([sum(len(s & t) for j, t in enumerate(sets) if j != i) for i, s in enumerate(sets)])


def odd_length(q: Question) -> Guess:
    lengths = [len(o) for o in q.options]
    return best([abs(n - statistics.mean(lengths[:i] + lengths[i + 1 :])) for i, n in enumerate(lengths)])


def shape(text: str) -> str:
    return re.sub(r"[a-z]+", "a", re.sub(r"\d+", "9", text.lower()))


def odd_format(q: Question) -> Guess:
    shapes = [shape(o) for o in q.options]
    counts = [shapes.count(s) for s in shapes]
    if min(counts) == max(counts):
        return None  # no option looks different
    return best([float(c) for c in counts], highest=False)


def longest(q: Question) -> Guess:
    return best([len(o) for o in q.options])


def shortest(q: Question) -> Guess:
    return best([len(o) for o in q.options], highest=False)


def value(text: str) -> float | None:
    """An option read as a date (day, month and year, or fewer) or a number; None otherwise."""
    if re.fullmatch(r"\d+", text):
        return float(text)
    match = re.fullmatch(r"(?:(\d{1,2}) )?(?:([A-Za-z]+) )?(\d{4})", text)
    if match is None or (match[2] and match[2].lower() not in _MONTHS):
        return None
    month = _MONTHS.index(match[2].lower()) + 1 if match[2] else 1
    return float(date(int(match[3]), month, int(match[1] or 1)).toordinal())


def median_value(q: Question) -> Guess:
    values = [value(o) for o in q.options]
    if any(v is None for v in values):
        return None
    ordered = sorted(range(4), key=lambda i: values[i] or 0.0)
    return frozenset(ordered[1:3])


def prompt_overlap(q: Question) -> Guess:
    prompt = words(q.prompt)
    return best([len(words(o) & prompt) for o in q.options])


def position(index: int) -> Callable[[Question], Guess]:
    return lambda q: frozenset({index})


GUESSERS: dict[str, Callable[[Question], Guess]] = {
    "most words shared with the other options": most_shared_words,
    "odd one out by length": odd_length,
    "odd one out by format": odd_format,
    "longest": longest,
    "shortest": shortest,
    "median date or number": median_value,
    "most overlap with the prompt": prompt_overlap,
    **{f"always {letter}": position(i) for i, letter in enumerate("ABCD")},
}


def rate(guesser: Callable[[Question], Guess], questions: Sequence[Question]) -> tuple[float, int]:
    """The guesser's expected share of right answers, over the questions it has an opinion on."""
    points = 0.0
    applicable = 0
    for question in questions:
        picked = guesser(question)
        if picked is None:
            continue
        applicable += 1
        points += (question.correct_index in picked) / len(picked)
    return (points / applicable if applicable else CHANCE), applicable


def report(label: str, questions: Sequence[Question]) -> list[str]:
    """Print each guesser's rate; return those beating chance by more than MARGIN."""
    print(f"\n{label}: {len(questions)} questions")
    failures = []
    for name, guesser in GUESSERS.items():
        share, applicable = rate(guesser, questions)
        print(f"  {name:<42} {share:6.1%}  (over {applicable})")
        if applicable >= MIN_APPLICABLE and share > CHANCE + MARGIN:
            failures.append(f"{name}: {share:.1%} over {applicable}")
    return failures


@pytest.fixture(scope="module")
def bank(dataset) -> list[Question]:
    return generate_questions(dataset.facts, load_handwritten(DEFAULT_DATASET_DIR))


def schedule(bank: Sequence[Question], guild_id: int, start: date, days: int) -> list[Question]:
    """The daily questions of `days` days for one server, as the store would remember them."""
    asked: set[str] = set()
    posted: list[Question] = []
    for offset in range(days):
        choice = choose_daily_question(
            bank, asked, guild_id, start + timedelta(days=offset), posted[-(BALANCE_DAYS - 1) :]
        )
        assert choice is not None
        if choice.new_round:
            asked.clear()
        asked.add(choice.question.key)
        posted.append(choice.question)
    return posted


def test_no_naive_guesser_beats_chance_on_the_whole_bank(bank: list[Question]) -> None:
    assert not report("whole bank", bank)


def test_no_naive_guesser_beats_chance_on_any_large_kind(bank: list[Question]) -> None:
    kinds = {q.type for q in bank}
    failures = []
    for kind in sorted(kinds):
        questions = [q for q in bank if q.type is kind]
        if len(questions) >= 40:
            failures += [f"{kind.value}: {f}" for f in report(f"kind {kind.value}", questions)]
    assert not failures


def test_no_naive_guesser_beats_chance_on_60_scheduled_days(bank: list[Question]) -> None:
    days = [q for guild in (1, 2, 3) for q in schedule(bank, guild, date(2026, 12, 7), 60)]
    assert not report("60 days, 3 servers", days)


def test_each_guesser_would_catch_a_giveaway() -> None:
    """The guessers are not blind: on a bank where the answer is always the longest, most shared
    or median option, the matching guesser wins every time."""

    def q(options: tuple[str, ...], correct: int, prompt: str = "Which one?") -> Question:
        return Question(
            key=f"k{options}",
            type=QuestionType.HANDWRITTEN,
            prompt=prompt,
            options=options,
            correct_index=correct,
            explanation="Because.",
            fact_id="f",
            source=Source(url="https://example.org", publisher="Example"),
            difficulty=1,
        )

    assert rate(longest, [q(("a", "bb", "cccc", "d"), 2)])[0] == 1.0
    assert (
        rate(most_shared_words, [q(("9 May 2009", "9 June 2009", "9 May 2008", "1 July 2016"), 0)])[0] == 1.0
    )
    assert rate(median_value, [q(("1", "2", "3", "9"), 1)])[0] == 0.5
    assert rate(prompt_overlap, [q(("US and China", "Russia", "Japan", "Laos"), 0, "US talks?")])[0] == 1.0
    assert rate(odd_format, [q(("1 May 2009", "June 2009", "May 2008", "July 2016"), 0)])[0] == 1.0
