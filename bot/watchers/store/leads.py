"""Leads found in feeds and each feed's fetch state (migration 0008): the watchers' only SQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from bot.core.errors import Conflict, NotFound
from bot.db.database import Database
from bot.watchers.model import FeedState, FoundLead, Lead

LAUNCH_KINDS = ("missile_launch", "satellite_launch")
# An open lead for a launch day is offered only while the record lacks that day (a saved draft ends it).
_STILL_NEEDED = """
    l.status = 'open' AND (l.launch_date IS NULL OR NOT EXISTS (
        SELECT 1 FROM facts f WHERE f.date = l.launch_date AND f.kind IN ('missile_launch', 'satellite_launch')))
"""


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _lead(row: Any) -> Lead:
    return Lead(
        id=int(row["id"]),
        feed=row["feed"],
        title=row["title"],
        date=row["date"],
        link=row["link"],
        matched=row["matched"],
        status=row["status"],
        draft_json=row["draft"],
        launch_date=row["launch_date"],
    )


class LeadStore:
    """The moderators' queue of leads and the feeds' conditional-GET state."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def launch_days_in_record(self, days: Iterable[str]) -> set[str]:
        """Which of these Korean dates the record has a launch day for (retired ones count: a moderator
        decided about that day already)."""
        wanted = sorted(set(days))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = await self.db.fetch_all(
                f"SELECT DISTINCT date FROM facts WHERE kind IN (?, ?) AND date IN ({', '.join('?' * len(chunk))})",
                (*LAUNCH_KINDS, *chunk),
            )
            found.update(str(row[0]) for row in rows)
        return found

    async def add_leads(self, leads: Iterable[FoundLead], now: datetime) -> list[int]:
        """Store new leads; an item already seen in its feed (open, dismissed or drafted) is skipped.
        Returns the ids of the leads added."""
        added: list[int] = []
        async with self.db.transaction() as tx:
            for lead in leads:
                cursor = await tx.execute(
                    "INSERT INTO watch_leads (feed, item_key, title, date, link, matched, launch_date, draft, "
                    "found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (feed, item_key) DO NOTHING",
                    (
                        lead.feed,
                        lead.key,
                        lead.title,
                        lead.date,
                        lead.link,
                        lead.matched,
                        lead.launch_date,
                        lead.draft.to_json(),
                        _ts(now),
                    ),
                )
                if cursor.rowcount:
                    added.append(int(cursor.lastrowid or 0))
                await cursor.close()
        return added

    async def open_leads(self, *, limit: int) -> tuple[list[Lead], int]:
        """The oldest open leads the record still lacks, and how many there are in all."""
        rows = await self.db.fetch_all(
            f"SELECT l.* FROM watch_leads l WHERE {_STILL_NEEDED} ORDER BY l.id LIMIT ?", (limit,)
        )
        total = await self.db.fetch_one(f"SELECT count(*) FROM watch_leads l WHERE {_STILL_NEEDED}")
        return [_lead(row) for row in rows], int(total[0]) if total else 0

    async def get_lead(self, lead_id: int) -> Lead:
        row = await self.db.fetch_one("SELECT * FROM watch_leads WHERE id = ?", (lead_id,))
        if row is None:
            raise NotFound(f"There is no lead #{lead_id}.")
        return _lead(row)

    async def dismiss(self, lead_id: int, *, user_id: int, now: datetime) -> Lead:
        """Dismiss an open lead; raise Conflict when another moderator handled it already."""
        changed = await self.db.write_one(
            "UPDATE watch_leads SET status = 'dismissed', handled_by = ?, handled_at = ? "
            "WHERE id = ? AND status = 'open'",
            (user_id, _ts(now), lead_id),
        )
        lead = await self.get_lead(lead_id)
        if not changed:
            raise Conflict(f"Lead #{lead_id} was already dismissed.")
        return lead

    async def feed_state(self, name: str) -> FeedState:
        row = await self.db.fetch_one("SELECT * FROM watch_feeds WHERE name = ?", (name,))
        if row is None:
            return FeedState(name)
        return FeedState(
            name=name,
            etag=row["etag"],
            last_modified=row["last_modified"],
            failures=int(row["failures"]),
            last_error=row["last_error"],
            last_ok_at=row["last_ok_at"],
            last_polled_at=row["last_polled_at"],
        )

    async def record_success(
        self, name: str, *, etag: str | None, last_modified: str | None, now: datetime
    ) -> None:
        """A fetch worked (new content or 304): keep its validators, forget past failures."""
        await self.db.write_one(
            "INSERT INTO watch_feeds (name, etag, last_modified, failures, last_error, last_polled_at, "
            "last_ok_at) VALUES (?, ?, ?, 0, '', ?, ?) ON CONFLICT (name) DO UPDATE SET "
            "etag = excluded.etag, last_modified = excluded.last_modified, failures = 0, last_error = '', "
            "last_polled_at = excluded.last_polled_at, last_ok_at = excluded.last_ok_at",
            (name, etag, last_modified, _ts(now), _ts(now)),
        )

    async def record_failure(self, name: str, error: str, *, now: datetime) -> int:
        """A fetch or a parse failed: count it (the next try waits longer). Returns failures in a row."""
        await self.db.write_one(
            "INSERT INTO watch_feeds (name, failures, last_error, last_polled_at) VALUES (?, 1, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET failures = failures + 1, last_error = excluded.last_error, "
            "last_polled_at = excluded.last_polled_at",
            (name, error[:300], _ts(now)),
        )
        return (await self.feed_state(name)).failures

    async def feed_states(self) -> dict[str, FeedState]:
        rows = await self.db.fetch_all("SELECT name FROM watch_feeds")
        return {row[0]: await self.feed_state(row[0]) for row in rows}
