"""Moderator changes to facts: add, edit, retire, restore, revert, each with its revision.

Every change and its revision are written in one transaction. Edits name the revision they were
based on; if the fact has moved on since, the change is refused (no lost updates).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.core.errors import Conflict, NotFound
from bot.db.database import Database
from bot.facts.model.fact import Fact, parse_fact
from bot.facts.store.rows import (
    content_apart_from_checked,
    insert_fact,
    now_text,
    row_to_fact,
    snapshot_json,
    update_fact,
)


@dataclass(frozen=True)
class Editor:
    """Who made a change: a Discord user id (None for the command line) and a display name."""

    user_id: int | None
    name: str


@dataclass(frozen=True)
class Revision:
    fact_id: str
    revision: int
    action: str
    snapshot: dict[str, Any]
    editor_id: int | None
    editor_name: str
    reason: str
    created_at: str

    def fact(self) -> Fact:
        content = {k: v for k, v in self.snapshot.items() if k not in ("retired", "retired_reason")}
        return parse_fact(content)

    @property
    def retired(self) -> bool:
        return bool(self.snapshot.get("retired"))


@dataclass(frozen=True)
class FactChange:
    """The result of a change: the new state and the revision before it (None for an addition)."""

    fact: Fact
    revision: Revision
    previous: Revision | None


class StaleRevision(Conflict):
    """The edit was based on an older revision; `current` is the fact as it is now."""

    def __init__(self, current: Fact, base_revision: int):
        super().__init__(
            f"This fact was changed by someone else since you opened it (you edited revision {base_revision}; "
            f"it is now at revision {current.revision}). Nothing was saved. The current text is:\n"
            f"**{current.title}** ({current.date.display()})\n{current.summary}\n"
            "Open it again with /factmod edit to make your change on top of it."
        )
        self.current = current


class FactEditStore:
    """Intent-named moderator changes over the fact tables."""

    def __init__(self, db: Database):
        self.db = db

    async def add_fact(self, fact: Fact, editor: Editor, reason: str = "") -> FactChange:
        async with self.db.transaction(changes_facts=True) as tx:
            if await _current(tx, fact.id) is not None:
                raise Conflict(
                    f"A fact with the id `{fact.id}` already exists; choose another id or edit that fact."
                )
            await insert_fact(tx, fact, origin="moderator", edited=True)
            revision = await _record(tx, fact, 1, "add", editor, reason, retired=False)
        return FactChange(_with(fact, 1), revision, None)

    async def edit_fact(
        self, fact: Fact, *, base_revision: int, editor: Editor, reason: str = ""
    ) -> FactChange:
        """Replace a fact's content, if `base_revision` is still its current revision."""
        async with self.db.transaction(changes_facts=True) as tx:
            current = await self._require(tx, fact.id)
            if current.revision != base_revision:
                raise StaleRevision(current, base_revision)
            if content_apart_from_checked(current) == content_apart_from_checked(fact):
                # Only `checked` (set to this month by the form) differs: a no-op stays a no-op.
                raise Conflict("Nothing changed: the new text is the same as the current revision.")
            previous = await _revision(tx, fact.id, current.revision)
            number = current.revision + 1
            await update_fact(tx, fact, revision=number, edited=True)
            revision = await _record(
                tx,
                fact,
                number,
                "edit",
                editor,
                reason,
                retired=current.retired,
                retired_reason=current.retired_reason,
            )
        return FactChange(_with(fact, number, current), revision, previous)

    async def retire_fact(self, fact_id: str, *, editor: Editor, reason: str) -> FactChange:
        return await self._set_retired(fact_id, True, editor, reason)

    async def restore_fact(self, fact_id: str, *, editor: Editor, reason: str = "") -> FactChange:
        return await self._set_retired(fact_id, False, editor, reason)

    async def revert_fact(
        self, fact_id: str, revision: int, *, editor: Editor, reason: str = ""
    ) -> FactChange:
        """Make revision `revision` current again, exactly (content and retired state), as a new revision."""
        async with self.db.transaction(changes_facts=True) as tx:
            current = await self._require(tx, fact_id)
            target = await _revision(tx, fact_id, revision)
            if target is None:
                raise NotFound(
                    f"`{fact_id}` has no revision {revision}; it has revisions 1 to {current.revision}."
                )
            if revision == current.revision:
                raise Conflict(f"Revision {revision} is already the current one.")
            previous = await _revision(tx, fact_id, current.revision)
            fact = target.fact()
            number = current.revision + 1
            await update_fact(tx, fact, revision=number, edited=True)
            await _set_retired_columns(
                tx, fact_id, target.retired, str(target.snapshot.get("retired_reason", ""))
            )
            why = reason or f"revert to revision {revision}"
            new = await _record(
                tx,
                fact,
                number,
                "revert",
                editor,
                why,
                retired=target.retired,
                retired_reason=str(target.snapshot.get("retired_reason", "")),
            )
        restored = _with(fact, number)
        return FactChange(
            Fact(
                **{
                    **vars(restored),
                    "retired": target.retired,
                    "retired_reason": str(target.snapshot.get("retired_reason", "")),
                }
            ),
            new,
            previous,
        )

    async def revisions(self, fact_id: str) -> list[Revision]:
        """Every revision of a fact, newest first."""
        sql = "SELECT * FROM fact_revisions WHERE fact_id = ? ORDER BY revision DESC"
        return [_to_revision(row) for row in await self.db.fetch_all(sql, (fact_id,))]

    async def _set_retired(self, fact_id: str, retired: bool, editor: Editor, reason: str) -> FactChange:
        async with self.db.transaction(changes_facts=True) as tx:
            current = await self._require(tx, fact_id)
            if current.retired == retired:
                state = "retired" if retired else "in the record"
                raise Conflict(f"`{fact_id}` is already {state}.")
            previous = await _revision(tx, fact_id, current.revision)
            number = current.revision + 1
            await tx.execute(
                "UPDATE facts SET revision = ?, edited = 1, updated_at = ? WHERE id = ?",
                (number, now_text(), fact_id),
            )
            await _set_retired_columns(tx, fact_id, retired, reason if retired else "")
            action = "retire" if retired else "restore"
            revision = await _record(
                tx,
                current,
                number,
                action,
                editor,
                reason,
                retired=retired,
                retired_reason=reason if retired else "",
            )
        changed = Fact(
            **{
                **vars(current),
                "revision": number,
                "retired": retired,
                "retired_reason": reason if retired else "",
            }
        )
        return FactChange(changed, revision, previous)

    async def _require(self, tx: aiosqlite.Connection, fact_id: str) -> Fact:
        fact = await _current(tx, fact_id)
        if fact is None:
            raise NotFound(f"There is no fact with the id `{fact_id}`.")
        return fact


