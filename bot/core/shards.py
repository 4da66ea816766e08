"""Shards: which Discord gateway shards a bot process runs, and so which servers it owns.

Discord routes a server's events to shard `(guild_id >> 22) % shard_count`. A process owns the servers
of the shards it runs, and only the owner posts to a server on a schedule (the daily quiz, its reveal,
alerts): it has the server in its cache, and no other process posts there too. `shard_of` is the one
definition of that rule; the database registers it as the SQL function `shard_of` so that scheduled
work is selected with the same code.
"""

from __future__ import annotations

from dataclasses import dataclass

# Discord gives no upper bound; this only catches a typo (10,000 shards is 10 to 25 million servers).
MAX_SHARD_COUNT = 10_000


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord sends a server's events to, out of `shard_count`."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class ShardPlan:
    """The shards one process runs: `ids` out of `count` in all.

    `count` None: as many as Discord recommends, all of them here. `ids` None: all `count` of them here.
    """

    count: int | None = None
    ids: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.count is not None and not 1 <= self.count <= MAX_SHARD_COUNT:
            raise ValueError(f"a shard count is from 1 to {MAX_SHARD_COUNT}, not {self.count}")
        if self.ids is not None:
            if self.count is None:
                raise ValueError("shard ids need a shard count")
            if not self.ids:
                raise ValueError("a process runs at least one shard")
            if len(set(self.ids)) != len(self.ids) or list(self.ids) != sorted(self.ids):
                raise ValueError(f"shard ids must be distinct and in order, not {self.ids}")
            if not all(0 <= shard < self.count for shard in self.ids):
                raise ValueError(f"shard ids run from 0 to {self.count - 1}, not {self.ids}")

    @property
    def runs_all(self) -> bool:
        """Whether this process runs every shard (and so owns every server)."""
        return self.ids is None or len(self.ids) == self.count

    @property
    def runs_first_shard(self) -> bool:
        """Whether this process runs shard 0, which Discord sends the events of no server (DMs) and which
        also does the work that belongs to no server (watching the operator's feeds)."""
        return self.ids is None or 0 in self.ids

    def owns(self, guild_id: int) -> bool:
        """Whether the server's events come to this process (so it posts there on a schedule)."""
        if self.runs_all:
            return True
        assert self.count is not None
        assert self.ids is not None
        return shard_of(guild_id, self.count) in self.ids

    def describe(self) -> str:
        """For logs and errors: "shards 0-1 of 4", "shard 2 of 4", "all shards"."""
        if self.count is None:
            return "all shards"
        if self.ids is None or self.runs_all:
            return f"all {self.count} shard{'s' if self.count > 1 else ''}"
        return f"shard{'s' if len(self.ids) > 1 else ''} {format_shard_ids(self.ids)} of {self.count}"


EVERY_SHARD = ShardPlan()


def parse_shard_ids(text: str, count: int) -> tuple[int, ...]:
    """Read "0,1", "0-3" or "0-1,4" into sorted shard ids; ValueError in plain words otherwise."""
    found: set[int] = set()
    for part in text.replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise ValueError(f"write shard numbers like 0,1 or 0-3, not {text!r}")
        start, end = int(first), int(last) if dash else int(first)
        if end < start:
            raise ValueError(f"the range {part} runs backwards; write {end}-{start}")
        if end >= count:
            raise ValueError(
                f"shard {end} does not exist with SHARD_COUNT={count} (shards are numbered 0 to {count - 1})"
            )
        shards = set(range(start, end + 1))
        if found & shards:
            raise ValueError(f"shard {min(found & shards)} is listed twice in {text!r}")
        found |= shards
    return tuple(sorted(found))


def format_shard_ids(ids: tuple[int, ...]) -> str:
    """The shortest text parse_shard_ids reads back: (0, 1, 2, 5) -> "0-2,5"."""
    runs: list[str] = []
    start = previous = ids[0]
    for shard in (*ids[1:], None):
        if shard is not None and shard == previous + 1:
            previous = shard
            continue
        runs.append(str(start) if start == previous else f"{start}-{previous}")
        if shard is not None:
            start = previous = shard
    return ",".join(runs)
