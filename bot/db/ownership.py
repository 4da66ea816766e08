"""Scheduled work selects only the servers whose shard this process runs (bot.core.shards).

Stores add `owned_by(column, shards)` to the queries a scheduler polls, so each process posts to its
own servers and a limit (reveals per tick, deliveries per tick) is never filled with another process's
servers, which would starve this one's while that process is down.
"""

from __future__ import annotations

import json

from bot.core.shards import ShardPlan


def owned_by(column: str, shards: ShardPlan) -> tuple[str, tuple[int | str, ...]]:
    """A condition on `column` (a server id) true for the servers `shards` owns, and its parameters
    (positional, in order). `column` is code, never input."""
    if shards.runs_all:
        return "1", ()
    assert shards.count is not None
    assert shards.ids is not None
    return f"shard_of({column}, ?) IN (SELECT value FROM json_each(?))", (
        shards.count,
        json.dumps(shards.ids),
    )
