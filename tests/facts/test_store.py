"""The fact store on real temporary SQLite files: migrations, seeding, import, lookups."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.db.database import Database, StoreError, latest_version
from bot.facts.model.fact import Category, parse_fact
from bot.facts.model.interchange import export_json
from bot.facts.service import FactService
from bot.facts.store import FactFilter, FactStore
from tests.conftest import fact_record


async def test_migrates_an_empty_file_to_the_latest_version(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    async with Database.open(path) as db:
        assert await db.schema_version() == latest_version()
        async with db.reader.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"
        async with db.reader.execute("PRAGMA foreign_keys") as cursor:
            assert (await cursor.fetchone())[0] == 1


async def test_migrating_an_up_to_date_database_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    async with Database.open(path) as db:
        await FactStore(db).seed([parse_fact(fact_record())], "v1")
    schema_before = sqlite3.connect(path).execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    async with Database.open(path) as db:
        assert await db.schema_version() == latest_version()
        assert await FactStore(db).get_fact("test-fact") is not None
    schema_after = sqlite3.connect(path).execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert schema_after == schema_before


async def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {latest_version() + 1}")
    connection.close()
    with pytest.raises(StoreError, match="newer version"):
        async with Database.open(path):
            pass


async def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        async with Database.open(tmp_path / "no" / "such" / "dir.db"):
            pass


async def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot use"):
        async with Database.open(path):
            pass


async def test_seed_adds_then_updates_unedited_facts_and_keeps_edited_ones(fact_store: FactStore) -> None:
    first = [parse_fact(fact_record("a", summary="Old A.")), parse_fact(fact_record("b", summary="Old B."))]
    report = await fact_store.seed(first, "v1")
    assert (report.added, report.updated, report.unchanged) == (2, 0, 0)

    # A moderator-style change to b (through import, which marks it edited).
    edited_b = fact_record("b", summary="Corrected by a moderator.")
    service = FactService(fact_store)
    imported = await service.import_file(
        json.dumps([edited_b]).encode(), "json", editor_id=1, editor_name="mod", dry_run=False
    )
    assert imported.changed == ("b",)

    second = [parse_fact(fact_record("a", summary="New A.")), parse_fact(fact_record("b", summary="New B."))]
    report = await fact_store.seed(second, "v2")
    assert report.updated == 1
    assert report.kept_edits == ("b",)
    a, b = await fact_store.get_fact("a"), await fact_store.get_fact("b")
    assert a is not None
    assert a.summary == "New A."
    assert a.revision == 2
    assert b is not None
    assert b.summary == "Corrected by a moderator."
    assert await fact_store.dataset_version() == "v2"

    report = await fact_store.seed(second, "v2")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 1)


async def test_a_fact_round_trips_through_the_store(fact_store: FactStore) -> None:
    record = fact_record(
        "unsc-9999",
        kind="un_resolution",
        date="2017-09",
        end_date="2017-10-01",
        aliases=["Resolution 9999"],
        tags=["oil cap"],
        figures={
            "resolution_number": 9999,
            "votes_for": 15,
            "votes_against": 0,
            "abstentions": 0,
            "measures": ["a cap"],
        },
        sources=[{"url": "https://press.un.org/x", "publisher": "UN", "title": "T", "date": "2017-09-11"}],
    )
    other = fact_record("other")
    record["related"] = ["other"]
    await fact_store.seed([parse_fact(record), parse_fact(other)], "v1")
    fact = await fact_store.get_fact("unsc-9999")
    assert fact is not None
    assert fact.content() == parse_fact(record).content()
    assert fact.date.display() == "September 2017"
    assert (await fact_store.get_resolution(9999)) == fact


async def test_links_show_responses_on_the_target(fact_store: FactStore) -> None:
    test = fact_record("nuclear-test-9", kind="nuclear_test", figures={"test_number": 9, "site": "Somewhere"})
    resolution = fact_record(
        "unsc-9998",
        kind="un_resolution",
        responds_to=["nuclear-test-9"],
        figures={"resolution_number": 9998, "votes_for": 15, "votes_against": 0, "abstentions": 0},
    )
    await fact_store.seed([parse_fact(resolution), parse_fact(test)], "v1")
    detail = await fact_store.get_fact_detail("nuclear-test-9")
    assert detail is not None
    assert [r.id for r in detail.responses] == ["unsc-9998"]
    detail = await fact_store.get_fact_detail("unsc-9998")
    assert detail is not None
    assert [r.id for r in detail.responds_to] == ["nuclear-test-9"]


async def test_an_import_with_one_bad_record_changes_nothing(fact_store: FactStore) -> None:
    await fact_store.seed([parse_fact(fact_record("keep", summary="Original."))], "v1")
    records = [
        fact_record("keep", summary="Changed."),
        fact_record("new-one"),
        fact_record("bad-date", date="2017-02-30"),
        fact_record("bad-kind", kind="earthquake"),
    ]
    service = FactService(fact_store)
    report = await service.import_file(
        json.dumps(records).encode(), "json", editor_id=1, editor_name="m", dry_run=False
    )
    assert not report.applied
    assert {label for label, _ in report.rejected} == {"bad-date", "bad-kind"}
    assert any("February 2017 has 28 days" in reason for _, reason in report.rejected)
    assert any("unknown kind" in reason for _, reason in report.rejected)
    keep = await fact_store.get_fact("keep")
    assert keep is not None
    assert keep.summary == "Original."
    assert await fact_store.get_fact("new-one") is None


async def test_an_import_with_a_dangling_link_is_rejected(fact_store: FactStore) -> None:
    service = FactService(fact_store)
    records = [fact_record("linked", related=["does-not-exist"])]
    report = await service.import_file(
        json.dumps(records).encode(), "json", editor_id=1, editor_name="m", dry_run=False
    )
    assert report.rejected == (("linked", "related names unknown id 'does-not-exist'"),)
    assert await fact_store.get_fact("linked") is None


async def test_dry_run_reports_without_changing(fact_store: FactStore) -> None:
    service = FactService(fact_store)
    data = export_json([parse_fact(fact_record("dry"))]).encode()
    report = await service.import_file(data, "json", editor_id=1, editor_name="m", dry_run=True)
    assert report.added == ("dry",)
    assert not report.applied
    assert await fact_store.get_fact("dry") is None
    report = await service.import_file(data, "json", editor_id=1, editor_name="m", dry_run=False)
    assert report.applied
    assert await fact_store.get_fact("dry") is not None


async def test_listing_filters_by_category_year_issuer_and_system(fact_store: FactStore) -> None:
    facts = [
        fact_record(
            "launch-2017-07-04",
            kind="missile_launch",
            date="2017-07-04",
            figures={
                "systems": ["Hwasong-14"],
                "system_classes": ["ICBM"],
                "missiles": 1,
                "outcome": "success",
            },
        ),
        fact_record(
            "launch-2019-05-04",
            kind="missile_launch",
            date="2019-05-04",
            figures={"systems": ["KN-23"], "system_classes": ["SRBM"], "missiles": 2, "outcome": "success"},
        ),
        fact_record("us-eo-1", kind="unilateral", date="2017-09-21", figures={"issuer": "us"}),
        fact_record("jp-1", kind="unilateral", date="2017-08-25", figures={"issuer": "japan"}),
    ]
    await fact_store.seed([parse_fact(f) for f in facts], "v1")
    page = await fact_store.list_facts(FactFilter(category=Category.TESTS, newest_first=True))
    assert [f.id for f in page.facts] == ["launch-2019-05-04", "launch-2017-07-04"]
    page = await fact_store.list_facts(FactFilter(category=Category.TESTS, start="2017", end="2017"))
    assert [f.id for f in page.facts] == ["launch-2017-07-04"]
    assert page.total == 1
    page = await fact_store.list_facts(FactFilter(issuer="japan"))
    assert [f.id for f in page.facts] == ["jp-1"]
    page = await fact_store.list_facts(FactFilter(system="hwasong"))
    assert [f.id for f in page.facts] == ["launch-2017-07-04"]
    page = await fact_store.list_facts(FactFilter(system="100%_"))
    assert page.total == 0


async def test_online_backup_copies_the_facts(fact_store: FactStore, tmp_path: Path) -> None:
    await fact_store.seed([parse_fact(fact_record("backed-up"))], "v1")
    target = tmp_path / "backup.db"
    await fact_store.db.backup(target)
    async with Database.open(target) as copy:
        assert await FactStore(copy).get_fact("backed-up") is not None
    with pytest.raises(StoreError, match="already exists"):
        await fact_store.db.backup(target)


async def test_built_facts_are_bounded_the_longest_built_going_first(
    fact_store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.facts.store.facts.BUILT_FACTS_CACHE_SIZE", 3)
    await fact_store.seed([parse_fact(fact_record(f"f{i}")) for i in range(5)], "v1")
    await fact_store.facts_by_ids(["f0", "f1"])
    await fact_store.facts_by_ids(["f2", "f3", "f4"])
    assert list(fact_store._built) == ["f2", "f3", "f4"]
    await fact_store.facts_by_ids(["f0"])
    assert list(fact_store._built) == ["f3", "f4", "f0"]
    listed = await fact_store.facts_by_ids([f"f{i}" for i in range(5)])  # more than the bound: all returned
    assert [fact.id for fact in listed] == [f"f{i}" for i in range(5)]
    assert len(fact_store._built) == 3
