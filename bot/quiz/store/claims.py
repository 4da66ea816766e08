"""Claim before sending: the one rule by which a server's daily post and its weekly recap are sent
exactly once, across restarts and concurrent ticks.

Each message has a row keyed by what it is for (server and day; server and week), inserted as
'claimed' in the same transaction that checked there was none. Only the winner sends; it then marks the
row 'posted' (with the message id) or 'failed'. A failed row is claimed again by a later tick until
MAX_POST_ATTEMPTS; a claim older than CLAIM_LEASE is taken to have died with its process and is claimed
again too (the sender then looks for a message it may already have sent before sending another).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

import aiosqlite

from bot.db.database import Database
from bot.quiz.store.rows import from_ts, to_ts

# A claim not marked posted or failed within this time is taken to have died with its process.
CLAIM_LEASE = timedelta(minutes=10)
# After this many failed attempts the message is given up (and logged by the caller), not retried forever.
MAX_POST_ATTEMPTS = 5

ClaimTable = Literal["quiz_posts", "quiz_recaps"]


def may_claim_again(state: str, attempts: int, claimed_at: datetime, now: datetime) -> bool:
    """A row that exists may be claimed again: a failed send with attempts left, or a stale claim."""
    retry = state == "failed" and attempts < MAX_POST_ATTEMPTS
    stale = state == "claimed" and claimed_at <= now - CLAIM_LEASE
    return retry or stale


async def claim_again(
    tx: aiosqlite.Connection, table: ClaimTable, row: aiosqlite.Row, channel_id: int, now: datetime
) -> bool:
    """Inside the caller's transaction: claim an existing row again if the rule allows; False if it
    is taken (sent, being sent, given up, or in a final state of its own)."""
    if not may_claim_again(row["state"], int(row["attempts"]), from_ts(row["claimed_at"]), now):
        return False
    await tx.execute(
        f"""UPDATE {table} SET state = 'claimed', attempts = attempts + 1, claimed_at = ?, channel_id = ?
            WHERE id = ?""",
        (to_ts(now), channel_id, row["id"]),
    )
    return True


async def mark_sent(
    db: Database, table: ClaimTable, row_id: int, message_id: int, posted_at: datetime, **more: Any
) -> bool:
    """Record the message sent for a claim (and `more` columns); False if the claim was lost meanwhile
    (a daily post skipped by a moderator)."""
    columns = "".join(f", {name} = :{name}" for name in more)
    async with db.transaction() as tx:
        cursor = await tx.execute(
            f"""UPDATE {table} SET state = 'posted', message_id = :message_id, posted_at = :posted_at,
                    last_error = ''{columns}
                WHERE id = :id AND state = 'claimed'""",
            {"message_id": message_id, "posted_at": to_ts(posted_at), "id": row_id} | more,
        )
        return cursor.rowcount == 1


async def mark_failed(db: Database, table: ClaimTable, row_id: int, error: str, now: datetime) -> None:
    """Record a failed send; the claim is made again by a later tick until MAX_POST_ATTEMPTS."""
    async with db.transaction() as tx:
        await tx.execute(
            f"UPDATE {table} SET state = 'failed', last_error = ? WHERE id = ? AND state = 'claimed'",
            (f"{to_ts(now)} {error}"[:500], row_id),
        )
