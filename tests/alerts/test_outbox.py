"""The outbox on a real SQLite file: the trigger of migration 0007 writes a row for exactly the changes
worth announcing, in the change's own transaction, batched per seed or import; planning makes one
delivery per subscription and batch, never for changes older than the subscription."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.alerts.model import AlertFilter, ChangeKind
from bot.alerts.store import AlertStore
from bot.db.database import Database
from bot.facts.model.fact import parse_fact
from bot.facts.store import FactStore
from bot.moderation.store.edits import Editor, FactEditStore
from tests.conftest import fact_record

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
MOD = Editor(1, "mod")


async def events(db: Database) -> list[tuple[str, str, int]]:
    rows = await db.fetch_all("SELECT fact_id, change, batch FROM alert_events ORDER BY id")
    return [(r[0], r[1], int(r[2])) for r in rows]


async def test_only_additions_retirements_and_corrections_of_date_title_figures(database: Database) -> None:
    edits = FactEditStore(database)
    fact = parse_fact(fact_record("outbox-fact"))
    await edits.add_fact(fact, MOD)
    await edits.edit_fact(replace(fact, summary="Only reworded."), base_revision=1, editor=MOD)
    await edits.edit_fact(
        replace(fact, summary="Only reworded.", title="Retitled"), base_revision=2, editor=MOD
    )
    await edits.edit_fact(
        replace(
            fact, summary="Only reworded.", title="Retitled", figures={"participants": ["US", "DPRK", "ROK"]}
        ),
        base_revision=3,
        editor=MOD,
    )
    await edits.retire_fact("outbox-fact", editor=MOD, reason="duplicate")
    await edits.restore_fact("outbox-fact", editor=MOD)
    await edits.revert_fact("outbox-fact", 1, editor=MOD)  # back to the first title: a correction
    found = await events(database)
    assert [(f, c) for f, c, _ in found] == [
        ("outbox-fact", "added"),
        ("outbox-fact", "corrected"),
        ("outbox-fact", "corrected"),
        ("outbox-fact", "retired"),
        ("outbox-fact", "corrected"),
    ]
    assert len({batch for _, _, batch in found}) == len(found)  # a moderator's changes stand alone


async def test_an_import_is_one_batch_and_a_planned_batch_is_never_extended(database: Database) -> None:
    facts = FactStore(database)
    store = AlertStore(database)
    sub = await store.subscribe(1, 10, AlertFilter.EVERYTHING, None, False, NOW)
    batch_one = [parse_fact(fact_record(f"import-{n}")) for n in range(3)]
    await facts.import_facts(batch_one, editor_id=None, editor_name="cli", dry_run=False)
    assert len({b for _, _, b in await events(database)}) == 1
    assert await store.plan(NOW) == 1
    assert await store.plan(NOW) == 0
    await facts.import_facts(
        [parse_fact(fact_record("import-9"))], editor_id=None, editor_name="cli", dry_run=False
    )
    assert len({b for _, _, b in await events(database)}) == 2
    assert await store.plan(NOW) == 1
    [first, second] = await store.deliveries_of(sub.id)
    first_events = await store.batch_events(first.batch)
    assert [e.fact_id for e in first_events] == ["import-0", "import-1", "import-2"]
    assert all(e.change is ChangeKind.ADDED for e in first_events)
    assert [e.fact_id for e in await store.batch_events(second.batch)] == ["import-9"]


async def test_a_new_subscription_never_sees_older_changes(database: Database) -> None:
    edits = FactEditStore(database)
    store = AlertStore(database)
    await edits.add_fact(parse_fact(fact_record("before")), MOD)  # not planned yet when subscribing
    sub = await store.subscribe(1, 10, AlertFilter.EVERYTHING, None, False, NOW)
    assert await store.plan(NOW) == 0
    await edits.add_fact(parse_fact(fact_record("after")), MOD)
    assert await store.plan(NOW) == 1
    [delivery] = await store.deliveries_of(sub.id)
    assert [e.fact_id for e in await store.batch_events(delivery.batch)] == ["after"]


def test_major_means_nuclear_tests_icbm_irbm_satellites_and_un_resolutions() -> None:
    major = AlertFilter.MAJOR
    assert major.matches("nuclear_test", {})
    assert major.matches("satellite_launch", {"system_classes": ["SLV"]})
    assert major.matches("un_resolution", {})
    assert major.matches("missile_launch", {"system_classes": ["SRBM", "IRBM"]})
    assert not major.matches("missile_launch", {"system_classes": ["SRBM"]})
    assert not major.matches("unilateral", {})
    assert not major.matches("summit", {})
    assert AlertFilter.SANCTIONS.matches("unilateral", {})
    assert not AlertFilter.TALKS.matches("nuclear_test", {})
