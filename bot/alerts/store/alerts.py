"""Alert subscriptions, planning the outbox into deliveries, and claiming them.

The outbox (alert_events) is written by a trigger on fact_revisions, in the transaction of the change
itself; this store only reads it. Every change here is one transaction on the single writer, so two
ticks (or two processes) planning or claiming at once resolve to one winner by the UNIQUE keys and the
state checks in each UPDATE.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import aiosqlite

from bot.alerts.model import (
    AlertFilter,
    ChangeKind,
    Delivery,
    DeliveryState,
    FactEvent,
    FailureOutcome,
    Subscription,
    relevant,
)
from bot.core.shards import EVERY_SHARD, ShardPlan
from bot.db.database import Database
from bot.db.ownership import owned_by

# A claim neither sent nor failed within this time is taken to have died with its process.
CLAIM_LEASE = timedelta(minutes=5)
# A delivery failing for a passing reason (a server error) is tried again this many times in all.
MAX_SEND_ATTEMPTS = 5
# Failed deliveries in a row after which a subscription pauses until it is made again.
PAUSE_AFTER_FAILURES = 3


def to_ts(moment: datetime) -> str:
    """One fixed-width UTC form, so stored times compare correctly as text."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _subscription(row: Any) -> Subscription:
    return Subscription(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        only=AlertFilter(row["only"]),
        role_id=row["role_id"],
        thread=bool(row["thread"]),
        since_event=int(row["since_event"]),
        failures=int(row["failures"]),
        last_error=row["last_error"],
        paused=row["paused_at"] is not None,
    )


EVENTS_SQL = """
    SELECT e.id, e.batch, e.fact_id, e.change, e.action, e.editor_name, e.reason,
           r.snapshot AS content, p.snapshot AS previous
    FROM alert_events e
    JOIN fact_revisions r ON r.fact_id = e.fact_id AND r.revision = e.revision
    LEFT JOIN fact_revisions p ON p.fact_id = e.fact_id AND p.revision = e.previous_revision"""


def _event(row: Any) -> FactEvent:
    return FactEvent(
        id=int(row["id"]),
        batch=int(row["batch"]),
        fact_id=row["fact_id"],
        change=ChangeKind(row["change"]),
        action=row["action"],
        editor_name=row["editor_name"],
        reason=row["reason"],
        content=json.loads(row["content"]),
        previous=json.loads(row["previous"]) if row["previous"] else None,
    )


