"""Faults in the database file: a second bot process on it, a lock held by another process (a backup, a
script), a read-only file and a full disk. Commands fail politely, lookups keep working, nothing is
corrupted."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.db.database import Database, StoreError
from bot.db.instance_lock import AlreadyRunning, instance_lock, lock_path
from bot.kit.error_path import STORE_BUSY, STORE_UNAVAILABLE
from tests.app.test_cli import PROJECT_ROOT, run_cli
from tests.conftest import WatchBot, WatchEnv
from tests.fuzz_settings import FACT_TABLES, database_digest

# Low enough that a write blocked by another process fails well inside Discord's 3-second deadline.
TEST_BUSY_TIMEOUT_MS = 200


# --- One bot process per database ----------------------------------------------------------------


def test_the_instance_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    with instance_lock(database):
        with pytest.raises(AlreadyRunning, match="already running on"), instance_lock(database):
            pass
        assert lock_path(database).read_text().strip() == str(os.getpid())
    with instance_lock(database):  # released when the block ends
        pass


def test_a_second_bot_on_the_same_database_refuses_to_start(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    env = {"DATABASE_PATH": str(database), "DISCORD_TOKEN": "not-a-real-token", "LOG_LEVEL": "WARNING"}
    with instance_lock(database):
        result = run_cli("run", env=env, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "another DPRK Watch process" in lines[0]
    assert f"(pid {os.getpid()})" in lines[0]
    assert str(database) in lines[0]
    assert not database.exists(), "the refused process opened the database"


def test_the_lock_dies_with_a_killed_process(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from bot.db.instance_lock import instance_lock
                with instance_lock({str(database)!r}):
                    print("locked", flush=True)
                    sys.stdin.read()
                """
            ),
        ],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning), instance_lock(database):
            pass
        holder.kill()  # SIGKILL: no clean-up code runs
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(timeout=30)
    with instance_lock(database):
        pass


# --- A database locked by another process ----------------------------------------------------------


async def reopen(watch: WatchEnv, run_bot: Any, **database_options: Any) -> None:
    """Restart the bot on the same file, opened with `database_options` (the fixture closes it)."""
    assert watch.runner is not None
    await watch.runner.stop()

    async def factory() -> WatchBot:
        await watch.close_database()
        watch._db_context = Database.open(watch.settings.database_path, **database_options)
        watch.db = await watch._db_context.__aenter__()
        return WatchBot(settings=watch.settings, db=watch.db, clock=watch.clock)

    watch.runner = await run_bot(factory)


@pytest.fixture
def other_process_lock(watch: WatchEnv) -> Iterator[sqlite3.Connection]:
    """Another connection (a backup script, a stray second instance) holding the write lock."""
    other = sqlite3.connect(watch.settings.database_path, isolation_level=None)
    try:
        yield other
    finally:
        if other.in_transaction:
            other.rollback()
        other.close()


