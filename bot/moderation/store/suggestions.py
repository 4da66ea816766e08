"""Per-server settings, moderators' drafts and members' suggested corrections."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.core.errors import Conflict, NotFound
from bot.db.database import Database
from bot.facts.store.rows import now_text
from bot.moderation.model.drafts import Draft

MAX_OPEN_SUGGESTIONS_PER_MEMBER = 5


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    moderator_role_id: int | None = None
    audit_channel_id: int | None = None


@dataclass(frozen=True)
class StoredDraft:
    id: int
    guild_id: int
    user_id: int
    action: str
    fact_id: str | None
    base_revision: int | None
    draft: Draft


@dataclass(frozen=True)
class Suggestion:
    id: int
    fact_id: str
    guild_id: int
    user_id: int
    user_name: str
    text: str
    status: str
    created_at: str
    handled_by: int | None = None
    handled_at: str | None = None


@dataclass(frozen=True)
class PendingImport:
    id: int
    filename: str
    file_format: str
    data: bytes


class ModerationStore:
    """Settings, drafts and suggestions: small tables the moderation commands need."""

    def __init__(self, db: Database):
        self.db = db

    # --- settings --------------------------------------------------------------------------------

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        sql = "SELECT moderator_role_id, audit_channel_id FROM guild_settings WHERE guild_id = ?"
        row = await self.db.fetch_one(sql, (guild_id,))
        return GuildSettings(guild_id, row[0], row[1]) if row else GuildSettings(guild_id)

    async def set_moderator_role(self, guild_id: int, role_id: int | None) -> None:
        await self._set_setting(guild_id, "moderator_role_id", role_id)

    async def set_audit_channel(self, guild_id: int, channel_id: int | None) -> None:
        await self._set_setting(guild_id, "audit_channel_id", channel_id)

    async def _set_setting(self, guild_id: int, column: str, value: int | None) -> None:
        assert column in ("moderator_role_id", "audit_channel_id")
        async with self.db.transaction() as tx:
            await tx.execute(
                f"INSERT INTO guild_settings (guild_id, {column}, updated_at) VALUES (?, ?, ?) "
                f"ON CONFLICT (guild_id) DO UPDATE SET {column} = excluded.{column}, updated_at = excluded.updated_at",
                (guild_id, value, now_text()),
            )

    # --- drafts ----------------------------------------------------------------------------------

    async def save_draft(
        self,
        *,
        guild_id: int,
        user_id: int,
        draft: Draft,
        base_revision: int | None,
        draft_id: int | None = None,
    ) -> int:
        """Store (or replace) a moderator's draft; returns its id."""
        action = "add" if base_revision is None else "edit"
        async with self.db.transaction() as tx:
            if draft_id is not None:
                cursor = await tx.execute(
                    "UPDATE fact_drafts SET draft = ? WHERE id = ? AND user_id = ?",
                    (draft.to_json(), draft_id, user_id),
                )
                if cursor.rowcount:
                    return draft_id
            cursor = await tx.execute(
                "INSERT INTO fact_drafts (guild_id, user_id, action, fact_id, base_revision, draft, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    guild_id,
                    user_id,
                    action,
                    draft.fact_id or None,
                    base_revision,
                    draft.to_json(),
                    now_text(),
                ),
            )
            return int(cursor.lastrowid or 0)

    async def get_draft(self, draft_id: int, user_id: int) -> StoredDraft:
        sql = "SELECT * FROM fact_drafts WHERE id = ? AND user_id = ?"
        row = await self.db.fetch_one(sql, (draft_id, user_id))
        if row is None:
            raise NotFound("That draft is gone (it was saved or cancelled). Start again with /factmod.")
        return _to_draft(row)

    async def delete_draft(self, draft_id: int) -> None:
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM fact_drafts WHERE id = ?", (draft_id,))

    # --- suggestions -----------------------------------------------------------------------------

    async def add_suggestion(
        self, *, fact_id: str, guild_id: int, user_id: int, user_name: str, text: str
    ) -> Suggestion:
        async with self.db.transaction() as tx:
            sql = "SELECT count(*) FROM suggestions WHERE user_id = ? AND status = 'open'"
            async with tx.execute(sql, (user_id,)) as cursor:
                row = await cursor.fetchone()
            if row and row[0] >= MAX_OPEN_SUGGESTIONS_PER_MEMBER:
                raise Conflict(
                    f"You already have {row[0]} suggestions waiting for the moderators; please wait until they "
                    "have been handled."
                )
            created = now_text()
            cursor = await tx.execute(
                "INSERT INTO suggestions (fact_id, guild_id, user_id, user_name, text, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (fact_id, guild_id, user_id, user_name, text, created),
            )
            suggestion_id = int(cursor.lastrowid or 0)
        return Suggestion(suggestion_id, fact_id, guild_id, user_id, user_name, text, "open", created)

    async def open_suggestions(self, *, limit: int = 25, offset: int = 0) -> tuple[list[Suggestion], int]:
        row = await self.db.fetch_one("SELECT count(*) FROM suggestions WHERE status = 'open'")
        total = int(row[0]) if row else 0
        sql = "SELECT * FROM suggestions WHERE status = 'open' ORDER BY created_at, id LIMIT ? OFFSET ?"
        return [_to_suggestion(r) for r in await self.db.fetch_all(sql, (limit, offset))], total

    async def handled_suggestions(self, status: str, *, limit: int = 25) -> tuple[list[Suggestion], int]:
        """Accepted or dismissed suggestions, the most recently handled first, with their count."""
        assert status in ("accepted", "dismissed")
        row = await self.db.fetch_one("SELECT count(*) FROM suggestions WHERE status = ?", (status,))
        total = int(row[0]) if row else 0
        sql = "SELECT * FROM suggestions WHERE status = ? ORDER BY handled_at DESC, id DESC LIMIT ?"
        return [_to_suggestion(r) for r in await self.db.fetch_all(sql, (status, limit))], total

    async def get_suggestion(self, suggestion_id: int) -> Suggestion:
        row = await self.db.fetch_one("SELECT * FROM suggestions WHERE id = ?", (suggestion_id,))
        if row is None:
            raise NotFound(f"There is no suggestion #{suggestion_id}.")
        return _to_suggestion(row)

    async def close_suggestion(self, suggestion_id: int, *, status: str, handled_by: int) -> Suggestion:
        """Mark an open suggestion accepted or dismissed; refuse if someone already handled it."""
        assert status in ("accepted", "dismissed")
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE suggestions SET status = ?, handled_by = ?, handled_at = ? WHERE id = ? AND status = 'open'",
                (status, handled_by, now_text(), suggestion_id),
            )
            if not cursor.rowcount:
                raise Conflict(f"Suggestion #{suggestion_id} was already handled.")
        return await self.get_suggestion(suggestion_id)

    # --- pending imports -------------------------------------------------------------------------

    async def save_pending_import(
        self, *, guild_id: int, user_id: int, filename: str, file_format: str, data: bytes
    ) -> int:
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                "INSERT INTO pending_imports (guild_id, user_id, filename, file_format, data, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (guild_id, user_id, filename, file_format, data, now_text()),
            )
            return int(cursor.lastrowid or 0)

    async def take_pending_import(self, import_id: int, user_id: int) -> PendingImport:
        """Remove and return a pending import; only its uploader may take it."""
        async with self.db.transaction() as tx:
            sql = "SELECT * FROM pending_imports WHERE id = ? AND user_id = ?"
            async with tx.execute(sql, (import_id, user_id)) as cursor:
                row = await cursor.fetchone()
            if row is None:
                raise NotFound(
                    "That import is no longer waiting (it was confirmed or cancelled). Upload it again."
                )
            await tx.execute("DELETE FROM pending_imports WHERE id = ?", (import_id,))
        return PendingImport(int(row["id"]), row["filename"], row["file_format"], bytes(row["data"]))


def _to_draft(row: aiosqlite.Row) -> StoredDraft:
    return StoredDraft(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        user_id=int(row["user_id"]),
        action=row["action"],
        fact_id=row["fact_id"],
        base_revision=row["base_revision"],
        draft=Draft.from_json(row["draft"]),
    )


def _to_suggestion(row: aiosqlite.Row) -> Suggestion:
    return Suggestion(
        id=int(row["id"]),
        fact_id=row["fact_id"],
        guild_id=int(row["guild_id"]),
        user_id=int(row["user_id"]),
        user_name=row["user_name"],
        text=row["text"],
        status=row["status"],
        created_at=row["created_at"],
        handled_by=row["handled_by"],
        handled_at=row["handled_at"],
    )
