"""Dates and counts: "when did X happen?" and "how many nuclear tests by the end of year Y?"."""

from __future__ import annotations

from collections.abc import Iterator

from bot.facts.model.fact import KIND_CATEGORY, DatePrecision, Fact, FactDate
from bot.quiz.model.distractors import (
    DATE_MARGIN_DAYS,
    date_span,
    fact_span,
    mentions_a_date,
    ordinal_word,
    spans_overlap,
    spread_pick,
)
from bot.quiz.model.kinds.record import FactRecord, fame, rate
from bot.quiz.model.questions import Question, QuestionType, explain, make_question

# Wrong dates within this many days of the answer make the question "close" (harder).
CLOSE_DAYS = 2 * 365


def _when_prompt(fact: Fact, record: FactRecord) -> str | None:
    if fact.kind == "nuclear_test":
        number = int(fact.figures["test_number"])
        return f"When did North Korea carry out its {ordinal_word(number)} nuclear test?"
    if fact.kind == "un_resolution":
        return f"When did the UN Security Council adopt Resolution {fact.figures['resolution_number']}?"
    if fact.kind == "missile_launch":
        return None  # launch titles carry their date; the system question covers launches
    if fact.kind == "satellite_launch":
        payload = fact.figures.get("payload")
        payloads = [f.figures.get("payload") for f in record.of_kind("satellite_launch", certain=False)]
        if not payload or payloads.count(payload) != 1 or mentions_a_date(payload):
            return None
        return f"When did North Korea try to put the {payload} satellite into orbit?"
    if mentions_a_date(fact.title):
        return None
    if fact.end_date is not None and fact.end_date != fact.date:
        verb = "begin"
    elif fact.kind == "un_body":
        verb = "get set up"
    elif fact.kind in ("summit", "multilateral", "bilateral"):
        verb = "take place"
    else:
        verb = "happen"
    return f"{fact.title} — when did it {verb}?"


def _at_precision(value: FactDate, precision: DatePrecision) -> FactDate | None:
    """`value` written at `precision` (a day date as its month), or None if it is less precise."""
    if precision is DatePrecision.YEAR:
        return FactDate(value.year)
    if precision is DatePrecision.MONTH:
        return FactDate(value.year, value.month) if value.month is not None else None
    return value if value.precision is DatePrecision.DAY else None


def _ordinal(value: FactDate) -> float:
    return float(date_span(value)[0].toordinal())


def other_dates(fact: Fact, record: FactRecord) -> list[tuple[float, FactDate]]:
    """Dates of other events of the fact's kind (else of its category), at the fact's precision,
    none within DATE_MARGIN_DAYS of the fact itself: each is true of another event, false of this one."""
    own = fact_span(fact)
    for kinds in ((fact.kind,), tuple(k for k, c in KIND_CATEGORY.items() if c == fact.category)):
        found: dict[str, FactDate] = {}
        for other in record.of_kind(*kinds, certain=False):
            value = _at_precision(other.date, fact.date.precision)
            if other.id == fact.id or value is None or other.date_uncertain:
                continue
            if spans_overlap(date_span(value), own, DATE_MARGIN_DAYS):
                continue
            found.setdefault(value.display(), value)
        if len(found) >= 6 or kinds != (fact.kind,):
            return [(_ordinal(v), v) for v in found.values()]
    return []


def when_questions(record: FactRecord) -> Iterator[Question | None]:
    """ "When did X happen?" for facts whose date is certain and not given away by their title; the
    wrong dates are the dates of other events of the same kind."""
    for fact in record.certain:
        prompt = _when_prompt(fact, record)
        if prompt is None:
            continue
        key = f"when:{fact.id}"
        distractors = spread_pick(_ordinal(fact.date), other_dates(fact, record), key)
        answer_day = date_span(fact.date)[0]
        close = any(abs((date_span(d)[0] - answer_day).days) < CLOSE_DAYS for d in distractors)
        yield make_question(
            key=key,
            question_type=QuestionType.WHEN,
            prompt=prompt,
            answer=fact.date.display(),
            distractors=[d.display() for d in distractors],
            explanation=explain(f"Date on record: {fact.date_text}", fact),
            fact=fact,
            difficulty=rate(fame(fact, record), close),
        )


def nuclear_count_questions(record: FactRecord) -> Iterator[Question | None]:
    """ "How many nuclear tests by the end of year Y?" while every test is on record with a certain date."""
    tests = sorted(record.of_kind("nuclear_test", certain=False), key=lambda t: t.date)
    numbers = [int(t.figures["test_number"]) for t in tests]
    # A count is only right if every test is in the record with a certain date.
    if not tests or numbers != list(range(1, len(tests) + 1)) or any(t.date_uncertain for t in tests):
        return
    years = list(range(tests[0].date.year, tests[-1].date.year + 1))
    if record.latest.year - 1 > years[-1]:
        years.append(record.latest.year - 1)  # a complete year well after the last test
    # Wrong counts: every count from 1 to two more than the total, so the right one can be anywhere.
    counts = range(1, len(tests) + 3)
    for year in years:
        done = [t for t in tests if t.date.year <= year]
        count = len(done)
        key = f"test-count:{year}"
        distractors = spread_pick(count, [(n, n) for n in counts if n != count], key)
        dates = "; ".join(t.date.display() for t in done)
        noun = "test" if count == 1 else "tests"
        yield make_question(
            key=key,
            question_type=QuestionType.TEST_COUNT,
            prompt=f"How many nuclear tests had North Korea carried out by the end of {year}?",
            answer=str(count),
            distractors=[str(n) for n in distractors],
            explanation=explain(f"By the end of {year}: {count} nuclear {noun} ({dates})", done[-1]),
            fact=done[-1],
            difficulty=2,
        )
