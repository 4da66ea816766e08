"""What answering returns: the Answer /search shows, the store queries answering needs, and counted
answers (shared by typed answers and ranked counts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Literal, Protocol

from bot.facts.model.dates import MONTH_NAMES
from bot.facts.model.fact import Category, Fact
from bot.facts.model.search import CandidateSource
from bot.facts.model.selection import LAUNCH_KINDS, MEETING_KINDS, TypedSelection


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
class CountScope:
    """What a count was narrowed to, said in its first line ("34 ICBM launch days in 2022"), so that the
    number is never read as the record's total."""

    named: tuple[str, ...] = ()  # the systems or missile classes counted, as the record writes them
    years: tuple[int, ...] = ()
    months: tuple[int, ...] = ()
    issuer: str | None = None  # a sanctioner's key, as in the figures' `issuer`
    outcome: str | None = None  # launches: "success" or "failure"
    narrowed: bool = False  # narrowed further by what the question says (words, outcome, period, ...)

    @classmethod
    def of(cls, selection: TypedSelection) -> CountScope:
        kinds = set(selection.kinds)
        narrowed = any(
            getattr(selection, field.name) != field.default
            for field in fields(selection)
            if field.name not in _SAID and _APPLIES.get(field.name, kinds) & kinds
        )
        return cls(
            named=tuple(sorted(selection.systems)) or tuple(sorted(selection.launch_classes)),
            years=tuple(sorted(selection.years)),
            months=tuple(sorted(selection.months)),
            issuer=selection.issuer if "unilateral" in kinds else None,
            outcome=selection.outcome if kinds & set(LAUNCH_KINDS) else None,
            narrowed=narrowed,
        )

    @property
    def said(self) -> bool:
        return bool(self.named or self.years or self.months or self.issuer or self.outcome)


# The conditions a count's first line says itself; and the kinds the others narrow (TypedSelection holds a
# fact of another kind to none of them: "participants" say nothing about sanctions measures).
_SAID = frozenset({"kinds", "years", "months", "systems", "launch_classes", "issuer", "outcome"})
_APPLIES = {
    "flags": set(LAUNCH_KINDS),
    "participants": set(MEETING_KINDS),
    "numbered_round": {"multilateral"},
    "six_or_more": {"multilateral"},
    "imposing": {"un_resolution"},
    "test_number": {"nuclear_test"},
}


# Sanctioners as the English lead names them (the card translates them from the figures' names).
ISSUERS_IN_ENGLISH = {"us": "the US", "japan": "Japan", "south_korea": "South Korea", "eu": "the EU"}


def count_lead(count: int, noun: str, scope: CountScope) -> str:
    """The first line of a counted answer, in English: "34 ICBM launch days in 2022", "14 sanctions
    measures by Japan", "6 nuclear tests in the record"."""
    noun = noun.removesuffix("s") if count == 1 else noun
    adjective = {"failure": "failed", "success": "successful"}.get(scope.outcome or "")
    named = "/".join(scope.named)  # every system or class asked about ("Hwasong-15/Hwasong-17")
    lead = f"{count} " + ("matching " if scope.narrowed else "")
    lead += " ".join(word for word in (adjective, named, noun) if word)
    if scope.issuer:
        lead += f" by {ISSUERS_IN_ENGLISH.get(scope.issuer, scope.issuer)}"
    when = [" and ".join(MONTH_NAMES[month] for month in scope.months), " and ".join(map(str, scope.years))]
    if any(when):
        lead += " in " + " ".join(part for part in when if part)
    return lead if scope.said or scope.narrowed else f"{lead} in the record"


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
    noun: str = ""  # kind "count": what was counted ("launch days"), and what it was narrowed to
    scope: CountScope = CountScope()

    @property
    def refused(self) -> bool:
        return self.kind == "refused"

    @property
    def best(self) -> Fact | None:
        return self.facts[0] if self.facts else None


def count_answer(
    facts: Sequence[Fact], count: int, unit: str, confidence: float, scope: CountScope = CountScope()
) -> Answer:
    newest_first = tuple(sorted(facts, key=lambda f: f.date.iso(), reverse=True))
    noun = unit or plural(newest_first[0])
    lead = count_lead(count, noun, scope)
    return Answer("count", newest_first, lead, count=count, confidence=confidence, noun=noun, scope=scope)


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
