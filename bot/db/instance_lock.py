"""One bot process per database and shard: locks on files beside the database, held while the bot runs.

A process running every shard (the default) holds `DATABASE_PATH.lock` alone. Processes that each run
some of the shards (SHARD_COUNT, SHARD_IDS) share that lock and each holds one lock per shard it runs
(`DATABASE_PATH.shard-1-of-4.lock`), so two processes never run the same shard, while processes with
disjoint shards run side by side on the one database. All of them must split the servers the same
way: a shared lock per shard count (`DATABASE_PATH.shards-4.lock`) refuses a process whose count
differs from a running one's.

`flock` locks belong to the open file, so the kernel releases them when the process exits in any
way, SIGKILL included: a crash never leaves a stale lock behind. Maintenance commands (backup,
export, import) do not take them; SQLite's own locking keeps them safe beside a running bot.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bot.core.shards import EVERY_SHARD, ShardPlan
from bot.db.database import StoreError


class AlreadyRunning(StoreError):
    """Another bot process holds the database, or one of the shards asked for."""


def lock_path(database_path: Path) -> Path:
    return Path(f"{database_path}.lock")


def shard_lock_path(database_path: Path, shard_id: int, shard_count: int) -> Path:
    return Path(f"{database_path}.shard-{shard_id}-of-{shard_count}.lock")


def shard_count_lock_path(database_path: Path, shard_count: int) -> Path:
    return Path(f"{database_path}.shards-{shard_count}.lock")


@contextmanager
def instance_lock(database_path: Path, shards: ShardPlan = EVERY_SHARD) -> Iterator[None]:
    """Hold the locks of a process running `shards` on the database for the block; AlreadyRunning if
    another process runs any of those shards (or every shard, or a different count of them)."""
    database_path = Path(database_path)
    if not lock_path(database_path).parent.is_dir():
        raise StoreError(
            f"cannot open the database {database_path}: the folder {database_path.parent} does not exist"
        )
    with ExitStack() as held:
        if shards.runs_all:
            _hold_whole_database(held, database_path)
        else:
            _hold_shards(held, database_path, shards)
        yield


def _hold_whole_database(held: ExitStack, database_path: Path) -> None:
    descriptor = held.enter_context(_opened(lock_path(database_path)))
    if _try_lock(descriptor, fcntl.LOCK_EX):
        _write_pid(descriptor)  # for people reading the file; the lock itself is what counts
        return
    if _try_lock(descriptor, fcntl.LOCK_SH):  # only processes running some of the shards hold it
        raise AlreadyRunning(
            f"DPRK Watch processes running some of the shards are already running on {database_path}; "
            "stop them first, or run this one with SHARD_COUNT and SHARD_IDS that none of them runs"
        )
    holder = _read_pid(descriptor)
    raise AlreadyRunning(
        f"another DPRK Watch process{f' (pid {holder})' if holder else ''} is already running on "
        f"{database_path}; stop it first, or give this one its own DATABASE_PATH"
    )


def _hold_shards(held: ExitStack, database_path: Path, shards: ShardPlan) -> None:
    assert shards.count is not None
    assert shards.ids is not None
    whole = held.enter_context(_opened(lock_path(database_path)))
    if not _try_lock(whole, fcntl.LOCK_SH):
        holder = _read_pid(whole)
        raise AlreadyRunning(
            f"another DPRK Watch process{f' (pid {holder})' if holder else ''} is already running every "
            f"shard on {database_path}; stop it first, or run each process with SHARD_COUNT and SHARD_IDS"
        )
    # Our count's lock first, then a look at the others: of two processes starting at once with
    # different counts, at least one sees the other's lock.
    ours = held.enter_context(_opened(shard_count_lock_path(database_path, shards.count)))
    if not _try_lock(ours, fcntl.LOCK_SH):  # held only for a moment, by a process checking the counts
        raise AlreadyRunning(
            f"a DPRK Watch process with another SHARD_COUNT is starting on {database_path}; every process "
            f"on one database must use the same SHARD_COUNT (this one has {shards.count})"
        )
    for other in _other_shard_counts(database_path, shards.count):
        with _opened(shard_count_lock_path(database_path, other)) as descriptor:
            if not _try_lock(descriptor, fcntl.LOCK_EX):
                raise AlreadyRunning(
                    f"a DPRK Watch process is already running on {database_path} with SHARD_COUNT={other}; "
                    f"every process on one database must use the same SHARD_COUNT (this one has {shards.count})"
                )
    for shard in shards.ids:
        descriptor = held.enter_context(_opened(shard_lock_path(database_path, shard, shards.count)))
        if not _try_lock(descriptor, fcntl.LOCK_EX):
            holder = _read_pid(descriptor)
            raise AlreadyRunning(
                f"shard {shard} of {shards.count} is already run by another DPRK Watch process"
                f"{f' (pid {holder})' if holder else ''} on {database_path}; give this process "
                "SHARD_IDS that no running process has"
            )
        _write_pid(descriptor)


def _other_shard_counts(database_path: Path, count: int) -> list[int]:
    pattern = re.compile(re.escape(database_path.name) + r"\.shards-(\d+)\.lock")
    found = (pattern.fullmatch(path.name) for path in database_path.parent.iterdir())
    return sorted(int(match.group(1)) for match in found if match and int(match.group(1)) != count)


@contextmanager
def _opened(path: Path) -> Iterator[int]:
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StoreError(f"cannot create the lock file {path}: {error.strerror}") from error
    try:
        yield descriptor
    finally:
        os.close(descriptor)  # releases its lock


def _try_lock(descriptor: int, operation: int) -> bool:
    try:
        fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _write_pid(descriptor: int) -> None:
    with contextlib.suppress(OSError):
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)


def _read_pid(descriptor: int) -> str:
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""
