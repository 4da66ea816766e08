"""Rows <-> facts, and the writes every fact change shares (facts, sources, links, revisions)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.core.folding import cjk_grams, name_key
from bot.facts.model.fact import Fact, FactDate, Source


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def snapshot_json(fact: Fact, *, retired: bool = False, retired_reason: str = "") -> str:
    """A revision's snapshot: the fact's content plus whether it was retired."""
    content = fact.content() | {"retired": retired, "retired_reason": retired_reason}
    return json.dumps(content, sort_keys=True, ensure_ascii=False)


def content_json(fact: Fact) -> str:
    """The fact's content alone, canonical, for comparing versions."""
    return json.dumps(fact.content(), sort_keys=True, ensure_ascii=False)


def content_apart_from_checked(fact: Fact) -> str:
    """The content without `checked`: an edit that changes nothing else changes nothing (a no-op edit
    must not count as a check)."""
    content = fact.content()
    content.pop("checked", None)
    return json.dumps(content, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class FactState:
    origin: str
    edited: bool
    revision: int
    content: str


async def existing_state(tx: aiosqlite.Connection) -> dict[str, FactState]:
    """The current content of every fact, as the JSON its latest revision holds."""
    sql = """SELECT f.id, f.origin, f.edited, f.revision, r.snapshot FROM facts f
             JOIN fact_revisions r ON r.fact_id = f.id AND r.revision = f.revision"""
    async with tx.execute(sql) as cursor:
        return {
            row[0]: FactState(row[1], bool(row[2]), int(row[3]), canonical_content(row[4]))
            for row in await cursor.fetchall()
        }


def canonical_content(snapshot: str) -> str:
    content = json.loads(snapshot)
    content.pop("retired", None)
    content.pop("retired_reason", None)
    return json.dumps(content, sort_keys=True, ensure_ascii=False)


# The `checked` of the facts' current revisions: kept in the revision snapshot (the fact's full content),
# not in a column of its own.
CHECKED_SQL = """SELECT f.id, json_extract(r.snapshot, '$.checked') FROM facts f
                 JOIN fact_revisions r ON r.fact_id = f.id AND r.revision = f.revision"""


def row_to_fact(
    row: aiosqlite.Row,
    sources: list[Source],
    links: dict[tuple[str, str], list[str]],
    checked: str | None = None,
) -> Fact:
    return Fact(
        id=row["id"],
        kind=row["kind"],
        title=row["title"],
        summary=row["summary"],
        body=row["body"],
        date=FactDate.parse(row["date"]),
        end_date=FactDate.parse(row["end_date"]) if row["end_date"] else None,
        figures=json.loads(row["figures"]),
        aliases=tuple(json.loads(row["aliases"])),
        tags=tuple(json.loads(row["tags"])),
        related=tuple(links.get((row["id"], "related"), ())),
        responds_to=tuple(links.get((row["id"], "responds_to"), ())),
        sources=tuple(sources),
        date_uncertain=bool(row["date_uncertain"]),
        note=row["note"],
        checked=FactDate.parse(checked) if checked else None,
        retired=row["retired_at"] is not None,
        retired_reason=row["retired_reason"],
        origin=row["origin"],
        revision=int(row["revision"]),
    )


def fact_columns(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "kind": fact.kind,
        "category": fact.category.value,
        "title": fact.title,
        "summary": fact.summary,
        "body": fact.body,
        "date": fact.date.iso(),
        "end_date": fact.end_date.iso() if fact.end_date else None,
        "date_uncertain": int(fact.date_uncertain),
        "note": fact.note,
        "figures": json.dumps(dict(fact.figures), ensure_ascii=False, sort_keys=True),
        "aliases": json.dumps(list(fact.aliases), ensure_ascii=False),
        "tags": json.dumps(list(fact.tags), ensure_ascii=False),
        "updated_at": now_text(),
    }


async def insert_fact(tx: aiosqlite.Connection, fact: Fact, *, origin: str, edited: bool = False) -> None:
    columns = fact_columns(fact) | {"origin": origin, "edited": int(edited), "revision": 1}
    names = ", ".join(columns)
    await tx.execute(f"INSERT INTO facts ({names}) VALUES ({', '.join(':' + n for n in columns)})", columns)
    await write_children(tx, fact)


async def update_fact(tx: aiosqlite.Connection, fact: Fact, *, revision: int, edited: bool) -> None:
    columns = fact_columns(fact) | {"revision": revision}
    assignments = ", ".join(f"{n} = :{n}" for n in columns if n != "id")
    edited_sql = ", edited = 1" if edited else ""
    await tx.execute(f"UPDATE facts SET {assignments}{edited_sql} WHERE id = :id", columns)
    await tx.execute("DELETE FROM fact_sources WHERE fact_id = ?", (fact.id,))
    await tx.execute("DELETE FROM fact_links WHERE from_id = ?", (fact.id,))
    await tx.execute("DELETE FROM fact_names WHERE fact_id = ?", (fact.id,))
    await write_children(tx, fact)


async def write_children(tx: aiosqlite.Connection, fact: Fact) -> None:
    await tx.executemany(
        "INSERT INTO fact_sources (fact_id, position, url, publisher, title, date) VALUES (?, ?, ?, ?, ?, ?)",
        [(fact.id, i, s.url, s.publisher, s.title, s.date) for i, s in enumerate(fact.sources)],
    )
    links = [(fact.id, "related", target, i) for i, target in enumerate(fact.related)]
    links += [(fact.id, "responds_to", target, i) for i, target in enumerate(fact.responds_to)]
    await tx.executemany(
        "INSERT OR IGNORE INTO fact_links (from_id, relation, to_id, position) VALUES (?, ?, ?, ?)", links
    )
    # Each name once, as its best kind: 0 title, 1 alias, 2 id (see migration 0004).
    names: dict[str, int] = {}
    for kind, name in [(0, fact.title), *((1, alias) for alias in fact.aliases), (2, fact.id)]:
        if key := name_key(name):
            names.setdefault(key, kind)
    await tx.executemany(
        "INSERT INTO fact_names (name, fact_id, kind) VALUES (?, ?, ?)",
        [(name, fact.id, kind) for name, kind in names.items()],
    )
    # Korean, Japanese and Chinese names as character pairs (migration 0006).
    await tx.execute(
        "DELETE FROM facts_grams WHERE rowid = (SELECT rowid FROM facts WHERE id = ?)", (fact.id,)
    )
    if grams := cjk_grams(" ".join([fact.title, *fact.aliases])):
        await tx.execute(
            "INSERT INTO facts_grams (rowid, grams) SELECT rowid, ? FROM facts WHERE id = ?",
            (" ".join(grams), fact.id),
        )


async def write_revision(
    tx: aiosqlite.Connection,
    fact_id: str,
    revision: int,
    action: str,
    fact: Fact,
    editor_id: int | None,
    editor_name: str,
    reason: str,
) -> None:
    await tx.execute(
        "INSERT INTO fact_revisions (fact_id, revision, action, snapshot, editor_id, editor_name, reason, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (fact_id, revision, action, snapshot_json(fact), editor_id, editor_name, reason, now_text()),
    )


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
