"""SHARD_COUNT and SHARD_IDS: read into the plan the bot runs, or refused in one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.settings import Settings, SettingsError
from bot.core.shards import ShardPlan
from tests.app.test_cli import run_cli


def plan(**environ: str) -> ShardPlan:
    return Settings.from_environment(environ, env_file=None).shard_plan


def test_no_shard_settings_run_every_shard_discord_recommends() -> None:
    assert plan() == ShardPlan(None, None)
    assert plan().runs_all


def test_a_count_alone_runs_all_of_them_here() -> None:
    assert plan(SHARD_COUNT="4") == ShardPlan(4, None)
    assert plan(SHARD_COUNT="4").runs_all


@pytest.mark.parametrize(("ids", "expected"), [("0,1", (0, 1)), ("0-3", (0, 1, 2, 3)), ("2", (2,))])
def test_ids_pick_the_shards_of_this_process(ids: str, expected: tuple[int, ...]) -> None:
    assert plan(SHARD_COUNT="8", SHARD_IDS=ids) == ShardPlan(8, expected)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT must be a whole number from 1 to 10000, not '0'"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be a whole number from 1 to 10000, not 'two'"),
        ({"SHARD_COUNT": "-2"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS needs SHARD_COUNT, the number of shards in all processes together"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0-2"}, "SHARD_IDS: shard 2 does not exist with SHARD_COUNT=2"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "a,b"}, "SHARD_IDS: write shard numbers like 0,1 or 0-3"),
    ],
)
def test_bad_shard_settings_are_named_and_explained(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(")):
        Settings.from_environment(environ, env_file=None)


def test_the_program_refuses_bad_shard_settings_in_one_line(tmp_path: Path) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "bot.db"), "SHARD_COUNT": "2", "SHARD_IDS": "1,2"}
    result = run_cli("run", env=env | {"DISCORD_TOKEN": "not-a-real-token"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: SHARD_IDS: shard 2 does not exist with SHARD_COUNT=2 (shards are numbered 0 to 1)"
    ]
