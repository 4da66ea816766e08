"""The index of launched systems (migration 0011): typed answers select a system's launches from it, so it
must follow every fact written, edited or removed, and be filled for facts stored before it existed."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from bot.db.database import Database
from bot.facts.model.fact import parse_fact
from bot.facts.model.selection import TypedSelection
from bot.facts.service import FactService
from bot.facts.store import FactStore
from bot.moderation.store import Editor, FactEditStore
from tests.conftest import fact_record

LAUNCHES = ("missile_launch", "satellite_launch")
FROM_FIGURES = """SELECT s.value, f.rowid FROM facts f, json_each(f.figures, '$.systems') AS s
                  WHERE s.type = 'text' ORDER BY 1, 2"""


def _launch(fact_id: str, *systems: str) -> dict:
    return fact_record(
        fact_id,
        kind="missile_launch",
        date="2017-07-04",
        figures={"systems": list(systems), "system_classes": ["ICBM"], "missiles": 1, "outcome": "success"},
    )


async def _indexed(db: Database) -> list[tuple[str, int]]:
    return [(row[0], row[1]) for row in await db.fetch_all("SELECT * FROM fact_systems ORDER BY 1, 2")]


async def test_the_index_holds_every_system_of_the_seeded_record(seeded_service: FactService) -> None:
    db = seeded_service.facts.db
    indexed = await _indexed(db)
    assert len(indexed) > 100
    assert indexed == [(row[0], row[1]) for row in await db.fetch_all(FROM_FIGURES)]


async def test_the_index_follows_edits_and_typed_rows_use_it(fact_store: FactStore) -> None:
    await fact_store.seed(
        [parse_fact(_launch("a", "Hwasong-14")), parse_fact(_launch("b", "Hwasong-15"))], "v1"
    )
    found = await fact_store.typed_ids(TypedSelection(LAUNCHES, systems=frozenset({"Hwasong-14"})))
    assert found == ["a"]

    edits, editor = FactEditStore(fact_store.db), Editor(None, "test")
    fact = await fact_store.get_fact("a")
    assert fact is not None
    moved = replace(fact, figures={**fact.figures, "systems": ["Hwasong-15"]})
    await edits.edit_fact(moved, base_revision=fact.revision, editor=editor)
    assert await fact_store.typed_ids(TypedSelection(LAUNCHES, systems=frozenset({"Hwasong-14"}))) == []
    found = await fact_store.typed_ids(TypedSelection(LAUNCHES, systems=frozenset({"Hwasong-15"})))
    assert found == ["a", "b"]

    await edits.retire_fact("b", editor=editor, reason="test")  # retired: kept, but not current
    assert await fact_store.typed_ids(TypedSelection(LAUNCHES, systems=frozenset({"Hwasong-15"}))) == ["a"]
    assert await _indexed(fact_store.db) == [
        (row[0], row[1]) for row in await fact_store.db.fetch_all(FROM_FIGURES)
    ]


async def test_a_store_from_before_the_index_is_filled_when_migrated(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    async with Database.open(path) as db:
        await FactStore(db).seed([parse_fact(_launch("a", "Hwasong-14", "Hwasong-15"))], "v1")
    with sqlite3.connect(path) as connection:  # as a database of schema 10 was: no index, no triggers
        for trigger in ("insert", "update", "delete"):
            connection.execute(f"DROP TRIGGER fact_systems_{trigger}")
        connection.execute("DROP TABLE fact_systems")
        connection.execute("DROP INDEX facts_typed")
        connection.execute("DROP INDEX facts_current_by_rowid")
        connection.execute("PRAGMA user_version = 10")
    async with Database.open(path) as db:
        assert await _indexed(db) == [("Hwasong-14", 1), ("Hwasong-15", 1)]
        found = await FactStore(db).typed_ids(TypedSelection(LAUNCHES, systems=frozenset({"Hwasong-15"})))
        assert found == ["a"]
