"""One bot process per database: an exclusive lock on a file beside it, held while the bot runs.

`flock` locks belong to the open file, so the kernel releases them when the process exits in any
way, SIGKILL included: a crash never leaves a stale lock behind. Maintenance commands (backup,
export, import) do not take it; SQLite's own locking keeps them safe beside a running bot.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.db.database import StoreError


class AlreadyRunning(StoreError):
    """Another bot process holds the database."""


def lock_path(database_path: Path) -> Path:
    return Path(f"{database_path}.lock")


@contextmanager
def instance_lock(database_path: Path) -> Iterator[None]:
    """Hold the database's instance lock for the block; AlreadyRunning if another process has it."""
    path = lock_path(Path(database_path))
    if not path.parent.is_dir():
        raise StoreError(f"cannot open the database {database_path}: the folder {path.parent} does not exist")
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StoreError(f"cannot create the lock file {path}: {error.strerror}") from error
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(descriptor)
            raise AlreadyRunning(
                f"another DPRK Watch process{f' (pid {holder})' if holder else ''} is already running on "
                f"{database_path}; stop it first, or give this one its own DATABASE_PATH"
            ) from None
        # The pid is for people reading the file; the lock itself is what counts.
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _read_pid(descriptor: int) -> str:
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""
