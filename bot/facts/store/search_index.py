"""The store's queries for question answering: full-text matches, Korean/Japanese character pairs, word
frequencies, the names of launched systems and the typed facts that counts and superlatives are computed
over."""

from __future__ import annotations

import asyncio
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from bot.core.folding import cjk_grams, tokens
from bot.db.database import Database
from bot.facts.model.fact import Category, Fact, FactDate
from bot.facts.model.selection import LAUNCH_KINDS, MEETING_KINDS, TypedSelection
from bot.facts.store.records import SearchCandidate
from bot.facts.store.word_matches import RANKING_WINDOW, MatchesKept, WordMatches, best_matches

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
        rows: dict[str, list[Any]] = {word: [] for word in words}
        for row in await self.db.fetch_all(sql, params):
            rows[row[0]].append(row)
        return {word: WordMatches.from_columns(matched) for word, matched in rows.items()}

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

    async def typed_count(self, selection: TypedSelection) -> int:
        """How many facts the selection holds, counted in SQLite."""
        where, params = _selection_sql(selection)
        row = await self.db.fetch_one(f"SELECT count(*) FROM {where}", params)
        return int(row[0]) if row else 0

    async def typed_missiles(self, selection: TypedSelection) -> int:
        """The sum of the selection's `missiles` figures (a fact without one counts none)."""
        where, params = _selection_sql(selection)
        sql = f"""SELECT coalesce(sum(CAST(coalesce(json_extract(figures, '$.missiles'), 0) AS INTEGER)), 0)
                  FROM {where}"""
        row = await self.db.fetch_one(sql, params)
        return int(row[0]) if row else 0

    async def typed_ids(
        self, selection: TypedSelection, *, newest_first: bool = False, offset: int = 0, limit: int = -1
    ) -> list[str]:
        """The ids of the selection's facts in date order (then id), oldest first unless `newest_first`,
        from `offset`, at most `limit` (all if negative): the facts themselves are not read."""
        where, params = _selection_sql(selection)
        order = "DESC" if newest_first else "ASC"
        sql = f"""SELECT id FROM {where}
                  ORDER BY date {order}, id {order} LIMIT ? OFFSET ?"""
        return [row[0] for row in await self.db.fetch_all(sql, [*params, limit, offset])]

    async def typed_best(
        self, selection: TypedSelection, figure: str, *, largest: bool, place: int = 1
    ) -> str | None:
        """The id of the selection's fact at `place` (1: the best) by a figure, largest or smallest first,
        the earliest of equals first (then by id); facts without the figure as a number take no place.
        "duration" is the days from the start to the end of a fact dated to the day at both ends."""
        where, params = _selection_sql(selection)
        if figure == "duration":
            value = """CASE WHEN length(date) = 10 AND length(end_date) = 10
                       THEN julianday(end_date) - julianday(date) END"""
        else:
            path = _json_path(figure)
            value = f"CASE WHEN json_type(figures, {path}) IN ('integer', 'real') THEN json_extract(figures, {path}) END"
        sql = f"""SELECT id FROM (SELECT id, date, {value} AS value FROM {where})
                  WHERE value IS NOT NULL ORDER BY value {"DESC" if largest else "ASC"}, date, id LIMIT 1 OFFSET ?"""
        row = await self.db.fetch_one(sql, [*params, place - 1])
        return str(row[0]) if row else None

    async def typed_holding(self, selection: TypedSelection, words: Sequence[str]) -> frozenset[int]:
        """The selection's facts (by rowid) whose words (search's `covers`: the folded words of the id,
        title, summary, aliases, tags and figures' values) include one of `words`.

        Latin words and numbers are found by the full-text index in those columns, and in the figures by
        checking the few facts whose figures hold the word's letters at all; other words (Hangul, kana,
        kanji), which the index splits differently, by reading the selection's text."""
        wanted = frozenset(words)
        if not wanted:
            return frozenset()
        where, params = _selection_sql(selection)
        if not all(_PLAIN_WORD.fullmatch(word) for word in wanted):
            sql = f"SELECT rowid, id, title, summary, aliases, tags, figures FROM {where}"
            return frozenset(
                int(row[0])
                for row in await self.db.fetch_all(sql, params)
                if not wanted.isdisjoint(_text_words(row))
            )
        expression = "{names title summary tags} : (" + " OR ".join(f'"{w}"' for w in sorted(wanted)) + ")"
        # Figures are not in the full-text index: any fact whose figures' text holds one of the words'
        # letters (or any letter outside ASCII, which folding may turn into them) is checked word by word.
        letters = " OR ".join("instr(lower(figures), ?) > 0" for _ in wanted)
        sql = f"""SELECT rowid, named, figures FROM (
                      SELECT rowid, figures, rowid IN (SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?) AS named
                      FROM {where})
                  WHERE named OR {letters} OR figures GLOB '*[^ -~]*'"""
        spelled = [("null" if word == "none" else word) for word in sorted(wanted)]
        found = set()
        for row in await self.db.fetch_all(sql, [expression, *params, *spelled]):
            if row[1] or not wanted.isdisjoint(_figure_words(json.loads(row[2]))):
                found.add(int(row[0]))
        return frozenset(found)

    async def typed_naming(self, selection: TypedSelection, gram: str) -> frozenset[int]:
        """The selection's facts (by rowid) whose names (title and aliases) hold a Korean/Japanese character
        pair (search's `name_grams`): from the index of the names' pairs (migration 0006), or, for a pair
        with a character that index splits off (a lone voicing mark), by reading the selection's names."""
        where, params = _selection_sql(selection)
        if all(unicodedata.category(c).startswith("L") for c in gram):
            sql = f"""SELECT rowid FROM {where}
                      AND rowid IN (SELECT rowid FROM facts_grams WHERE facts_grams MATCH ?)"""
            rows = await self.db.fetch_all(sql, [*params, '"' + gram.replace('"', "") + '"'])
            return frozenset(int(row[0]) for row in rows)
        sql = f"SELECT rowid, title, aliases FROM {where}"
        return frozenset(
            int(row[0])
            for row in await self.db.fetch_all(sql, params)
            if gram in cjk_grams(" ".join([row[1], *json.loads(row[2])]))
        )

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

    async def answers_to(
        self,
        ids: Sequence[str],
        kinds: Sequence[str],
        *,
        issuer: str | None,
        limit: int,
        years: Sequence[int] = (),
        months: Sequence[int] = (),
    ) -> list[Fact]:
        """Current facts of these kinds whose `responds_to` names one of `ids`, of one of `years` and
        `months` if any are given, at most `limit`: those of `issuer` first if one is given (otherwise UN
        resolutions first), then oldest first (date, id). Ordered and cut in SQLite: only the facts
        returned are built."""
        if not ids:
            return []
        first = (
            "coalesce(json_extract(f.figures, '$.issuer') != ?, 1)" if issuer else "f.kind != 'un_resolution'"
        )
        # From the links to the facts (by id), never through every fact of those kinds.
        sql = f"""SELECT f.id, f.revision FROM facts f
                  WHERE f.id IN (SELECT from_id FROM fact_links
                                 WHERE to_id IN (SELECT value FROM json_each(?)) AND relation = 'responds_to')
                  AND f.retired_at IS NULL AND +f.kind IN ({",".join("?" * len(kinds))}){_dated("f.date", years, months)}
                  ORDER BY {first}, f.date, f.id LIMIT ?"""
        params = [
            json.dumps(list(ids)),
            *kinds,
            *_date_params(years, months),
            *([issuer] if issuer else []),
            limit,
        ]
        refs = [(row[0], int(row[1])) for row in await self.db.fetch_all(sql, params)]
        facts = await self._facts_at(refs)
        return [facts[fact_id] for fact_id, _ in refs if fact_id in facts]

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


