"""Which shards a process runs and which servers it owns: Discord's rule, SHARD_IDS as people write it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.shards import EVERY_SHARD, ShardPlan, format_shard_ids, parse_shard_ids, shard_of

# A server id as Discord makes them: creation milliseconds since 2015 above bit 22.
SERVER = (123_456_789_012 << 22) | 0x2A_1234


def test_shard_of_is_discords_formula() -> None:
    # The creation millisecond modulo the count; the low 22 bits (worker, process, increment) play no part.
    assert [shard_of(SERVER, count) for count in (1, 2, 5, 16)] == [0, 0, 2, 4]
    assert shard_of(SERVER | 0x3F_FFFF, 5) == shard_of(SERVER & ~0x3F_FFFF, 5) == 2


@pytest.mark.parametrize(
    ("text", "count", "ids"),
    [
        ("0", 1, (0,)),
        ("0,1", 2, (0, 1)),
        ("0-3", 8, (0, 1, 2, 3)),
        ("5, 0-1", 8, (0, 1, 5)),
        (" 2 - 3 ", 4, (2, 3)),
    ],
)
def test_shard_ids_are_read_as_lists_and_ranges(text: str, count: int, ids: tuple[int, ...]) -> None:
    assert parse_shard_ids(text, count) == ids


@pytest.mark.parametrize(
    ("text", "count", "message"),
    [
        ("0,2", 2, "shard 2 does not exist with SHARD_COUNT=2 (shards are numbered 0 to 1)"),
        ("3-1", 4, "the range 3-1 runs backwards; write 1-3"),
        ("0-2,1", 4, "shard 1 is listed twice"),
        ("one", 4, "write shard numbers like 0,1 or 0-3, not 'one'"),
        ("-1", 4, "write shard numbers like 0,1 or 0-3"),
        ("0,", 4, "write shard numbers like 0,1 or 0-3"),
        ("1-", 4, "write shard numbers like 0,1 or 0-3"),
    ],
)
def test_bad_shard_ids_say_what_is_wrong(text: str, count: int, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_shard_ids(text, count)


@given(st.sets(st.integers(0, 63), min_size=1))
def test_shard_ids_print_as_text_that_reads_back(ids: set[int]) -> None:
    ordered = tuple(sorted(ids))
    assert parse_shard_ids(format_shard_ids(ordered), 64) == ordered


@given(st.lists(st.integers(1 << 22, (1 << 63) - 1), max_size=50), st.integers(1, 12))
def test_processes_with_disjoint_shards_own_every_server_exactly_once(guilds: list[int], count: int) -> None:
    plans = [ShardPlan(count, (shard,)) for shard in range(count)]
    for guild in guilds:
        assert sum(plan.owns(guild) for plan in plans) == 1
        assert ShardPlan(count).owns(guild)
        assert EVERY_SHARD.owns(guild)


def test_a_plan_describes_itself_and_knows_who_runs_shard_0() -> None:
    assert EVERY_SHARD.describe() == "all shards"
    assert ShardPlan(4).describe() == "all 4 shards"
    assert ShardPlan(4, (0, 1, 2, 3)).runs_all
    assert ShardPlan(4, (0, 1)).describe() == "shards 0-1 of 4"
    assert ShardPlan(4, (2,)).describe() == "shard 2 of 4"
    assert [plan.runs_first_shard for plan in (EVERY_SHARD, ShardPlan(2, (0,)), ShardPlan(2, (1,)))] == [
        True,
        True,
        False,
    ]


@pytest.mark.parametrize(
    ("count", "ids", "message"),
    [
        (0, None, "from 1 to"),
        (2, (), "at least one shard"),
        (2, (1, 0), "distinct and in order"),
        (2, (2,), "run from 0 to 1"),
        (None, (0,), "need a shard count"),
    ],
)
def test_an_impossible_plan_is_refused(count: int | None, ids: tuple[int, ...] | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ShardPlan(count, ids)
