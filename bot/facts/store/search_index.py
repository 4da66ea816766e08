"""The store's queries for question answering: Korean/Japanese character pairs, word frequencies, the
names of launched systems and the typed facts that counts and superlatives are computed over."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite

from bot.db.database import Database
from bot.facts.model.fact import Category, Fact
from bot.facts.store.records import SearchCandidate

LAUNCH_KINDS = ("missile_launch", "satellite_launch")


class SearchIndexQueries:
    """Mixed into FactStore: needs its database and its cache of built facts."""

    db: Database

    async def _facts_at(self, refs: Sequence[aiosqlite.Row]) -> dict[str, Fact]:  # pragma: no cover
        raise NotImplementedError

    async def _facts_where(
        self,
        where: str,
        params: Iterable[Any],
        *,
        include_retired: bool = False,
        order_by: str = "f.date, f.id",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Fact]:  # pragma: no cover
        raise NotImplementedError

    async def gram_candidates(
        self, grams: Sequence[str], *, category: Category | None = None, limit: int = 40
    ) -> list[SearchCandidate]:
        """Facts whose names share character pairs with `grams` (migration 0006), best first."""
        if not grams:
            return []
        expression = " OR ".join('"' + g.replace('"', "") + '"' for g in grams)
        sql = """
            SELECT f.id, f.revision, f.retired_at, bm25(facts_grams) AS rank
            FROM facts_grams JOIN facts f ON f.rowid = facts_grams.rowid
            WHERE facts_grams MATCH ? AND f.retired_at IS NULL AND (? IS NULL OR f.category = ?)
            ORDER BY rank LIMIT ?"""
        wanted = category.value if category else None
        ranked = await self.db.fetch_all(sql, (expression, wanted, wanted, limit))
        facts = await self._facts_at(ranked)
        return [SearchCandidate(facts[row["id"]], float(row["rank"])) for row in ranked if row["id"] in facts]

    async def word_document_counts(self, words: Iterable[str]) -> tuple[int, dict[str, int]]:
        """How many facts are indexed, and how many of them hold each of `words` (0: none)."""
        wanted = sorted(set(words))
        total_row = await self.db.fetch_one("SELECT count(*) FROM facts WHERE retired_at IS NULL")
        total = int(total_row[0]) if total_row else 0
        counts = dict.fromkeys(wanted, 0)
        if wanted:
            sql = f"SELECT term, doc FROM facts_fts_terms WHERE term IN ({','.join('?' * len(wanted))})"
            counts |= {row[0]: int(row[1]) for row in await self.db.fetch_all(sql, wanted)}
        return total, counts

    async def indexed_words(self) -> dict[str, int]:
        """Every word of the search index and how many facts hold it: what misspellings are corrected to."""
        rows = await self.db.fetch_all("SELECT term, doc FROM facts_fts_terms")
        return {str(row[0]): int(row[1]) for row in rows}

    async def launch_names(self) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """Each current launch fact's systems and aliases: the vocabulary of system names."""
        sql = f"""SELECT json_extract(figures, '$.systems'), aliases FROM facts
                  WHERE kind IN ({",".join("?" * len(LAUNCH_KINDS))}) AND retired_at IS NULL"""
        return [
            (tuple(json.loads(row[0] or "[]")), tuple(json.loads(row[1] or "[]")))
            for row in await self.db.fetch_all(sql, LAUNCH_KINDS)
        ]

    async def facts_of_kinds(self, kinds: Sequence[str]) -> list[Fact]:
        """Every current fact of these kinds, oldest first: what a count or a superlative is taken over."""
        if not kinds:
            return []
        return await self._facts_where(f"f.kind IN ({','.join('?' * len(kinds))})", list(kinds))

    async def current_facts(self) -> list[Fact]:
        """Every current fact, oldest first: what the record's names are built from."""
        return await self._facts_where("1 = 1", [])
