"""The instance lock per shard range: processes running different shards share a database; two that
would run the same shard (or every shard, or split the servers differently) cannot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.core.shards import EVERY_SHARD, ShardPlan
from bot.db.instance_lock import AlreadyRunning, instance_lock, shard_lock_path
from tests.app.test_cli import run_cli


def test_disjoint_shard_ranges_run_side_by_side(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    with instance_lock(database, ShardPlan(4, (0, 1))), instance_lock(database, ShardPlan(4, (2, 3))):
        assert shard_lock_path(database, 3, 4).read_text().strip() == str(os.getpid())


def test_an_overlapping_range_is_refused_and_keeps_nothing(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    with instance_lock(database, ShardPlan(4, (1,))):
        with pytest.raises(AlreadyRunning) as refused, instance_lock(database, ShardPlan(4, (0, 1))):
            pass
        assert str(refused.value) == (
            f"shard 1 of 4 is already run by another DPRK Watch process (pid {os.getpid()}) on {database}; "
            "give this process SHARD_IDS that no running process has"
        )
        # Shard 0, taken before shard 1 was found busy, was let go.
        with instance_lock(database, ShardPlan(4, (0,))):
            pass
    with instance_lock(database, ShardPlan(4, (0, 1))):  # everything released when the block ends
        pass


def refusal(database: Path, shards: ShardPlan = EVERY_SHARD) -> str:
    """Why a process running `shards` may not start now."""
    with pytest.raises(AlreadyRunning) as refused, instance_lock(database, shards):
        pass
    return str(refused.value)


def test_a_process_running_every_shard_and_a_sharded_one_exclude_each_other(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    with instance_lock(database):
        assert "is already running every shard on" in refusal(database, ShardPlan(2, (1,)))
    with instance_lock(database, ShardPlan(2, (1,))):
        assert "processes running some of the shards are already running" in refusal(database)
        # A count with all its shards in one process runs every shard, so it is refused too.
        assert "running some of the shards" in refusal(database, ShardPlan(2))


def test_every_process_on_a_database_must_split_the_servers_the_same_way(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    with instance_lock(database, ShardPlan(2, (0,))):
        assert "with SHARD_COUNT=2; every process on one database must use the same SHARD_COUNT" in refusal(
            database, ShardPlan(4, (3,))
        )
    # The count's lock died with its holder: another count may start now.
    with instance_lock(database, ShardPlan(4, (3,))):
        pass


def test_the_program_says_which_shard_is_taken_in_one_line(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    env = {
        "DATABASE_PATH": str(database),
        "DISCORD_TOKEN": "not-a-real-token",
        "SHARD_COUNT": "3",
        "SHARD_IDS": "0-1",
    }
    with instance_lock(database, ShardPlan(3, (1,))):
        result = run_cli("run", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: shard 1 of 3 is already run by another DPRK Watch process (pid {os.getpid()}) on {database}; "
        "give this process SHARD_IDS that no running process has"
    ]
    assert not database.exists(), "the refused process opened the database"