# A word the full-text index splits exactly as bot.core.folding.tokens does.
_PLAIN_WORD = re.compile(r"[a-z0-9]+")


def _figure_words(figures: Mapping[str, Any]) -> list[str]:
    return tokens(" ".join(str(value) for value in figures.values()))


def _text_words(row: Sequence[Any]) -> set[str]:
    """The words search's `covers` reads in a fact (bot.facts.model.search._fact_text)."""
    aliases, tags, figures = json.loads(row[4]), json.loads(row[5]), json.loads(row[6])
    text = " ".join([row[1], row[2], row[3], *aliases, *tags, " ".join(str(v) for v in figures.values())])
    return set(tokens(text))


def _json_path(name: str) -> str:
    """A figure's JSON path as an SQL string literal (figure names are the record's own identifiers)."""
    return "'$.\"" + name.replace("'", "''").replace('"', "") + "\"'"


def _selection_sql(selection: TypedSelection) -> tuple[str, list[Any]]:
    """The FROM and WHERE clauses (over `facts`) and their parameters for a typed selection. A selection of
    a few facts named in an index (systems, or facts already narrowed) is read from those; any other from
    the index of the current facts' typed fields (migration 0011), never from the facts' rows. Classes and
    true flags come from their own index (migration 0013)."""
    kinds = selection.kinds
    launches = [kind for kind in kinds if kind in LAUNCH_KINDS]
    only_launches = len(launches) == len(kinds)
    satellites = "SLV" in selection.launch_classes
    named = (selection.launch_classes and not satellites) or selection.flags
    by_rowid = bool(selection.systems) or selection.among is not None or (only_launches and bool(named))
    source = "facts" if by_rowid else "facts INDEXED BY facts_typed"
    clauses = [f"{'+' if by_rowid else ''}kind IN ({','.join('?' * len(kinds))})", "retired_at IS NULL"]
    params: list[Any] = list(kinds)
    if selection.years or selection.months:
        clauses.append(_dated("date", selection.years, selection.months).removeprefix(" AND "))
        params += _date_params(selection.years, selection.months)
    if selection.period is not None:
        clauses.append("date >= ? AND date <= ?")
        params += list(selection.period)
    if selection.systems:  # from the index of systems (migration 0011), not every launch's figures
        wanted = sorted(selection.systems)
        clauses.append(
            f"rowid IN (SELECT fact_rowid FROM fact_systems WHERE system IN ({','.join('?' * len(wanted))}))"
        )
        params += wanted
    not_launch = f"kind NOT IN ({','.join(repr(kind) for kind in LAUNCH_KINDS)})"

    def of_launches(condition: str) -> str:  # a condition on launches holds for every other kind
        return condition if only_launches else f"({not_launch} OR {condition})"

    if selection.launch_classes and launches:
        classes = sorted(selection.launch_classes)
        satellite = "kind = 'satellite_launch' OR " if satellites else ""
        terms = f"SELECT fact_rowid FROM fact_figure_terms WHERE term IN ({','.join('?' * len(classes))})"
        clauses.append(of_launches(f"({satellite}rowid IN ({terms}))"))
        params += [f"class:{name}" for name in classes]
    for flag in sorted(selection.flags) if launches else ():
        clauses.append(of_launches("rowid IN (SELECT fact_rowid FROM fact_figure_terms WHERE term = ?)"))
        params.append(f"flag:{flag}")
    if selection.outcome is not None and launches:
        clauses.append(of_launches("json_extract(figures, '$.outcome') = ?"))
        params.append(selection.outcome)
    not_meeting = f"kind NOT IN ({','.join(repr(kind) for kind in MEETING_KINDS)})"
    for participant in sorted(selection.participants):
        clauses.append(
            f"({not_meeting} OR EXISTS (SELECT 1 FROM json_each(figures, '$.participants') WHERE value = ?))"
        )
        params.append(participant)
    if selection.numbered_round:
        clauses.append("(kind != 'multilateral' OR json_extract(figures, '$.round') IS NOT NULL)")
    if selection.six_or_more:
        clauses.append(
            "(kind != 'multilateral' OR coalesce(json_array_length(figures, '$.participants'), 0) >= 6)"
        )
    if selection.issuer is not None:
        clauses.append("(kind != 'unilateral' OR json_extract(figures, '$.issuer') = ?)")
        params.append(selection.issuer)
    if selection.imposing:
        # A word between spaces; or between any other white space Python's str.split splits at, looked for
        # (by GLOB) only in facts whose figures hold some: json.dumps escapes control characters with a
        # backslash and writes the others as non-ASCII characters. SQLite's lower() folds ASCII only,
        # which is all the words are spelled with.
        words = sorted(selection.imposing)
        measures = """(SELECT ' ' || lower(value) || ' ' AS text FROM json_each(figures, '$.measures')
                       WHERE type = 'text')"""
        clauses.append(
            f"""(kind != 'un_resolution' OR (json_type(figures, '$.measures') = 'array' AND (
                EXISTS (SELECT 1 FROM {measures} WHERE {" OR ".join("instr(text, ?) > 0" for _ in words)})
                OR ((instr(figures, char(92)) > 0 OR length(figures) != length(CAST(figures AS BLOB)))
                    AND EXISTS (SELECT 1 FROM {measures} WHERE {" OR ".join("text GLOB ?" for _ in words)})))))"""
        )
        params += [f" {word} " for word in words]
        params += [f"*[ {_OTHER_SPACES}]{word}[ {_OTHER_SPACES}]*" for word in words]
    if selection.test_number is not None:
        clauses.append("json_extract(figures, '$.test_number') = ?")
        params.append(selection.test_number)
    if selection.earlier_than is not None:
        clauses.append("date < ?")
        params.append(selection.earlier_than)
    if selection.later_than is not None:
        clauses.append("date > ?")
        params.append(selection.later_than)
    if selection.responding_to is not None:
        clauses.append("id IN (SELECT from_id FROM fact_links WHERE to_id = ? AND relation = 'responds_to')")
        params.append(selection.responding_to)
    if selection.other_than is not None:
        clauses.append("id != ?")
        params.append(selection.other_than)
    if selection.among is not None:
        clauses.append("rowid IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(selection.among)))
    return f"{source} WHERE {' AND '.join(clauses)}", params


def _dated(column: str, years: Sequence[int], months: Sequence[int]) -> str:
    """`AND` the conditions that a date (an ISO text column) is of one of `years` and of one of `months`
    (a date without a month is of none), or nothing if neither is given; _date_params are their values."""
    clauses = []
    if years:
        clauses.append("(" + " OR ".join(f"({column} >= ? AND {column} < ?)" for _ in years) + ")")
    if months:
        clauses.append(f"substr({column}, 6, 2) IN ({','.join('?' * len(months))})")
    return "".join(f" AND {clause}" for clause in clauses)


def _date_params(years: Sequence[int], months: Sequence[int]) -> list[str]:
    return [str(v) for year in years for v in (year, year + 1)] + [f"{month:02d}" for month in months]


# What Python's str.split() splits words at besides the space (str.isspace), as a GLOB character class's
# characters.
_OTHER_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ")
