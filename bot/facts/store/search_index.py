"""The store's queries for question answering: Korean/Japanese character pairs, word frequencies, the
names of launched systems and the typed facts that counts and superlatives are computed over."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import aiosqlite

from bot.db.database import Database
from bot.facts.model.fact import Category, Fact, FactDate
from bot.facts.store.records import SearchCandidate

LAUNCH_KINDS = ("missile_launch", "satellite_launch")
TOPIC_ROWS = 5_000  # rows of topic_rows a round trip: a bounded amount of text in memory at once


IDS_PER_QUERY = 10_000  # bound on the ids bound into one statement


class TypedRow(NamedTuple):
    """What typed answers select by: a fact's kind, dates and figures, never its text or sources."""

    id: str
    revision: int
    kind: str
    date: FactDate
    end_date: FactDate | None
    figures: dict[str, Any]


class TopicRow(NamedTuple):
    rowid: int
    year: int
    title: str
    aliases: tuple[str, ...]
    summary: str
    figures: dict[str, Any]  # participants, issuer, resolution_number (null when absent)


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

    async def current_count(self) -> int:
        """How many facts are current, read once per version of the facts (a scan of the facts table)."""
        version = await self.db.facts_version()
        cached = getattr(self, "_current_count", None)
        if cached is not None and cached[0] == version:
            return int(cached[1])
        row = await self.db.fetch_one("SELECT count(*) FROM facts WHERE retired_at IS NULL")
        total = int(row[0]) if row else 0
        self._current_count = (version, total)
        return total

    async def word_document_counts(self, words: Iterable[str]) -> tuple[int, dict[str, int]]:
        """How many facts are indexed, and how many of them hold each of `words` (0: none)."""
        wanted = sorted(set(words))
        total = await self.current_count()
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
        sql = f"""SELECT DISTINCT json_extract(figures, '$.systems'), aliases FROM facts
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

    async def topic_rows(self, after: int = 0, limit: int = TOPIC_ROWS) -> list[TopicRow]:
        """Current facts' names, summary, year and the figures naming states and numbers, by rowid after
        `after`: what the record's names are built from (bot.facts.model.topics), a chunk at a time."""
        sql = """SELECT rowid, date, title, aliases, summary, json_object('participants',
                        figures -> '$.participants', 'issuer', figures -> '$.issuer',
                        'resolution_number', figures -> '$.resolution_number')
                 FROM facts WHERE rowid > ? AND retired_at IS NULL ORDER BY rowid LIMIT ?"""
        return [
            TopicRow(
                int(row[0]),
                FactDate.parse(row[1]).year,
                row[2],
                tuple(json.loads(row[3])),
                row[4],
                json.loads(row[5]),
            )
            for row in await self.db.fetch_all(sql, (after, limit))
        ]

    async def typed_rows(
        self,
        kinds: Sequence[str],
        *,
        years: Sequence[int] = (),
        months: Sequence[int] = (),
        period: tuple[str, str] | None = None,
        systems: Iterable[str] = (),
    ) -> list[TypedRow]:
        """Every current fact of these kinds as a TypedRow, oldest first (date, then id), narrowed in SQL
        by any years, months, period (ISO dates) and systems (one of them in `systems`) given."""
        if not kinds:
            return []
        clauses = [f"kind IN ({','.join('?' * len(kinds))})", "retired_at IS NULL"]
        params: list[Any] = list(kinds)
        if years:
            clauses.append("(" + " OR ".join("(date >= ? AND date < ?)" for _ in years) + ")")
            params += [str(v) for year in years for v in (year, year + 1)]
        if months:
            clauses.append(f"substr(date, 6, 2) IN ({','.join('?' * len(months))})")
            params += [f"{month:02d}" for month in months]
        if period is not None:
            clauses.append("date >= ? AND date <= ?")
            params += list(period)
        wanted = sorted(systems)
        if wanted:
            clauses.append(
                "EXISTS (SELECT 1 FROM json_each(figures, '$.systems') s "
                f"WHERE s.value IN ({','.join('?' * len(wanted))}))"
            )
            params += wanted
        sql = f"""SELECT id, revision, kind, date, end_date, figures FROM facts
                  WHERE {" AND ".join(clauses)} ORDER BY date, id"""
        return [
            TypedRow(
                row[0],
                int(row[1]),
                row[2],
                FactDate.parse(row[3]),
                FactDate.parse(row[4]) if row[4] else None,
                json.loads(row[5]),
            )
            for row in await self.db.fetch_all(sql, params)
        ]

    async def facts_by_ids(self, ids: Sequence[str]) -> list[Fact]:
        """The current facts with these ids, in the order of `ids` (built ones reused)."""
        found: dict[str, Fact] = {}
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[start : start + IDS_PER_QUERY]
            where = f"f.id IN ({','.join('?' * len(chunk))})"
            found |= {fact.id: fact for fact in await self._facts_where(where, chunk)}
        return [found[i] for i in ids if i in found]

    async def responses_to(self, ids: Sequence[str], kinds: Sequence[str]) -> list[Fact]:
        """Current facts of these kinds whose `responds_to` names one of `ids`, oldest first (date, id)."""
        found: dict[str, Fact] = {}
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[start : start + IDS_PER_QUERY]
            where = f"""f.kind IN ({",".join("?" * len(kinds))}) AND f.id IN (
                SELECT from_id FROM fact_links
                WHERE relation = 'responds_to' AND to_id IN ({",".join("?" * len(chunk))}))"""
            found |= {fact.id: fact for fact in await self._facts_where(where, [*kinds, *chunk])}
        return sorted(found.values(), key=lambda f: (f.date.iso(), f.id))

    async def current_facts(self) -> list[Fact]:
        """Every current fact, oldest first: what the record's names are built from."""
        return await self._facts_where("1 = 1", [])
