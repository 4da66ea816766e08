"""Autocomplete over the names index: names that start with what was typed first, then names containing
every typed word; kept in step with every change, and filled in for databases made before it existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.db.database import Database
from bot.facts.model.fact import parse_fact
from bot.facts.store import FactStore
from bot.moderation.store import Editor, FactEditStore
from tests.conftest import fact_record

MOD = Editor(42, "mod")


@pytest.fixture
async def named_store(fact_store: FactStore) -> FactStore:
    records = [
        fact_record("hs15-first", title="Hwasŏng-15 first flight", aliases=["KN-22"], date="2017-11-29"),
        fact_record("hs14-first", title="Hwasong-14 first flight", date="2017-07-04"),
        fact_record("sixth-test", title="Sixth nuclear test", date="2017-09-03"),
        fact_record("first-test", title="First nuclear test", date="2006-10-09"),
        fact_record("summit-2019", title="Hanoi summit", date="2019-02-27"),
    ]
    await fact_store.seed([parse_fact(r) for r in records], "v1")
    return fact_store


async def ids(store: FactStore, typed: str, **options: object) -> list[str]:
    return [ref.id for ref in await store.autocomplete(typed, **options)]  # type: ignore[arg-type]


async def test_names_starting_with_the_typed_words_come_first_in_name_order(named_store: FactStore) -> None:
    assert await ids(named_store, "hwasong 1") == ["hs14-first", "hs15-first"]
    assert await ids(named_store, "HWASONG-15") == ["hs15-first"]
    # "first" starts one title and is a later word of two more: the start leads, then the others.
    found = await ids(named_store, "first")
    assert found[0] == "first-test"
    assert sorted(found[1:]) == ["hs14-first", "hs15-first"]


async def test_titles_come_before_aliases_and_ids_and_an_exact_name_before_all(
    fact_store: FactStore,
) -> None:
    records = [
        fact_record("musudan-first", title="Musudan first flight", aliases=["Hwasong-10"], date="2016-04-15"),
        fact_record("hs12-first", title="Hwasong-12 first flight", date="2017-05-14"),
        fact_record("kn-note", title="KN-08 and KN-14 mock-ups", date="2012-04-15"),
        fact_record("kn08", title="Hwasong-13 displayed", aliases=["KN-08"], date="2012-04-16"),
    ]
    await fact_store.seed([parse_fact(r) for r in records], "v1")
    # A title starting with the words beats an alias starting with them, whatever the alphabet says.
    assert await ids(fact_store, "hwasong") == ["hs12-first", "kn08", "musudan-first"]
    # A name that is exactly what was typed comes first, even an alias.
    assert (await ids(fact_store, "KN-08"))[0] == "kn08"
    assert await ids(fact_store, "kn 08 and") == ["kn-note"]


async def test_aliases_ids_and_diacritics_lead_to_the_fact(named_store: FactStore) -> None:
    assert await ids(named_store, "kn-2") == ["hs15-first"]
    assert await ids(named_store, "sixth-te") == ["sixth-test"]
    assert await ids(named_store, "Hwasŏng-15 fir") == ["hs15-first"]


async def test_every_typed_word_must_appear_when_no_name_starts_with_them(named_store: FactStore) -> None:
    assert sorted(await ids(named_store, "nuclear")) == ["first-test", "sixth-test"]
    assert await ids(named_store, "test sixth") == ["sixth-test"]
    assert await ids(named_store, "test tenth") == []


async def test_each_fact_is_offered_once_and_the_limit_holds(named_store: FactStore) -> None:
    # "hs15-first" has a title, an alias and an id that all start with "h": still one choice.
    found = await ids(named_store, "h")
    assert len(found) == len(set(found)) == 3
    assert len(await ids(named_store, "h", limit=2)) == 2
    assert len(await ids(named_store, "f", limit=3)) == 3


async def test_nothing_typed_offers_the_newest_facts(named_store: FactStore) -> None:
    assert await ids(named_store, "", limit=2) == ["summit-2019", "hs15-first"]
    assert await ids(named_store, "  ", limit=2) == ["summit-2019", "hs15-first"]
    assert await ids(named_store, " -- ???") == []  # typed, but nothing a name could match


async def test_renames_and_retirements_change_what_is_offered(
    database: Database, named_store: FactStore
) -> None:
    edits = FactEditStore(database)
    renamed = fact_record("summit-2019", title="Second Trump-Kim summit", date="2019-02-27")
    await edits.edit_fact(parse_fact(renamed), base_revision=1, editor=MOD, reason="rename")
    assert await ids(named_store, "second trump") == ["summit-2019"]
    assert await ids(named_store, "hanoi") == []  # the old title is gone from the index

    await edits.retire_fact("sixth-test", editor=MOD, reason="duplicate")
    assert await ids(named_store, "sixth") == []
    assert await ids(named_store, "sixth", include_retired=True) == ["sixth-test"]
    assert await ids(named_store, "nuclear") == ["first-test"]


async def test_a_database_from_before_the_names_index_gets_it_filled(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with Database.open(path) as db:
        await FactStore(db).seed(
            [parse_fact(fact_record("hs15-first", title="Hwasŏng-15 first flight", aliases=["KN-22"]))], "v1"
        )
    # Take the database back to schema 3, as a bot from before migration 0004 left it.
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE fact_names")
        for change in ("insert", "update", "delete"):  # and what migration 0005 added
            connection.execute(f"DROP TRIGGER facts_version_on_{change}")
        connection.execute("DELETE FROM store_meta WHERE key = 'facts_version'")
        connection.execute("PRAGMA user_version = 3")
    async with Database.open(path) as db:
        store = FactStore(db)
        assert await db.schema_version() >= 4
        assert await ids(store, "kn 22") == ["hs15-first"]
        assert await ids(store, "hwasong") == ["hs15-first"]
        names = [tuple(row) for row in await db.fetch_all("SELECT name, kind FROM fact_names ORDER BY name")]
    assert names == [("hs15 first", 2), ("hwasong 15 first flight", 0), ("kn 22", 1)]
