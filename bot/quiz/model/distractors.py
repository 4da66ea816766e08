"""Wrong answers that are plausible but never true: nearby dates, other systems, other party lists.

Each helper errs on the side of leaving a candidate out: a question with a distractor that is also
arguably right is worse than a question not asked.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from bot.facts.model.fact import DatePrecision, Fact, FactDate
from bot.quiz.model.questions import MAX_OPTION, seeded_random

# Dates in the record are local (KST for events in Korea, New York for the UN), so a day either side
# can be "true" somewhere; distractor dates keep this many days away from any real date they avoid.
DATE_MARGIN_DAYS = 3

Span = tuple[date, date]


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


def _shift_months(value: FactDate, months: int) -> FactDate | None:
    if value.month is None:
        return None
    year, month0 = divmod(value.year * 12 + value.month - 1 + months, 12)
    if value.day is not None and value.day > calendar.monthrange(year, month0 + 1)[1]:
        return None
    return FactDate(year, month0 + 1, value.day)


def _shift_years(value: FactDate, years: int) -> FactDate | None:
    if value.month == 2 and value.day == 29 and not calendar.isleap(value.year + years):
        return None
    return FactDate(value.year + years, value.month, value.day)


def date_distractors(answer: FactDate, avoid: Sequence[Span], latest: date, seed: str) -> list[FactDate]:
    """Three dates near `answer`, at its precision, that are not the answer and keep
    DATE_MARGIN_DAYS away from every span in `avoid` (the fact's own span and those of its kind).

    Day and month dates get two dates in the same era by month and one by year (same day of
    another month, the same day a year off); year dates get years 1-3 away. Nothing after `latest`
    (the newest date in the record), so no option is obviously in the future.
    """
    rng = seeded_random("dates", seed)
    if answer.precision is DatePrecision.YEAR:
        by_month: list[FactDate | None] = []
        by_year = [_shift_years(answer, n) for n in (-3, -2, -1, 1, 2, 3)]
    else:
        by_month = [_shift_months(answer, n) for n in (-4, -3, -2, -1, 1, 2, 3, 4)]
        by_year = [_shift_years(answer, n) for n in (-2, -1, 1, 2)]
    rng.shuffle(by_month)
    rng.shuffle(by_year)
    # Interleave so the three picks mix kinds of shift: month, year, month, then the rest.
    ordered = by_month[:1] + by_year[:1] + by_month[1:] + by_year[1:]
    chosen: list[FactDate] = []
    for candidate in ordered:
        if candidate is None or candidate.display() == answer.display():
            continue
        span = date_span(candidate)
        if span[1] > latest or candidate.year < 1945:
            continue
        if any(spans_overlap(span, other, DATE_MARGIN_DAYS) for other in avoid):
            continue
        if any(c.display() == candidate.display() for c in chosen):
            continue
        chosen.append(candidate)
        if len(chosen) == 3:
            break
    return chosen


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


# --- participants --------------------------------------------------------------------------------

# The parties that sat at the table in North Korea talks, in the order options list them.
PARTIES = ("DPRK", "South Korea", "US", "China", "Japan", "Russia")


def participants_text(parties: Iterable[str]) -> str:
    """`DPRK, South Korea and US` in a fixed order, so two options never differ only by order."""
    order = {name: i for i, name in enumerate(PARTIES)}
    names = sorted(set(parties), key=lambda p: (order.get(p, len(order)), p))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def participant_distractors(parties: frozenset[str], seed: str) -> list[frozenset[str]]:
    """Three other party lists close to the real one: one party swapped, added or left out.

    Each differs from the real list, so as an answer to "who took part" (the full list) it is false.
    """
    present = sorted(parties - {"DPRK"})
    absent = [p for p in PARTIES if p not in parties]
    swapped = [parties - {p} | {q} for p in present for q in absent]
    added = [parties | {q} for q in absent]
    dropped = [parties - {p} for p in present] if len(parties) > 2 else []
    rng = seeded_random("parties", seed)
    for group in (swapped, added, dropped):
        rng.shuffle(group)
    ordered = swapped[:1] + (added + dropped)[:1] + swapped[1:] + added + dropped
    chosen: list[frozenset[str]] = []
    for candidate in ordered:
        if candidate != parties and candidate not in chosen and len(candidate) >= 2:
            chosen.append(candidate)
    return chosen[:3]


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
