"""What the fact store returns: frozen records of facts and their summaries."""

from __future__ import annotations

from dataclasses import dataclass

from bot.facts.model.fact import Category, Fact, FactDate


@dataclass(frozen=True)
class FactRef:
    """Enough of a fact to name and link it."""

    id: str
    title: str
    kind: str
    date: FactDate


@dataclass(frozen=True)
class FactDetail:
    """A fact with the facts it links to and the facts that answer it (for a full card)."""

    fact: Fact
    related: tuple[FactRef, ...]
    responds_to: tuple[FactRef, ...]
    responses: tuple[FactRef, ...]


@dataclass(frozen=True)
class SearchCandidate:
    """A full-text match with its bm25 rank (lower is better)."""

    fact: Fact
    rank: float


@dataclass(frozen=True)
class StatPoint:
    """One fact reduced to what the statistics and the chart need."""

    kind: str
    date: FactDate
    system_classes: tuple[str, ...]


@dataclass(frozen=True)
class FactPage:
    facts: tuple[Fact, ...]
    total: int


@dataclass(frozen=True)
class SeedReport:
    added: int
    updated: int
    unchanged: int
    kept_edits: tuple[str, ...]
    version: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or would do, for a dry run)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    rejected: tuple[tuple[str, str], ...] = ()
    applied: bool = False


@dataclass(frozen=True)
class FactFilter:
    """Filters for paginated listings; every field optional."""

    category: Category | None = None
    kinds: tuple[str, ...] = ()
    start: str | None = None  # inclusive ISO prefix, e.g. "2016" or "2016-02-01"
    end: str | None = None  # inclusive ISO prefix
    issuer: str | None = None
    system: str | None = None
    newest_first: bool = False
