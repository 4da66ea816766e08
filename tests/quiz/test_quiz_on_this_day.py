"""The daily post's "on this day" line never gives the day's question away: checked for every question
of the bank on the days it is most tempting (the dates of its own fact and of the facts its options
name), with the real dataset's events of those days."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from bot.app.settings import DEFAULT_DATASET_DIR
from bot.facts.model.fact import Fact, parse_fact
from bot.quiz.model import Question, QuestionType, generate_questions, load_handwritten
from bot.quiz.model.on_this_day import on_this_day_for
from bot.quiz.model.questions import make_question
from tests.conftest import fact_record

YEAR = 2028  # "today": every event of the dataset is in a past year, and 29 February is a day


@pytest.fixture(scope="module")
def bank(dataset) -> list[Question]:
    return generate_questions(dataset.facts, load_handwritten(DEFAULT_DATASET_DIR))


@pytest.fixture(scope="module")
def events_by_day(dataset) -> dict[tuple[int, int], list[Fact]]:
    """Facts dated to a day, by (month, day): what `FactStore.facts_on_days` gives the poster."""
    days: dict[tuple[int, int], list[Fact]] = defaultdict(list)
    for fact in dataset.facts:
        if len(fact.date.iso()) == 10:
            days[(fact.date.month, fact.date.day)].append(fact)
    return days


def words(text: str) -> set[str]:
    # Numbers of any length; words of one or two letters ("on", "of") give nothing away, and whether
    # they count as common below would turn on how many titles the dataset happens to have.
    return {word for word in re.findall(r"[0-9a-z]+", text.casefold()) if word.isdigit() or len(word) > 2}


def tempting_days(question: Question, facts: dict[str, Fact]) -> set[tuple[int, int]]:
    """The question's own fact's day, and the days of the facts whose titles are among its options."""
    days = set()
    own = facts.get(question.fact_id)
    if own is not None and len(own.date.iso()) == 10:
        days.add((own.date.month, own.date.day))
    by_title = {fact.title: fact for fact in facts.values()}
    for option in question.options:
        named = by_title.get(option)
        if named is not None and len(named.date.iso()) == 10:
            days.add((named.date.month, named.date.day))
    return days


def test_the_line_never_names_the_answer_or_the_questions_own_fact(
    bank: list[Question], events_by_day: dict[tuple[int, int], list[Fact]], dataset
) -> None:
    facts = {fact.id: fact for fact in dataset.facts}
    # Words found in many titles ("korea", "sanctions") name nothing in particular.
    in_titles = Counter(word for fact in dataset.facts for word in words(fact.title))
    common = {word for word, count in in_titles.items() if count > len(dataset.facts) / 20}
    checked = shown = 0
    problems = []
    for question in bank:
        answer_words = words(question.answer)
        others = set().union(
            *(words(o) for i, o in enumerate(question.options) if i != question.correct_index)
        )
        for month, day in sorted(tempting_days(question, facts)):
            checked += 1
            line = on_this_day_for(question, events_by_day[(month, day)], date(YEAR, month, day))
            if line is None:
                continue
            shown += 1
            event = facts[line.fact_id]
            text = f"{line.year} {line.title}"
            if (
                event.id == question.fact_id
                or (event.date.month, event.date.day) != (month, day)
                or event.date.year >= YEAR
                or question.answer.casefold() in text.casefold()
                or str(line.year) in question.answer
                or words(text) & (answer_words - others - common)
                or any(option == event.title for option in question.options)
            ):
                problems.append(f"{question.key} on {day}/{month}: {text!r} (answer {question.answer!r})")
    assert not problems, "\n".join(problems)
    assert checked > 150  # the whole bank was looked at on its most tempting days
    assert shown > checked // 4  # and the line is still there on many of them


def test_the_newest_event_of_a_past_year_is_named_unless_it_tells(
    bank: list[Question], events_by_day: dict[tuple[int, int], list[Fact]]
) -> None:
    events = events_by_day[(9, 3)]  # the sixth nuclear test's day, among others
    newest = max(events, key=lambda e: e.date.iso())
    unrelated = make_question(
        key="when:test",
        question_type=QuestionType.WHEN,
        prompt="Which?",
        answer="Alpha",
        distractors=["Bravo", "Charlie", "Delta"],
        explanation="Because.",
        fact=parse_fact(fact_record()),
        difficulty=1,
    )
    assert unrelated is not None
    named = on_this_day_for(unrelated, events, date(YEAR, 9, 3))
    assert named is not None
    assert (named.fact_id, named.year) == (newest.id, newest.date.year)
    # Events not in a past year are never named.
    assert on_this_day_for(unrelated, events, date(2000, 9, 3)) is None
    # The question about the day's own event never gets it, nor anything of its year.
    own = next(q for q in bank if q.key == "when:nuclear-test-6")
    line = on_this_day_for(own, events, date(YEAR, 9, 3))
    assert line is None or (line.fact_id != "nuclear-test-6" and line.year != 2017)
    # An event naming what sets an option apart is skipped: "Sixth" is the answer's alone.
    sixth = make_question(
        key="when:test",
        question_type=QuestionType.WHEN,
        prompt="Which?",
        answer="Sixth nuclear test",
        distractors=["Fifth nuclear test", "Fourth nuclear test", "Third nuclear test"],
        explanation="Because.",
        fact=parse_fact(fact_record()),
        difficulty=1,
    )
    assert sixth is not None
    sixth_test = [e for e in events if e.id == "nuclear-test-6"]
    assert on_this_day_for(unrelated, sixth_test, date(YEAR, 9, 3)) is not None
    assert on_this_day_for(sixth, sixth_test, date(YEAR, 9, 3)) is None