def _with(fact: Fact, revision: int, current: Fact | None = None) -> Fact:
    values = vars(fact) | {"revision": revision, "origin": current.origin if current else "moderator"}
    if current is not None:
        values |= {"retired": current.retired, "retired_reason": current.retired_reason}
    return Fact(**values)


async def _current(tx: aiosqlite.Connection, fact_id: str) -> Fact | None:
    """The fact as the write connection sees it inside the transaction (sources and links included)."""
    async with tx.execute("SELECT * FROM facts WHERE id = ?", (fact_id,)) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    snapshot = await _revision(tx, fact_id, int(row["revision"]))
    if snapshot is None:
        return row_to_fact(row, [], {})
    content = snapshot.fact()
    return Fact(
        **{
            **vars(content),
            "retired": row["retired_at"] is not None,
            "retired_reason": row["retired_reason"],
            "origin": row["origin"],
            "revision": int(row["revision"]),
        }
    )


async def _revision(tx: aiosqlite.Connection, fact_id: str, revision: int) -> Revision | None:
    sql = "SELECT * FROM fact_revisions WHERE fact_id = ? AND revision = ?"
    async with tx.execute(sql, (fact_id, revision)) as cursor:
        row = await cursor.fetchone()
    return _to_revision(row) if row else None


async def _set_retired_columns(tx: aiosqlite.Connection, fact_id: str, retired: bool, reason: str) -> None:
    await tx.execute(
        "UPDATE facts SET retired_at = CASE WHEN ? THEN coalesce(retired_at, ?) END, retired_reason = ? WHERE id = ?",
        (int(retired), now_text(), reason, fact_id),
    )


async def _record(
    tx: aiosqlite.Connection,
    fact: Fact,
    number: int,
    action: str,
    editor: Editor,
    reason: str,
    *,
    retired: bool,
    retired_reason: str = "",
) -> Revision:
    snapshot = snapshot_json(fact, retired=retired, retired_reason=retired_reason)
    created = now_text()
    await tx.execute(
        "INSERT INTO fact_revisions (fact_id, revision, action, snapshot, editor_id, editor_name, reason, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (fact.id, number, action, snapshot, editor.user_id, editor.name, reason, created),
    )
    return Revision(
        fact.id, number, action, json.loads(snapshot), editor.user_id, editor.name, reason, created
    )


def _to_revision(row: aiosqlite.Row) -> Revision:
    return Revision(
        fact_id=row["fact_id"],
        revision=int(row["revision"]),
        action=row["action"],
        snapshot=json.loads(row["snapshot"]),
        editor_id=row["editor_id"],
        editor_name=row["editor_name"],
        reason=row["reason"],
        created_at=row["created_at"],
    )
