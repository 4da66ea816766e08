"""What every generator works from: the current facts, and how well-known a fact is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from bot.facts.model.fact import Fact
from bot.quiz.model.distractors import fact_span

TEST_KINDS = ("nuclear_test", "missile_launch", "satellite_launch")
LAUNCH_KINDS = ("missile_launch", "satellite_launch")
# The resolutions every account of the sanctions names: after each nuclear test and the 2017 ICBMs.
MAJOR_RESOLUTIONS = frozenset({1718, 1874, 2094, 2270, 2321, 2371, 2375, 2397})
# Kinds most readers of the news know: nuclear tests, summits and the big agreements.
FAMOUS_KINDS = frozenset({"nuclear_test", "summit", "agreement"})
OBSCURE_KINDS = frozenset({"unilateral", "un_body", "un_draft"})
STRATEGIC_CLASSES = frozenset({"ICBM", "IRBM", "SLBM"})


@dataclass(frozen=True)
class FactRecord:
    """The facts a generation works from: every current fact, and those certain enough to ask about."""

    current: tuple[Fact, ...]
    certain: tuple[Fact, ...] = field(init=False)
    latest: date = field(init=False)

    def __post_init__(self) -> None:
        certain = tuple(f for f in self.current if not f.date_uncertain and f.sources)
        object.__setattr__(self, "certain", certain)
        latest = max((fact_span(f)[1] for f in self.current), default=date(2000, 1, 1))
        object.__setattr__(self, "latest", latest)

    @classmethod
    def of(cls, facts: Iterable[Fact]) -> FactRecord:
        """The record of the current (not retired) facts."""
        return cls(tuple(f for f in facts if not f.retired))

    def of_kind(self, *kinds: str, certain: bool = True) -> list[Fact]:
        """Facts of these kinds: only certain ones unless `certain` is False."""
        return [f for f in (self.certain if certain else self.current) if f.kind in kinds]

    def first_launches(self) -> dict[str, date]:
        """The first day each system was launched."""
        first: dict[str, date] = {}
        for fact in self.of_kind(*LAUNCH_KINDS, certain=False):
            for system in fact.figures.get("systems", ()):
                day = fact_span(fact)[0]
                first[system] = min(first.get(system, day), day)
        return first


def fame(fact: Fact, record: FactRecord) -> int:
    """How well-known a fact is: 0 (nuclear tests, ICBM firsts, major resolutions, summits), 1 or 2."""
    if fact.kind in FAMOUS_KINDS:
        return 0
    if fact.kind == "un_resolution":
        return 0 if int(fact.figures.get("resolution_number", 0)) in MAJOR_RESOLUTIONS else 1
    if fact.kind in ("missile_launch", "satellite_launch"):
        classes = set(fact.figures.get("system_classes", ()))
        first = record.first_launches()
        is_first = any(first.get(s) == fact_span(fact)[0] for s in fact.figures.get("systems", ()))
        if fact.kind == "satellite_launch" or "ICBM" in classes:
            return 0 if is_first else 1
        return 1 if classes & STRATEGIC_CLASSES or is_first else 2
    return 2 if fact.kind in OBSCURE_KINDS else 1


def rate(fact_fame: int, close_options: bool) -> int:
    """Difficulty 1-3 from how well-known the fact is and whether the options are close together."""
    return max(1, min(3, 1 + fact_fame + int(close_options)))
