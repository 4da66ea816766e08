"""Wrong answers that are plausible but never true: real values of other facts of the same kind.

Each helper errs on the side of leaving a candidate out: a question with a distractor that is also
arguably right is worse than a question not asked.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TypeVar

from bot.facts.model.fact import Fact, FactDate
from bot.quiz.model.questions import MAX_OPTION, seeded_random

# Dates in the record are local (KST for events in Korea, New York for the UN), so a day either side
# can be "true" somewhere; distractor dates keep this many days away from any real date they avoid.
DATE_MARGIN_DAYS = 3

Span = tuple[date, date]
T = TypeVar("T")


def spread_pick(
    answer: float, candidates: Sequence[tuple[float, T]], seed: object, count: int = 3
) -> list[T]:
    """`count` candidates (each with the value it is ordered by) around `answer`, so that the answer's
    rank among the options is drawn at random: the earliest, the latest or in between equally often.

    Picking the nearest values on both sides would put the answer in the middle every time, which
    "pick the median option" guesses. The wrong values come from the nearest few on each side, so the
    options stay close. Empty when fewer than `count` candidates differ from the answer.
    """
    rng = seeded_random("spread", seed)
    below = sorted((c for c in candidates if c[0] < answer), key=lambda c: -c[0])
    above = sorted((c for c in candidates if c[0] > answer), key=lambda c: c[0])
    ranks = [r for r in range(count + 1) if r <= len(below) and count - r <= len(above)]
    if not ranks:
        return []
    rank = rng.choice(ranks)
    picked = rng.sample(below[: 2 * rank], rank) + rng.sample(above[: 2 * (count - rank)], count - rank)
    return [value for _, value in picked]


# --- dates ---------------------------------------------------------------------------------------


def date_span(value: FactDate) -> Span:
    """The first and last day a date written at its precision can mean."""
    if value.month is None:
        return date(value.year, 1, 1), date(value.year, 12, 31)
    last = calendar.monthrange(value.year, value.month)[1]
    if value.day is None:
        return date(value.year, value.month, 1), date(value.year, value.month, last)
    day = date(value.year, value.month, value.day)
    return day, day


def fact_span(fact: Fact) -> Span:
    """From the first possible day of `date` to the last possible day of `end_date` (or `date`)."""
    return date_span(fact.date)[0], date_span(fact.end_date or fact.date)[1]


def spans_overlap(a: Span, b: Span, margin_days: int = 0) -> bool:
    """True if the spans share a day, or come within `margin_days` of each other."""
    margin = timedelta(days=margin_days)
    return a[0] <= b[1] + margin and b[0] <= a[1] + margin


_MONTHS = "|".join(calendar.month_name[1:])
_NUMBERED_NAME = re.compile(r"\b(?:Resolution|resolution|Order|No\.?|Law)\s+\d{3,6}\b")
# A year is four digits on their own, also inside a reference such as "2006/795/CFSP".
_DATE_WORDS = re.compile(rf"\b(?:{_MONTHS})\b|(?<!\d)(?:19|20)\d\d(?!\d)")


def mentions_a_date(text: str) -> bool:
    """True if `text` names a month or a year (resolution and order numbers do not count), so using
    it in a date question would give the answer away."""
    return bool(_DATE_WORDS.search(_NUMBERED_NAME.sub("", text)))


# --- labels --------------------------------------------------------------------------------------

_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}
_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd."""
    suffix = "th" if 10 <= number % 100 <= 20 else _SUFFIXES.get(number % 10, "th")
    return f"{number}{suffix}"


def ordinal_word(number: int) -> str:
    """first … ninth, then 10th, 11th."""
    return _ORDINAL_WORDS[number - 1] if 1 <= number <= len(_ORDINAL_WORDS) else ordinal(number)


def short_title(fact: Fact, limit: int) -> str | None:
    """The fact's title without a trailing parenthesis, or the part before a colon if that is needed
    to fit `limit` or to drop a date; None if no form fits without naming a date."""
    title = re.sub(r"\s*\([^()]*\)$", "", fact.title).strip() or fact.title
    for form in (title, title.split(":", 1)[0].strip()):
        if 8 <= len(form) <= limit and not mentions_a_date(form):
            return form
    return None