class AlertStore:
    """Intent-named reads and writes for alerts. The only place alerts meet SQL."""

    def __init__(self, db: Database):
        self.db = db

    # --- subscriptions ---------------------------------------------------------------------------

    async def subscribe(
        self,
        guild_id: int,
        channel_id: int,
        only: AlertFilter,
        role_id: int | None,
        thread: bool,
        now: datetime,
    ) -> Subscription:
        """Subscribe a channel (or change its subscription, which also resumes a paused one). It sees
        only changes made from now on."""
        async with self.db.transaction() as tx:
            await tx.execute(
                """INSERT INTO alert_subscriptions (guild_id, channel_id, only, role_id, thread, since_event,
                                                    created_at)
                   VALUES (?, ?, ?, ?, ?, (SELECT ifnull(max(id), 0) FROM alert_events), ?)
                   ON CONFLICT (channel_id) DO UPDATE SET only = excluded.only, role_id = excluded.role_id,
                       thread = excluded.thread, since_event = excluded.since_event, failures = 0,
                       last_error = '', paused_at = NULL""",
                (guild_id, channel_id, only.value, role_id, int(thread), to_ts(now)),
            )
            async with tx.execute(
                "SELECT * FROM alert_subscriptions WHERE channel_id = ?", (channel_id,)
            ) as cursor:
                row = await cursor.fetchone()
        assert row is not None
        return _subscription(row)

    async def unsubscribe(self, guild_id: int, channel_id: int) -> bool:
        """Stop alerts in a channel (its undelivered alerts too); False if it was not subscribed."""
        changed = await self.db.write_one(
            "DELETE FROM alert_subscriptions WHERE guild_id = ? AND channel_id = ?", (guild_id, channel_id)
        )
        return changed > 0

    async def subscriptions(self, guild_id: int) -> list[Subscription]:
        """A server's subscriptions, in the order they were made."""
        rows = await self.db.fetch_all(
            "SELECT * FROM alert_subscriptions WHERE guild_id = ? ORDER BY id", (guild_id,)
        )
        return [_subscription(row) for row in rows]

    async def subscription_in(self, channel_id: int) -> Subscription | None:
        row = await self.db.fetch_one("SELECT * FROM alert_subscriptions WHERE channel_id = ?", (channel_id,))
        return _subscription(row) if row else None

    # --- planning --------------------------------------------------------------------------------

    async def plan(self, now: datetime) -> int:
        """Turn the outbox rows not yet planned into one pending delivery per batch and subscription
        that announces any of them; return how many deliveries were made. A planned batch is closed:
        a later change starts a new one.

        Reads first and writes only when there is something to plan for someone: a background loop
        that took the write lock every few seconds would hold up other processes for nothing."""
        if not await self.db.fetch_one(
            """SELECT 1 WHERE EXISTS (SELECT 1 FROM alert_subscriptions WHERE paused_at IS NULL)
                 AND EXISTS (SELECT 1 FROM alert_events WHERE planned = 0)"""
        ):
            return 0
        async with self.db.transaction() as tx:
            async with tx.execute(EVENTS_SQL + " WHERE e.planned = 0 ORDER BY e.id") as cursor:
                events = [_event(row) for row in await cursor.fetchall()]
            if not events:
                return 0
            await tx.execute(
                "UPDATE alert_events SET planned = 1 WHERE planned = 0 AND id <= ?", (events[-1].id,)
            )
            async with tx.execute("SELECT * FROM alert_subscriptions WHERE paused_at IS NULL") as cursor:
                subscriptions = [_subscription(row) for row in await cursor.fetchall()]
            batches: dict[int, list[FactEvent]] = {}
            for event in events:
                batches.setdefault(event.batch, []).append(event)
            made = 0
            for batch, members in batches.items():
                for subscription in subscriptions:
                    if relevant(members, subscription.only, subscription.since_event):
                        cursor = await tx.execute(
                            """INSERT INTO alert_deliveries (subscription_id, batch, state, created_at)
                               VALUES (?, ?, 'pending', ?) ON CONFLICT DO NOTHING""",
                            (subscription.id, batch, to_ts(now)),
                        )
                        made += cursor.rowcount
        return made

    async def batch_events(self, batch: int) -> list[FactEvent]:
        """Every outbox row of a batch, in order."""
        return [
            _event(r)
            for r in await self.db.fetch_all(EVENTS_SQL + " WHERE e.batch = ? ORDER BY e.id", (batch,))
        ]

    # --- deliveries ------------------------------------------------------------------------------

    async def due_deliveries(
        self, now: datetime, limit: int = 1000, *, shards: ShardPlan = EVERY_SHARD
    ) -> list[int]:
        """Deliveries to try now, oldest first: pending ones, and claims whose lease ran out, of
        subscriptions that are not paused, in servers of `shards` (planning is shared work: any process
        plans the whole outbox; each posts its own servers' deliveries)."""
        owned, owned_params = owned_by("s.guild_id", shards)
        sql = f"""SELECT d.id FROM alert_deliveries d
                 JOIN alert_subscriptions s ON s.id = d.subscription_id AND s.paused_at IS NULL
                 WHERE ((d.state = 'pending' AND d.attempts < ?) OR (d.state = 'claimed' AND d.claimed_at <= ?))
                   AND {owned}
                 ORDER BY d.id LIMIT ?"""
        rows = await self.db.fetch_all(
            sql, (MAX_SEND_ATTEMPTS, to_ts(now - CLAIM_LEASE), *owned_params, limit)
        )
        return [int(row[0]) for row in rows]

    async def claim(self, delivery_id: int, now: datetime) -> Delivery | None:
        """Claim the right to post a delivery; None if it is sent, failed, paused, or being posted by
        someone else. A delivery claimed again after a stale claim has attempts > 1: the caller looks
        for the message it may already have sent."""
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                """UPDATE alert_deliveries SET state = 'claimed', attempts = attempts + 1, claimed_at = ?
                   WHERE id = ? AND ((state = 'pending' AND attempts < ?) OR (state = 'claimed' AND claimed_at <= ?))
                     AND subscription_id IN (SELECT id FROM alert_subscriptions WHERE paused_at IS NULL)""",
                (to_ts(now), delivery_id, MAX_SEND_ATTEMPTS, to_ts(now - CLAIM_LEASE)),
            )
            if cursor.rowcount != 1:
                return None
            return await _delivery(tx, delivery_id)

    async def mark_sent(self, delivery_id: int, message_id: int, now: datetime) -> bool:
        """Record the posted message; the subscription's run of failures ends. False if the claim was
        lost (the subscription was removed meanwhile)."""
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                """UPDATE alert_deliveries SET state = 'sent', message_id = ?, sent_at = ?, last_error = ''
                   WHERE id = ? AND state = 'claimed'""",
                (message_id, to_ts(now), delivery_id),
            )
            await tx.execute(
                """UPDATE alert_subscriptions SET failures = 0, last_error = ''
                   WHERE id = (SELECT subscription_id FROM alert_deliveries WHERE id = ?)""",
                (delivery_id,),
            )
            return cursor.rowcount == 1

    async def mark_skipped(self, delivery_id: int) -> None:
        """Close a claimed delivery with nothing to post (its subscription was changed since)."""
        await self.db.write_one(
            "UPDATE alert_deliveries SET state = 'skipped' WHERE id = ? AND state = 'claimed'", (delivery_id,)
        )

    async def mark_failed(
        self, delivery_id: int, error: str, now: datetime, *, permanent: bool
    ) -> FailureOutcome | None:
        """Record a failed send. A passing failure is retried (up to MAX_SEND_ATTEMPTS attempts); a
        permanent one (or the last attempt) counts against the subscription, which pauses after
        PAUSE_AFTER_FAILURES in a row. None if the claim was lost or the delivery will be retried."""
        text = f"{to_ts(now)} {error}"[:500]
        async with self.db.transaction() as tx:
            delivery = await _delivery(tx, delivery_id)
            if delivery is None or delivery.state is not DeliveryState.CLAIMED:
                return None
            if not permanent and delivery.attempts < MAX_SEND_ATTEMPTS:
                await tx.execute(
                    "UPDATE alert_deliveries SET state = 'pending', last_error = ? WHERE id = ?",
                    (text, delivery_id),
                )
                return None
            await tx.execute(
                "UPDATE alert_deliveries SET state = 'failed', last_error = ? WHERE id = ?",
                (text, delivery_id),
            )
            failures = delivery.subscription.failures + 1
            paused = failures >= PAUSE_AFTER_FAILURES
            await tx.execute(
                """UPDATE alert_subscriptions SET failures = ?, last_error = ?,
                       paused_at = CASE WHEN ? THEN coalesce(paused_at, ?) END WHERE id = ?""",
                (failures, error[:300], int(paused), to_ts(now), delivery.subscription.id),
            )
        return FailureOutcome(failures, report=failures == 1, paused=paused)

    async def delivery(self, delivery_id: int) -> Delivery | None:
        return await _delivery(self.db.reader, delivery_id)

    async def deliveries_of(self, subscription_id: int) -> list[Delivery]:
        """A subscription's deliveries, oldest first (for tests and diagnostics)."""
        rows = await self.db.fetch_all(
            "SELECT id FROM alert_deliveries WHERE subscription_id = ? ORDER BY id", (subscription_id,)
        )
        found = [await self.delivery(int(row[0])) for row in rows]
        return [d for d in found if d is not None]


async def _delivery(connection: aiosqlite.Connection, delivery_id: int) -> Delivery | None:
    sql = """SELECT d.id AS delivery_id, d.batch, d.state, d.attempts, s.* FROM alert_deliveries d
             JOIN alert_subscriptions s ON s.id = d.subscription_id WHERE d.id = ?"""
    async with connection.execute(sql, (delivery_id,)) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    return Delivery(
        int(row["delivery_id"]),
        int(row["batch"]),
        DeliveryState(row["state"]),
        int(row["attempts"]),
        _subscription(row),
    )