async def test_a_locked_database_fails_writes_politely_and_keeps_lookups(
    watch: WatchEnv, run_bot: Any, other_process_lock: sqlite3.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    await reopen(watch, run_bot, busy_timeout_ms=TEST_BUSY_TIMEOUT_MS)
    mod, alice = watch.moderator(), watch.member("alice")
    before = database_digest(watch.settings.database_path, FACT_TABLES)
    other_process_lock.execute("BEGIN EXCLUSIVE")

    refused = await mod.slash("factmod retire", fact="nuclear-test-6", reason="while locked")
    assert refused.ephemeral
    assert refused.content == STORE_BUSY
    assert any("busy" in r.getMessage() for r in caplog.records if r.name == "bot.kit.error_path")
    # WAL: readers are not blocked by a writer, so lookups still answer.
    card = await alice.slash("fact", fact="nuclear-test-6")
    assert "Sixth nuclear test" in card.embed["title"]
    answered = await alice.slash("search", query="sixth nuclear test")
    assert answered.embeds

    other_process_lock.rollback()
    assert database_digest(watch.settings.database_path, FACT_TABLES) == before
    done = await mod.slash("factmod retire", fact="nuclear-test-6", reason="after the lock")
    assert done.content.startswith("Retired: `nuclear-test-6` is now at revision")
    assert await watch.db.integrity_check() == "ok"  # type: ignore[union-attr]


# --- A read-only file and a full disk ---------------------------------------------------------------


RETIRED_IN_TURN = (
    "nuclear-test-6",
    "unsc-2397",
    "nuclear-test-5",
    "unsc-2375",
    "nuclear-test-4",
    "unsc-2371",
)


async def make_read_only(db: Database) -> None:
    # The tests run as root, for whom chmod does not make a file read-only; query_only makes SQLite
    # answer exactly what it answers for a read-only file (SQLITE_READONLY) to every write.
    async with db.transaction() as writer:
        await writer.execute("PRAGMA query_only = ON")


async def fill_the_disk(db: Database) -> None:
    """The file may not grow by another page, and the free pages it has are used up: SQLITE_FULL."""
    async with db.reader.execute("PRAGMA page_count") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    async with db.transaction() as writer:
        await writer.execute(f"PRAGMA max_page_count = {int(row[0])}")

    async def write_until_full() -> None:
        for n in range(10_000):
            await db.set_meta(f"filler-{n}", "x" * 1500)

    with pytest.raises(StoreError, match="full"):
        await write_until_full()


@pytest.mark.parametrize("fault", ["read-only file", "full disk"])
async def test_edits_get_a_clear_message_lookups_work_and_nothing_is_corrupted(
    watch: WatchEnv, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    db = watch.db
    assert db is not None
    mod, alice = watch.moderator(), watch.member("alice")
    await (make_read_only(db) if fault == "read-only file" else fill_the_disk(db))
    before = database_digest(watch.settings.database_path, FACT_TABLES)

    saved, refused = [], []
    for fact in RETIRED_IN_TURN:
        resp = await mod.slash("factmod retire", fact=fact, reason=f"{fault} test")
        assert resp.ephemeral
        if resp.content.startswith("Retired:"):  # a full disk may still have room in a page for a small edit
            saved.append(fact)
        else:
            assert resp.content == STORE_UNAVAILABLE, f"{fault}: {fact} answered {resp.content!r}"
            refused.append(fact)
    assert refused
    if fault == "read-only file":
        assert not saved
    if not saved:
        assert database_digest(watch.settings.database_path, FACT_TABLES) == before
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.kit.error_path"]
    assert any(("read-only" if fault == "read-only file" else "full") in m for m in logged), logged

    assert "First nuclear test" in (await alice.slash("fact", fact="nuclear-test-1")).embed["title"]
    assert (await alice.slash("search", query="sanctions after the sixth test")).embeds
    assert (await alice.slash("timeline", start="2016", end="2017")).embeds

    check = sqlite3.connect(watch.settings.database_path)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        retired = {
            fact_id
            for (fact_id,) in check.execute(
                f"SELECT id FROM facts WHERE retired_at IS NOT NULL AND id IN ({','.join('?' * len(RETIRED_IN_TURN))})",
                RETIRED_IN_TURN,
            )
        }
        assert retired == set(saved)
        assert_revisions_consistent(check)
    finally:
        check.close()


def assert_revisions_consistent(connection: sqlite3.Connection) -> None:
    """Every fact's current revision is its newest recorded revision: no edit is half-written."""
    mismatched = connection.execute(
        """SELECT f.id, f.revision, max(r.revision) FROM facts f
           LEFT JOIN fact_revisions r ON r.fact_id = f.id
           GROUP BY f.id HAVING f.revision IS NOT max(r.revision)"""
    ).fetchall()
    assert mismatched == []


async def test_a_task_cancelled_while_starting_a_transaction_leaves_the_writer_usable(tmp_path: Path) -> None:
    """A loop stopped while its write waits for BEGIN (at shutdown, say) must not leave the shared writer
    inside a transaction: the next write would fail with 'cannot start a transaction within a transaction'."""
    import asyncio

    async with Database.open(tmp_path / "facts.db") as db:

        async def write() -> None:
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO store_meta (key, value) VALUES ('a', '1')")

        for _ in range(20):  # cancel at different points of the BEGIN's trip to the writer's thread
            task = asyncio.ensure_future(write())
            await asyncio.sleep(0)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            async with db.transaction() as tx:
                await tx.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('b', '2')")
        assert await db.get_meta("b") == "2"
