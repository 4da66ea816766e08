"""Moderation in SQLite: fact edits with their revisions, and the moderators' queues and settings."""

from bot.moderation.store.edits import Editor, FactChange, FactEditStore, Revision, StaleRevision
from bot.moderation.store.suggestions import (
    MAX_OPEN_SUGGESTIONS_PER_MEMBER,
    GuildSettings,
    ModerationStore,
    PendingImport,
    StoredDraft,
    Suggestion,
)

__all__ = [
    "MAX_OPEN_SUGGESTIONS_PER_MEMBER",
    "Editor",
    "FactChange",
    "FactEditStore",
    "GuildSettings",
    "ModerationStore",
    "PendingImport",
    "Revision",
    "StaleRevision",
    "StoredDraft",
    "Suggestion",
]
