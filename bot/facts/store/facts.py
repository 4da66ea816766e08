"""The fact store: seeding, lookups, listings, full-text candidates, import and export."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import aiosqlite

from bot.core.folding import name_key
from bot.db.database import Database
from bot.facts.model.fact import Category, Fact, FactDate, Source
from bot.facts.store.records import (
    FactDetail,
    FactFilter,
    FactPage,
    FactRef,
    StatPoint,
)
from bot.facts.store.rows import (
    CHECKED_SQL,
    escape_like,
    row_to_fact,
)
from bot.facts.store.search_index import SearchIndexQueries
from bot.facts.store.word_matches import RANKING_WINDOW, MatchesKept
from bot.facts.store.writes import FactWrites

BUILT_FACTS_CACHE_SIZE = 5_000
# Autocomplete compares at most this much of what was typed (Discord allows 100 characters).
MAX_NAME_KEY = 100
# What a name in fact_names is, best first: a title, an alias, an id (migration 0004).
NAME_KINDS = (0, 1, 2)


class FactStore(FactWrites, SearchIndexQueries):
    """Intent-named queries over facts. The only place facts meet SQL."""

    def __init__(self, db: Database):
        self.db = db
        # Built facts by id. Every change to a fact's content or state bumps its revision, so an entry is
        # reused only while the row's revision and retired state match (see _build_facts).
        self._built: dict[str, Fact] = {}
        self._matches_kept = MatchesKept()  # words' full-text matches (search_candidates)
        self._reading_matches = asyncio.Lock()
        self._indexed_at: tuple[int, int, dict[str, int]] | None = None  # see _indexed
        # responses_to's answers for the current facts version: (version, {(ids, kinds): facts}).
        self._responses_kept: tuple[int, dict[tuple[tuple[str, ...], tuple[str, ...]], list[Fact]]] = (-1, {})

    # --- reading ---------------------------------------------------------------------------------

    async def get_fact(self, fact_id: str, *, include_retired: bool = False) -> Fact | None:
        facts = await self._facts_where("f.id = ?", (fact_id,), include_retired=include_retired)
        return facts[0] if facts else None

    async def get_fact_detail(self, fact_id: str) -> FactDetail | None:
        fact = await self.get_fact(fact_id)
        return None if fact is None else await self.detail_of(fact)

    async def detail_of(self, fact: Fact) -> FactDetail:
        """The facts linked to `fact` (already loaded, e.g. by a search) and those answering it."""
        fact_id = fact.id
        sql = """
            SELECT l.relation, l.from_id = :id AS outgoing, t.id, t.title, t.kind, t.date
            FROM fact_links l
            JOIN facts t ON t.id = CASE WHEN l.from_id = :id THEN l.to_id ELSE l.from_id END
            WHERE (l.from_id = :id OR (l.to_id = :id AND l.relation = 'responds_to'))
              AND t.retired_at IS NULL
            ORDER BY t.date, t.id"""
        related, responds_to, responses = [], [], []
        for row in await self.db.fetch_all(sql, {"id": fact_id}):
            ref = FactRef(row["id"], row["title"], row["kind"], FactDate.parse(row["date"]))
            if not row["outgoing"]:
                responses.append(ref)
            elif row["relation"] == "responds_to":
                responds_to.append(ref)
            else:
                related.append(ref)
        return FactDetail(fact, tuple(related), tuple(responds_to), tuple(responses))

    async def get_resolution(self, number: int) -> Fact | None:
        facts = await self._facts_where(
            "f.kind = 'un_resolution' AND json_extract(f.figures, '$.resolution_number') = ?", (number,)
        )
        return facts[0] if facts else None

    async def resolution_numbers(self) -> list[int]:
        sql = """SELECT json_extract(figures, '$.resolution_number') FROM facts
                 WHERE kind = 'un_resolution' AND retired_at IS NULL ORDER BY 1"""
        return [int(row[0]) for row in await self.db.fetch_all(sql)]

    async def list_facts(self, filters: FactFilter, *, offset: int = 0, limit: int = 10) -> FactPage:
        """A page of facts matching `filters`, in date order, with the total count."""
        clauses, params = ["1 = 1"], []
        if filters.category is not None:
            clauses.append("f.category = ?")
            params.append(filters.category.value)
        if filters.kinds:
            clauses.append(f"f.kind IN ({','.join('?' * len(filters.kinds))})")
            params += list(filters.kinds)
        if filters.start:
            clauses.append("f.date >= ?")
            params.append(filters.start)
        if filters.end:
            # Inclusive of everything that starts with the end prefix: "2017" includes "2017-12-31".
            clauses.append("f.date < ?")
            params.append(filters.end + "\uffff")
        if filters.issuer:
            clauses.append("json_extract(f.figures, '$.issuer') = ?")
            params.append(filters.issuer)
        if filters.system:
            clauses.append(
                "EXISTS (SELECT 1 FROM json_each(f.figures, '$.systems') s WHERE s.value LIKE ? ESCAPE '\\')"
            )
            params.append("%" + escape_like(filters.system) + "%")
        where = " AND ".join(clauses)
        row = await self.db.fetch_one(
            f"SELECT count(*) FROM facts f WHERE f.retired_at IS NULL AND {where}", params
        )
        total = int(row[0]) if row else 0
        order = "DESC" if filters.newest_first else "ASC"
        facts = await self._facts_where(
            where, params, order_by=f"f.date {order}, f.id {order}", limit=limit, offset=offset
        )
        return FactPage(tuple(facts), total)

    async def count_by_category(self) -> dict[str, int]:
        sql = "SELECT category, count(*) FROM facts WHERE retired_at IS NULL GROUP BY category"
        return {row[0]: int(row[1]) for row in await self.db.fetch_all(sql)}

    async def stat_points(
        self, category: Category | None, from_year: int | None, to_year: int | None
    ) -> list[StatPoint]:
        """Kind, date and system classes of every current fact in the years asked, oldest first."""
        sql = """SELECT kind, date, json_extract(figures, '$.system_classes') FROM facts
                 WHERE retired_at IS NULL AND date >= ? AND date < ?"""
        params: list[Any] = [str(from_year or 1900), str((to_year or 2100) + 1)]
        if category is not None:
            sql += " AND category = ?"
            params.append(category.value)
        return [
            StatPoint(row[0], FactDate.parse(row[1]), tuple(json.loads(row[2])) if row[2] else ())
            for row in await self.db.fetch_all(sql + " ORDER BY date", params)
        ]

    async def date_range(self) -> tuple[FactDate, FactDate] | None:
        sql = "SELECT min(date), max(coalesce(end_date, date)) FROM facts WHERE retired_at IS NULL"
        row = await self.db.fetch_one(sql)
        if not row or row[0] is None:
            return None
        return FactDate.parse(row[0]), FactDate.parse(row[1])

    async def complete_to(self) -> dict[str, str]:
        """Each category's completeness month as the dataset last seeded states it (may be empty)."""
        row = await self.db.fetch_one("SELECT value FROM store_meta WHERE key = 'complete_to'")
        return dict(json.loads(row[0])) if row else {}

    async def dataset_version(self) -> str | None:
        row = await self.db.fetch_one("SELECT value FROM store_meta WHERE key = 'dataset_version'")
        return str(row[0]) if row else None

    async def all_facts(
        self, category: Category | None = None, *, include_retired: bool = False
    ) -> list[Fact]:
        if category is None:
            return await self._facts_where("1 = 1", (), include_retired=include_retired)
        return await self._facts_where("f.category = ?", (category.value,), include_retired=include_retired)

    async def _facts_at(self, refs: Sequence[tuple[str, int]]) -> dict[str, Fact]:
        """The current facts that (id, revision) pairs name: built ones if still at that revision, the
        others loaded (at their latest revision, should one have changed since the pairs were read)."""
        facts: dict[str, Fact] = {}
        for fact_id, revision in refs:
            built = self._built.get(fact_id)
            if built is not None and built.revision == revision and not built.retired:
                facts[fact_id] = built
        missing = [fact_id for fact_id, _ in refs if fact_id not in facts]
        if missing:
            where = f"f.id IN ({','.join('?' * len(missing))})"
            facts |= {fact.id: fact for fact in await self._facts_where(where, missing, include_retired=True)}
        return facts

    async def autocomplete(
        self, typed: str | None, *, limit: int = 25, include_retired: bool = False
    ) -> list[FactRef]:
        """Fact names for what someone has typed: the newest facts if nothing, none if nothing usable.

        A name that is exactly what was typed comes first; then titles, aliases and ids that start with
        the typed words, each in name order, straight from an index; then names with every typed word
        somewhere in them (the last one as a prefix)."""
        current = "1 = 1" if include_retired else "f.retired_at IS NULL"
        if not (typed or "").strip():
            sql = f"SELECT f.id, f.title, f.kind, f.date FROM facts f WHERE {current} ORDER BY f.date DESC LIMIT ?"
            return await self._refs(sql, (limit,))
        key = name_key(typed or "")[:MAX_NAME_KEY]
        if not key:  # only punctuation or symbols: no name can match
            return []
        # A fact can be found by its title, an alias and its id: fetch enough to fill `limit` facts.
        # "~" sorts after every folded letter and digit, so [key, key~) is every name starting with key.
        starts = [
            f"""SELECT * FROM (SELECT f.id, f.title, f.kind, f.date FROM fact_names n
                JOIN facts f ON f.id = n.fact_id
                WHERE n.kind = {kind} AND n.name >= :key AND n.name < :key || '~' AND {current}
                ORDER BY n.name LIMIT :over)"""
            for kind in NAME_KINDS
        ]
        exact = f"""SELECT * FROM (SELECT f.id, f.title, f.kind, f.date FROM fact_names n
                    JOIN facts f ON f.id = n.fact_id WHERE n.name = :key AND {current} ORDER BY n.kind)"""
        refs = await self._refs(" UNION ALL ".join([exact, *starts]), {"key": key, "over": limit * 2})
        first_name_of: dict[str, FactRef] = {}
        for ref in refs:
            first_name_of.setdefault(ref.id, ref)
        found = list(first_name_of.values())[:limit]
        if len(found) < limit:
            found += await self._word_prefix_matches(key, current, limit - len(found), {r.id for r in found})
        return found

    async def _word_prefix_matches(
        self, key: str, current: str, limit: int, exclude: set[str]
    ) -> list[FactRef]:
        words = key.split()[:8]
        match = "{names title} : (" + " AND ".join([*(f'"{w}"' for w in words[:-1]), f'"{words[-1]}"*']) + ")"
        sql = f"""
            SELECT id, title, kind, date FROM (
                SELECT f.id, f.title, f.kind, f.date, bm25(facts_fts, 8.0, 10.0, 0.0, 0.0, 0.0) AS rank
                FROM facts_fts JOIN facts f ON f.rowid = facts_fts.rowid
                WHERE facts_fts MATCH ? AND {current}
                ORDER BY facts_fts.rowid DESC LIMIT {RANKING_WINDOW})
            ORDER BY rank, date DESC LIMIT ?"""
        refs = await self._refs(sql, (match, limit + len(exclude)))
        return [ref for ref in refs if ref.id not in exclude][:limit]

    async def _refs(self, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> list[FactRef]:
        return [FactRef(r[0], r[1], r[2], FactDate.parse(r[3])) for r in await self.db.fetch_all(sql, params)]

    async def unchecked_since(self, cutoff: str) -> list[Fact]:
        """Current facts last checked in a month before `cutoff` (`YYYY-MM`), or never recorded as
        checked: those first, then the oldest check first."""
        sql = """SELECT * FROM (
                      SELECT f.*, json_extract(r.snapshot, '$.checked') AS checked FROM facts f
                      JOIN fact_revisions r ON r.fact_id = f.id AND r.revision = f.revision
                      WHERE f.retired_at IS NULL)
                  WHERE checked IS NULL OR substr(checked, 1, 7) < ?
                  ORDER BY checked IS NOT NULL, checked, date, id"""
        return await self._build_facts(list(await self.db.fetch_all(sql, (cutoff,))))

    async def facts_on_days(self, days: Sequence[str]) -> list[Fact]:
        """Current facts dated to one of these days of the year (`MM-DD`, day precision), newest first."""
        if not days:
            return []
        marks = ",".join("?" * len(days))
        where = f"length(f.date) = 10 AND substr(f.date, 6, 5) IN ({marks})"
        return await self._facts_where(where, list(days), order_by="f.date DESC, f.id")

    async def known_ids(self) -> set[str]:
        return {row[0] for row in await self.db.fetch_all("SELECT id FROM facts")}

    # --- internals -------------------------------------------------------------------------------

    async def _facts_where(
        self,
        where: str,
        params: Iterable[Any],
        *,
        include_retired: bool = False,
        order_by: str = "f.date, f.id",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Fact]:
        sql = f"SELECT f.* FROM facts f WHERE ({where})"
        if not include_retired:
            sql += " AND f.retired_at IS NULL"
        sql += f" ORDER BY {order_by}"
        params = list(params)
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        rows = list(await self.db.fetch_all(sql, params))
        return await self._build_facts(rows)

    async def _build_facts(self, rows: list[aiosqlite.Row]) -> list[Fact]:
        """Facts for rows, reusing ones already built at the same revision (a hot path for search)."""
        missing = [row for row in rows if not self._is_built(row)]
        if not missing:
            return [self._built[row["id"]] for row in rows]
        loaded = {fact.id: fact for fact in await self._load_facts(missing)}
        facts = [loaded.get(row["id"]) or self._built[row["id"]] for row in rows]
        for fact_id in loaded:  # built again at a newer revision: now among the latest built
            self._built.pop(fact_id, None)
        self._built.update(loaded)
        # Past the bound, the facts built longest ago go first: never every fact of a large listing, and
        # the facts other questions were answered with stay as long as they can.
        excess = len(self._built) - BUILT_FACTS_CACHE_SIZE
        for fact_id in list(itertools.islice(self._built, max(excess, 0))):
            del self._built[fact_id]
        return facts

    def _is_built(self, row: aiosqlite.Row) -> bool:
        fact = self._built.get(row["id"])
        return (
            fact is not None
            and fact.revision == int(row["revision"])
            and fact.retired == (row["retired_at"] is not None)
        )

    async def _load_facts(self, rows: list[aiosqlite.Row]) -> list[Fact]:
        ids = [row["id"] for row in rows]
        marks = ",".join("?" * len(ids))
        sources: dict[str, list[Source]] = {i: [] for i in ids}
        sql = f"SELECT * FROM fact_sources WHERE fact_id IN ({marks}) ORDER BY fact_id, position"
        for s in await self.db.fetch_all(sql, ids):
            sources[s["fact_id"]].append(Source(s["url"], s["publisher"], s["title"], s["date"]))
        links: dict[tuple[str, str], list[str]] = {}
        sql = f"SELECT from_id, relation, to_id FROM fact_links WHERE from_id IN ({marks}) ORDER BY position"
        for link in await self.db.fetch_all(sql, ids):
            links.setdefault((link[0], link[1]), []).append(link[2])
        sql = f"{CHECKED_SQL} WHERE f.id IN ({marks})"
        checked = {row[0]: row[1] for row in await self.db.fetch_all(sql, ids)}
        return [row_to_fact(row, sources[row["id"]], links, checked.get(row["id"])) for row in rows]