def weapons_test_label(fact: Fact) -> str:
    """A test named by what it was and when: `6th nuclear test (September 2017)`,
    `Hwasong-15 launch (29 November 2017)`."""
    if fact.kind == "nuclear_test":
        month = FactDate(fact.date.year, fact.date.month)
        return f"{ordinal(int(fact.figures['test_number']))} nuclear test ({month.display()})"
    if fact.kind == "satellite_launch":
        what = fact.figures.get("payload") or " / ".join(fact.figures["systems"])
        return f"{what} satellite launch ({fact.date.display()})"
    return f"{' / '.join(fact.figures['systems'])} launch ({fact.date.display()})"


# --- systems -------------------------------------------------------------------------------------

_UNSPECIFIC = ("unidentified", "unknown", "new-type", "possibly", "suspected")
_CODE = re.compile(r"\bKN-?\d+\b", re.IGNORECASE)


def identified_system(name: str) -> bool:
    """A system named specifically enough to be a quiz answer ("Hwasong-15", not "Unidentified SRBM")."""
    lowered = name.lower()
    return not any(word in lowered for word in _UNSPECIFIC)


def _stem(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.split(" (", 1)[0].lower())


def _codes(name: str) -> set[str]:
    return {re.sub(r"[^a-z0-9]", "", code.lower()) for code in _CODE.findall(name)}


def confusable_systems(a: str, b: str) -> bool:
    """Names that could be the same missile or a variant of it: one stem starts the other
    (Hwasong-12 / Hwasong-12A, Scud-C / Scud-C MaRV) or they share a US code (KN-23)."""
    stem_a, stem_b = _stem(a), _stem(b)
    if stem_a.startswith(stem_b) or stem_b.startswith(stem_a):
        return True
    return bool(_codes(a) & _codes(b))


# --- sanctions measures --------------------------------------------------------------------------

# A measure that is itself a ban or a cap ("ban on …", "… capped at …"), not one that mentions
# banned items in passing ("updates the lists of banned items").
_BAN_OR_CAP = re.compile(r"^(?:total )?ban\b|\b(?:caps|capped)\b", re.IGNORECASE)
# Words that say what kind of rule a measure is, not what it covers; two measures sharing only
# these are about different things.
_GENERIC_WORDS = frozenset(
    """ban bans banned cap caps capped dprk dprk's north korea korean exports export imports import
    from with supplying supply supplied states state other year years total except including such that
    this into their each must more than which whichever lower purposes items related listed persons
    entities individuals million tonnes barrels sales selling sell trade new all and the for any
    also only under after before within a an of on to by or in at as""".split()
)
# Different words for one thing, folded so "arms" and "weapons" count as the same subject.
_SAME_SUBJECT = {
    "weapons": "arms",
    "weapon": "arms",
    "materiel": "arms",
    "petroleum": "oil",
    "crude": "oil",
    "fuel": "oil",
    "condensates": "oil",
    "gas": "oil",
    "workers": "labour",
    "work": "labour",
    "nationals": "labour",
    "ships": "vessels",
    "vessel": "vessels",
    "fishing": "seafood",
    "fish": "seafood",
    "steel": "metals",
    "iron": "metals",
    "metal": "metals",
}


def is_ban_or_cap(measure: str) -> bool:
    """True for a measure that is itself a ban or a cap."""
    return bool(_BAN_OR_CAP.search(measure))


def measure_subjects(measure: str) -> set[str]:
    """The words saying what a measure covers ("coal", "oil", "labour"), for spotting overlaps."""
    words = re.findall(r"[a-z]+", measure.lower())
    return {_SAME_SUBJECT.get(w, w) for w in words if len(w) > 2 and w not in _GENERIC_WORDS}


def sentence_case(text: str) -> str:
    """The text with a capital first letter, as an option shows it."""
    return text[:1].upper() + text[1:]


# Words too common in the record to link two events ("North Korea", "sanctions").
COMMON_WORDS = frozenset(
    "north korea korean koreas resolution sanctions nuclear states united nations after against".split()
)


def shared_words(a: str, b: str) -> bool:
    """True if two labels share a distinctive word (five letters or more, not a common one)."""

    def words(text: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 5 and w not in COMMON_WORDS}

    return bool(words(a) & words(b))


def distinct_labels(answer: str, candidates: Iterable[str], count: int = 3) -> list[str]:
    """Up to `count` labels unlike the answer and each other, short enough to be an option."""
    chosen: list[str] = []
    for label in candidates:
        if len(label) <= MAX_OPTION and label.casefold() not in {
            answer.casefold(),
            *map(str.casefold, chosen),
        }:
            chosen.append(label)
            if len(chosen) == count:
                break
    return chosen
