"""What answering returns: the Answer /search shows, the store queries answering needs, and counted
answers (shared by typed answers and ranked counts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.facts.model.fact import Category, Fact
from bot.facts.model.search import CandidateSource
from bot.facts.model.selection import TypedSelection


class AnswerSource(CandidateSource, Protocol):
    async def gram_candidates(
        self, grams: Sequence[str], *, category: Category | None = None, limit: int = 40
    ) -> list: ...

    async def word_document_counts(self, words: Sequence[str]) -> tuple[int, dict[str, int]]: ...

    async def typed_count(self, selection: TypedSelection) -> int: ...

    async def typed_missiles(self, selection: TypedSelection) -> int: ...

    async def typed_ids(
        self, selection: TypedSelection, *, newest_first: bool = False, offset: int = 0, limit: int = -1
    ) -> list[str]: ...

    async def typed_best(
        self, selection: TypedSelection, figure: str, *, largest: bool, place: int = 1
    ) -> str | None: ...

    async def typed_holding(self, selection: TypedSelection, words: Sequence[str]) -> frozenset[int]: ...

    async def facts_by_ids(self, ids: Sequence[str]) -> list[Fact]: ...

    async def responses_to(self, ids: Sequence[str], kinds: Sequence[str]) -> list[Fact]: ...

    async def typed_naming(self, selection: TypedSelection, gram: str) -> frozenset[int]: ...

    async def answers_to(
        self,
        ids: Sequence[str],
        kinds: Sequence[str],
        *,
        issuer: str | None,
        limit: int,
        years: Sequence[int] = (),
        months: Sequence[int] = (),
    ) -> list[Fact]: ...


@dataclass(frozen=True)
class Answer:
    """What /search and `ask` show.

    kind "fact": `facts` best first. kind "count": `count` is the number asked for and `facts` the facts
    counted, newest first. kind "refused": the record does not answer it; `facts` is empty and
    `suggestions` holds up to 5 facts on nearby topics. `lead` is a sentence to show first."""

    kind: Literal["fact", "count", "refused"]
    facts: tuple[Fact, ...]
    lead: str
    count: int | None = None
    confidence: float = 0.0
    suggestions: tuple[Fact, ...] = ()

    @property
    def refused(self) -> bool:
        return self.kind == "refused"

    @property
    def best(self) -> Fact | None:
        return self.facts[0] if self.facts else None


def count_answer(facts: Sequence[Fact], count: int, unit: str, confidence: float) -> Answer:
    newest_first = tuple(sorted(facts, key=lambda f: f.date.iso(), reverse=True))
    noun = unit or plural(newest_first[0])
    lead = f"{count} {noun} in the record" if count != 1 else f"1 {noun.rstrip('s')} in the record"
    return Answer("count", newest_first, lead, count=count, confidence=confidence)


def plural(fact: Fact) -> str:
    return {
        "nuclear_test": "nuclear tests",
        "missile_launch": "launch days",
        "satellite_launch": "launch days",
        "un_resolution": "UN resolutions",
        "un_draft": "vetoed or failed drafts",
        "unilateral": "sanctions measures",
        "summit": "meetings",
        "multilateral": "rounds",
    }.get(fact.kind, "facts")
