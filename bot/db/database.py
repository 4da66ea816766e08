"""The SQLite file: connections, numbered migrations, transactions and online backups.

Two connections: reads go through one, writes through the other under a lock, so a reader never
sees another coroutine's half-finished transaction and WAL lets both run at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import sqlite3
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.folding import name_key
from bot.core.shards import shard_of

log = logging.getLogger(__name__)

# How long a write waits for another process's lock (a backup, an import) before StoreBusy.
# Under Discord's 3-second interaction deadline, so a locked database still gets a polite answer in time.
BUSY_TIMEOUT_MS = 2000


class StoreError(RuntimeError):
    """The database cannot be used; the message says why in plain words."""


class StoreBusy(StoreError):
    """The database stayed locked by another process past the busy timeout."""


# How often caches look for fact changes made by another process (see Database.facts_version).
OTHER_WRITERS_CHECK_SECONDS = 1.0


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every numbered `.sql` file, in order."""
    found = []
    for entry in resources.files("bot.db").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    if [v for v, _, _ in found] != list(range(1, len(found) + 1)):
        raise StoreError("migrations must be numbered 0001, 0002, … without gaps or repeats")
    return found


def latest_version() -> int:
    return len(migrations())


class Database:
    """An open fact-store database. Use `async with Database.open(path) as db:`."""

    def __init__(self, path: Path, reader: aiosqlite.Connection, writer: aiosqlite.Connection):
        self.path = path
        self.reader = reader
        self._writer = writer
        self._write_lock = asyncio.Lock()
        self._facts_version = 0
        self._facts_version_read_at = -math.inf

    @classmethod
    @asynccontextmanager
    async def open(
        cls, path: Path, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> AsyncIterator[Database]:
        """Open (creating if needed) and migrate the database at `path`."""
        path = Path(path)
        if not path.parent.is_dir():
            raise StoreError(f"cannot open the database {path}: the folder {path.parent} does not exist")
        writer = await _connect(path, busy_timeout_ms)
        try:
            if migrate:
                await _migrate(writer, path)
            else:
                await _check_version(writer, path)
            reader = await _connect(path, busy_timeout_ms)
        except BaseException:
            await writer.close()
            raise
        db = cls(path, reader, writer)
        try:
            yield db
        finally:
            await reader.close()
            await writer.close()

    @asynccontextmanager
    async def transaction(self, *, changes_facts: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT), rolled back on any error.

        `changes_facts`: the transaction may add, edit or retire facts, so caches of them must look
        again at once (see facts_version)."""
        async with self._write_lock:
            # The BEGIN runs in aiosqlite's thread whatever happens to this task: a task cancelled while
            # waiting for it (a loop stopped at shutdown) must still end the transaction, or the shared
            # writer would stay inside it and every later write would fail.
            begin = asyncio.ensure_future(self._writer.execute("BEGIN IMMEDIATE"))
            try:
                await asyncio.shield(begin)
            except sqlite3.OperationalError as error:
                raise _translate(error, self.path) from error
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    await begin
                    await self._writer.rollback()
                raise
            try:
                yield self._writer
            except sqlite3.OperationalError as error:
                await asyncio.shield(self._writer.rollback())
                if not _is_environmental(error):
                    raise
                # A full disk or a read-only file shows up on the first write, not at BEGIN.
                raise _translate(error, self.path) from error
            except BaseException:
                await asyncio.shield(self._writer.rollback())
                raise
            try:
                await self._writer.commit()
            except sqlite3.OperationalError as error:
                await self._writer.rollback()
                raise _translate(error, self.path) from error
            if changes_facts:
                self._facts_version_read_at = -math.inf

    async def write_one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> int:
        """Run one statement as its own transaction (SQLite makes a lone statement atomic) and return
        how many rows it changed. One trip to the writer's thread instead of three (BEGIN, the
        statement, COMMIT): under a burst, every trip waits for the event loop, and the write lock is
        held meanwhile."""
        async with self._write_lock:
            changes_before = self._writer.total_changes
            try:
                await self._writer.execute_fetchall(sql, params)  # runs, and closes its cursor, in one trip
            except sqlite3.OperationalError as error:
                if not _is_environmental(error):
                    raise
                raise _translate(error, self.path) from error
            return self._writer.total_changes - changes_before

    async def write_returning(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> list[sqlite3.Row]:
        """Run one statement with a RETURNING clause as its own transaction, in one trip like
        `write_one`, and return its rows (none when it changed nothing)."""
        async with self._write_lock:
            try:
                return list(await self._writer.execute_fetchall(sql, params))
            except sqlite3.OperationalError as error:
                if not _is_environmental(error):
                    raise
                raise _translate(error, self.path) from error

    async def facts_version(self) -> int:
        """A number that changes whenever the facts change (a trigger keeps it; migration 0005), for
        caches of what they say: read again at once after this process changes facts, and at most
        OTHER_WRITERS_CHECK_SECONDS late after another process does (the command line's import)."""
        now = time.monotonic()
        if now - self._facts_version_read_at >= OTHER_WRITERS_CHECK_SECONDS:
            row = await self.fetch_one("SELECT value FROM store_meta WHERE key = 'facts_version'")
            self._facts_version = int(row[0]) if row else 0
            self._facts_version_read_at = now
        return self._facts_version

    async def fetch_all(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[sqlite3.Row]:
        """Rows of one read, in one trip to the reader's thread (execute, fetch and close together)."""
        return list(await self.reader.execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Row | None:
        """The first row of a read that returns at most a few (by key, or an aggregate)."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def schema_version(self) -> int:
        row = await self.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def backup(self, target: Path) -> None:
        """Copy the live database to `target` with SQLite's online backup (safe while running)."""
        target = Path(target)
        if target.exists():
            raise StoreError(f"{target} already exists; choose a new file name for the backup")
        if not target.parent.is_dir():
            raise StoreError(f"cannot write the backup: the folder {target.parent} does not exist")
        async with aiosqlite.connect(target) as destination:
            await self.reader.backup(destination)

    async def get_meta(self, key: str) -> str | None:
        """A value the bot keeps about itself (dataset version, synced-commands hash)."""
        row = await self.fetch_one("SELECT value FROM store_meta WHERE key = ?", (key,))
        return str(row[0]) if row else None

    async def set_meta(self, key: str, value: str) -> None:
        async with self.transaction() as tx:
            await tx.execute(
                "INSERT INTO store_meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    async def integrity_check(self) -> str:
        row = await self.fetch_one("PRAGMA integrity_check")
        return str(row[0]) if row else "no answer"


async def _connect(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> aiosqlite.Connection:
    try:
        connection = await aiosqlite.connect(path, isolation_level=None)
    except sqlite3.OperationalError as error:
        raise StoreError(f"cannot open the database {path}: {error}") from error
    try:
        connection.row_factory = aiosqlite.Row
        await connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        await connection.execute("PRAGMA foreign_keys = ON")
        async with connection.execute("PRAGMA journal_mode = WAL") as cursor:
            mode = await cursor.fetchone()
        if mode is not None and str(mode[0]).lower() != "wal":
            # A file system without shared memory (a network share): SQLite keeps its old journal.
            log.warning(
                "%s stays in %s journal mode (its file system cannot do WAL): readers wait for writers, "
                "and bot processes on other machines must not share it",
                path,
                mode[0],
            )
        await connection.execute("PRAGMA synchronous = NORMAL")
        # For migration 0004, which fills the autocomplete names with the same folding as the bot.
        await connection.create_function("name_key", 1, name_key, deterministic=True)
        # Scheduled work picks the servers this process owns with the bot's own rule (bot.db.ownership).
        await connection.create_function("shard_of", 2, shard_of, deterministic=True)
    except sqlite3.DatabaseError as error:
        await connection.close()
        raise StoreError(f"cannot use {path} as the database: {error}") from error
    return connection


async def _check_version(connection: aiosqlite.Connection, path: Path) -> int:
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    version = int(row[0]) if row else 0
    latest = latest_version()
    if version > latest:
        raise StoreError(
            f"the database {path} was written by a newer version of DPRK Watch (schema {version}; "
            f"this version knows up to {latest}). Upgrade the bot or use a backup."
        )
    return version


async def _migrate(connection: aiosqlite.Connection, path: Path) -> None:
    version = await _check_version(connection, path)
    for number, name, sql in migrations():
        if number <= version:
            continue
        log.info("Applying migration %s", name)
        # executescript would commit on its own; run statement by statement inside one transaction.
        try:
            await connection.execute("BEGIN IMMEDIATE")
            for statement in _split_statements(sql):
                await connection.execute(statement)
            await connection.execute(f"PRAGMA user_version = {number}")
            await connection.commit()
        except sqlite3.Error as error:
            await connection.rollback()
            raise StoreError(f"migration {name} failed on {path}: {error}") from error


def _split_statements(sql: str) -> list[str]:
    """Split a migration into statements; `sqlite3.complete_statement` keeps triggers whole."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        raise StoreError("a migration ends with an incomplete statement")
    return statements


ENVIRONMENTAL_ERRORS = ("locked", "busy", "readonly", "full")


def _is_environmental(error: sqlite3.OperationalError) -> bool:
    """Caused by the file or the disk, not by the SQL: a bug in a statement is not translated."""
    return any(word in str(error) for word in ENVIRONMENTAL_ERRORS)


def _translate(error: sqlite3.OperationalError, path: Path) -> StoreError:
    message = str(error)
    if "locked" in message or "busy" in message:
        return StoreBusy(f"the database {path} is busy (locked by another process); try again shortly")
    if "readonly" in message:
        return StoreError(f"the database {path} is read-only; changes cannot be saved")
    if "full" in message:
        return StoreError(f"the disk holding {path} is full; changes cannot be saved")
    return StoreError(f"database error on {path}: {message}")
