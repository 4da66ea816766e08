"""The store's queries for question answering: full-text matches, Korean/Japanese character pairs, word
frequencies, the names of launched systems and the typed facts that counts and superlatives are computed
over."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from bot.db.database import Database
from bot.facts.model.fact import Category, Fact, FactDate
from bot.facts.store.records import SearchCandidate
from bot.facts.store.word_matches import RANKING_WINDOW, MatchesKept, WordMatches, best_matches

LAUNCH_KINDS = ("missile_launch", "satellite_launch")
TOPIC_ROWS = 5_000  # rows of topic_rows a round trip: a bounded amount of text in memory at once


IDS_PER_QUERY = 10_000  # bound on the ids bound into one statement
WORDS_PER_QUERY = 100  # words whose matches one statement reads (SQLite allows 500 SELECTs in a UNION)
# Column weights of bm25 (names, title, summary, body, tags): names and titles count most.
_BM25 = "bm25(facts_fts, 8.0, 10.0, 3.0, 1.0, 4.0)"
# One word's matches: its newest current facts (of a category, if one is given), with its bm25 part; the
# facts' ids and revisions from an index of current facts (migration 0011), not from their rows.
_WORD_MATCHES = f"""SELECT * FROM (
    SELECT ? AS word, f.rowid, f.id, f.revision, {_BM25}
    FROM facts_fts JOIN facts f INDEXED BY facts_current_by_rowid ON f.rowid = facts_fts.rowid
    WHERE facts_fts MATCH ? AND f.retired_at IS NULL AND (? IS NULL OR f.category = ?)
    ORDER BY facts_fts.rowid DESC LIMIT {RANKING_WINDOW})"""


RESPONSES_KEPT = 1_000  # responses_to's answers kept per facts version


class TypedRow(NamedTuple):
    """What typed answers select by: a fact's kind, dates and figures, never its text or sources."""

    id: str
    revision: int
    kind: str
    date: FactDate
    end_date: FactDate | None
    figures: Mapping[str, Any]


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
    _built: dict[str, Fact]
    _matches_kept: MatchesKept
    _reading_matches: asyncio.Lock
    _indexed_at: tuple[int, int, dict[str, int]] | None  # (facts version, current facts, words)
    _responses_kept: tuple[int, dict[tuple[tuple[str, ...], tuple[str, ...]], list[Fact]]]

    async def _facts_at(self, refs: Sequence[tuple[str, int]]) -> dict[str, Fact]:  # pragma: no cover
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
        facts = await self._facts_at([(row["id"], int(row["revision"])) for row in ranked])
        return [SearchCandidate(facts[row["id"]], float(row["rank"])) for row in ranked if row["id"] in facts]

    async def search_candidates(
        self,
        terms: Sequence[Sequence[str]],
        *,
        every_term: bool = False,
        category: Category | None = None,
        limit: int = 200,
    ) -> list[SearchCandidate]:
        """Facts holding the words of `terms` (each term a group of alternative words), best first by
        FTS5's bm25, names and titles weighing most: facts holding any of the words, or with
        `every_term` at least one word of each term. Each word's matches are read from SQLite once per
        version of the facts and kept (bot.facts.store.word_matches: what is kept, and how the
        RANKING_WINDOW newest matches of a word bound what a common word costs)."""
        if not terms:
            return []
        matches = await self._word_matches({word for term in terms for word in term}, category)
        ranked = best_matches(terms, matches, every_term=every_term, limit=limit)
        facts = await self._facts_at([(r.id, r.revision) for r in ranked])
        return [SearchCandidate(facts[r.id], r.rank) for r in ranked if r.id in facts]

    async def _word_matches(self, words: Iterable[str], category: Category | None) -> dict[str, WordMatches]:
        """Each word's matches: those kept if the facts have not changed since, the others read (all of
        them in one statement) and kept. One read at a time: questions asked together (a burst) wait for
        it and share what it read instead of reading the same common words over and over."""
        kept, wanted = self._matches_kept, category.value if category else None
        kept.for_version(await self.db.facts_version())
        found: dict[str, WordMatches] = {}
        missing = self._kept_matches(words, wanted, found)
        if not missing:
            return found
        async with self._reading_matches:
            version = await self.db.facts_version()
            kept.for_version(version)
            missing = self._kept_matches(missing, wanted, found)  # read while this one waited
            for start in range(0, len(missing), WORDS_PER_QUERY):
                chunk = missing[start : start + WORDS_PER_QUERY]
                for word, matches in (await self._read_word_matches(chunk, wanted)).items():
                    found[word] = matches
                    kept.put(word, wanted, matches, version)
        return found

    def _kept_matches(
        self, words: Iterable[str], category: str | None, found: dict[str, WordMatches]
    ) -> list[str]:
        """Put the kept matches of `words` in `found`; the words without any, in a list."""
        missing = []
        for word in words:
            matches = self._matches_kept.get(word, category)
            if matches is None:
                missing.append(word)
            else:
                found[word] = matches
        return missing

    async def _read_word_matches(self, words: Sequence[str], category: str | None) -> dict[str, WordMatches]:
        sql = " UNION ALL ".join([_WORD_MATCHES] * len(words))
        # Every word quoted: user text never reaches FTS5 as syntax.
        params = [
            p for word in words for p in (word, '"' + word.replace('"', '""') + '"', category, category)
        ]
        rows: dict[str, list[tuple[int, str, int, float]]] = {word: [] for word in words}
        for row in await self.db.fetch_all(sql, params):
            rows[row[0]].append((int(row[1]), row[2], int(row[3]), float(row[4])))
        return {word: WordMatches.from_rows(matched) for word, matched in rows.items()}

    async def current_count(self) -> int:
        """How many facts are current, read once per version of the facts (a scan of the facts table)."""
        return (await self._indexed())[0]

    async def word_document_counts(self, words: Iterable[str]) -> tuple[int, dict[str, int]]:
        """How many facts are current, and how many facts hold each of `words` (0: none)."""
        total, indexed = await self._indexed()
        return total, {word: indexed.get(word, 0) for word in sorted(set(words))}

    async def indexed_words(self) -> Mapping[str, int]:
        """Every word of the search index and how many facts hold it: what misspellings are corrected to."""
        return (await self._indexed())[1]

    async def _indexed(self) -> tuple[int, Mapping[str, int]]:
        """How many facts are current, and the index's words with how many facts hold each: read once per
        version of the facts (a scan of the facts table and of the whole index) and kept."""
        version = await self.db.facts_version()
        if self._indexed_at is None or self._indexed_at[0] != version:
            row = await self.db.fetch_one("SELECT count(*) FROM facts WHERE retired_at IS NULL")
            rows = await self.db.fetch_all("SELECT term, doc FROM facts_fts_terms")
            words = {str(term): int(count) for term, count in rows}
            self._indexed_at = (version, int(row[0]) if row else 0, words)
        return self._indexed_at[1], self._indexed_at[2]

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
        if wanted:  # from the index of systems (migration 0011), not every launch's figures
            clauses.append(
                f"rowid IN (SELECT fact_rowid FROM fact_systems WHERE system IN ({','.join('?' * len(wanted))}))"
            )
            params += wanted
        sql = f"""SELECT id, revision, kind, date, end_date, figures FROM facts
                  WHERE {" AND ".join(clauses)} ORDER BY date, id"""
        return [self._typed_row(row) for row in await self.db.fetch_all(sql, params)]

    def _typed_row(self, row: Sequence[Any]) -> TypedRow:
        """A row of typed_rows as a TypedRow, from the fact if it is built at this revision (its figures
        are read already)."""
        fact_id, revision = row[0], int(row[1])
        built = self._built.get(fact_id)
        if built is not None and built.revision == revision:
            return TypedRow(fact_id, revision, built.kind, built.date, built.end_date, built.figures)
        end_date = FactDate.parse(row[4]) if row[4] else None
        return TypedRow(fact_id, revision, row[2], FactDate.parse(row[3]), end_date, json.loads(row[5]))

    async def facts_by_ids(self, ids: Sequence[str]) -> list[Fact]:
        """The current facts with these ids, in the order of `ids` (built ones reused)."""
        found: dict[str, Fact] = {}
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[start : start + IDS_PER_QUERY]
            where = f"f.id IN ({','.join('?' * len(chunk))})"
            found |= {fact.id: fact for fact in await self._facts_where(where, chunk)}
        return [found[i] for i in ids if i in found]

    async def responses_to(self, ids: Sequence[str], kinds: Sequence[str]) -> list[Fact]:
        """Current facts of these kinds whose `responds_to` names one of `ids`, oldest first (date, id).
        Kept for the facts' version: the same few tests are asked about again and again."""
        version = await self.db.facts_version()
        if self._responses_kept[0] != version:
            self._responses_kept = (version, {})
        kept = self._responses_kept[1]
        key = (tuple(ids), tuple(kinds))
        if key not in kept:
            if len(kept) >= RESPONSES_KEPT:
                kept.clear()
            kept[key] = await self._read_responses_to(ids, kinds)
        return list(kept[key])

    async def _read_responses_to(self, ids: Sequence[str], kinds: Sequence[str]) -> list[Fact]:
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
