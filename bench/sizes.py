"""How much work each figure does: tiny in smoke mode (CI keeps the suite working), real in full mode."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    members: int  # distinct members the interactions rotate through (per-member cooldowns apply)
    single_flight: int  # interactions per command, one at a time
    bursts: tuple[int, ...]  # simultaneous interactions
    throughput: int  # /search interactions per concurrency level
    throughput_rounds: int  # /null and /search measured in turns this many times; the median run counts
    concurrency: tuple[int, ...]
    synthetic_facts: int
    store_queries: int  # searches and autocompletes per store
    fanout_servers: int
    fanout_per_second: int  # the emulated global rate limit
    memory_servers: tuple[int, ...]
    memory_members_per_server: int
    chart_warm_calls: int
    shard_servers: int  # figure 8: servers in the sharded world
    shard_count: int
    shard_max_concurrency: int  # the emulator's session_start_limit.max_concurrency in figure 8


SMOKE = Sizes(
    members=20,
    single_flight=20,
    bursts=(10,),
    throughput=40,
    throughput_rounds=1,
    concurrency=(10,),
    synthetic_facts=1_000,
    store_queries=20,
    fanout_servers=20,
    fanout_per_second=10,
    memory_servers=(1,),
    memory_members_per_server=5,
    chart_warm_calls=2,
    shard_servers=40,
    shard_count=2,
    shard_max_concurrency=2,  # both shards start at once: smoke mode checks it works, not how long
)

FULL = Sizes(
    members=1_000,
    single_flight=200,
    bursts=(100, 1_000),
    throughput=1_000,
    throughput_rounds=3,
    concurrency=(10, 100),
    synthetic_facts=100_000,
    store_queries=300,
    fanout_servers=1_000,
    fanout_per_second=50,
    # 10,000 servers need shards (Discord refuses a session past 2,500): figure 8 runs them.
    memory_servers=(1,),
    memory_members_per_server=10,
    chart_warm_calls=5,
    # About one shard per 1,250 servers: under the 2,500 limit however the creation times fall.
    shard_servers=10_000,
    shard_count=8,
    shard_max_concurrency=1,  # what Discord gives most bots
)
