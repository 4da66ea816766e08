"""A synthetic fact store of any size with realistic text and dates: every fact is a variant of a real
one (same kind, sources and structure), with its date moved, its title and text re-worded from the
dataset's own vocabulary, and its links pointing at other variants of the same batch."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import replace

from bot.facts.model.fact import Fact, FactDate

# Real facts span 1985-2026; variants spread over the same decades.
FIRST_YEAR, LAST_YEAR = 1950, 2026


def synthetic_facts(real: Sequence[Fact], count: int, *, seed: int = 20260101) -> Iterator[Fact]:
    """`count` facts derived from `real`, deterministic for a seed."""
    rng = random.Random(seed)
    vocabulary = sorted(
        {word for fact in real for word in f"{fact.title} {fact.summary}".split() if word.isalpha()}
    )
    batch = 0
    produced = 0
    while produced < count:
        batch += 1
        suffix = f"-v{batch}"
        for fact in real:
            if produced >= count:
                return
            produced += 1
            yield _variant(fact, suffix, rng, vocabulary)


def _variant(fact: Fact, suffix: str, rng: random.Random, vocabulary: list[str]) -> Fact:
    extra = " ".join(rng.sample(vocabulary, 3))
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    day = None if fact.date.day is None else min(fact.date.day, 28)  # every month has a 28th
    date = FactDate(year, fact.date.month, day)
    end = None
    if fact.end_date is not None and (span := fact.end_date.year - fact.date.year) > 0:
        end = FactDate(year + span, fact.end_date.month, None) if year + span <= LAST_YEAR else None
    return replace(
        fact,
        id=(fact.id + suffix)[:64],
        title=f"{fact.title} ({extra})",
        summary=f"{fact.summary} {' '.join(rng.sample(vocabulary, 6))}",
        body=f"{fact.body} {' '.join(rng.sample(vocabulary, 12))}",
        date=date,
        end_date=end,
        aliases=tuple(f"{alias} {year}" for alias in fact.aliases),
        related=tuple(target + suffix for target in fact.related),
        responds_to=tuple(target + suffix for target in fact.responds_to),
    )
