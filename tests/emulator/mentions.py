"""Who a message could ping: its mention syntax, filtered by its effective `allowed_mentions`.

An absent `allowed_mentions` permits everything, as on Discord. Every message the bot writes is recorded
with the `allowed_mentions` it was sent with (edits too: completing a deferred reply does ping, and a
mention that is only harmless because of an edit is a bug waiting to happen).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

USER_MENTION = re.compile(r"<@!?(\d{15,21})>")
ROLE_MENTION = re.compile(r"<@&(\d{15,21})>")
MASS_MENTION = re.compile(r"@(everyone|here)")


@dataclass(frozen=True)
class MentionRecord:
    """One message write: route, message, content, and the `allowed_mentions` sent (None: absent)."""

    route: str
    message_id: int
    content: str
    allowed_mentions: dict[str, Any] | None
    replied_to_author: int | None = None


def possible_pings(content: str, allowed_mentions: dict[str, Any] | None) -> list[str]:
    """The pings `content` could cause under `allowed_mentions`, e.g. ["@everyone", "user 123"]."""
    parse = None if allowed_mentions is None else set(allowed_mentions.get("parse") or ())
    users = set() if allowed_mentions is None else {int(u) for u in allowed_mentions.get("users") or ()}
    roles = set() if allowed_mentions is None else {int(r) for r in allowed_mentions.get("roles") or ()}
    pings: list[str] = []
    for match in MASS_MENTION.finditer(content):
        if parse is None or "everyone" in parse:
            pings.append(f"@{match.group(1)}")
    for match in USER_MENTION.finditer(content):
        user_id = int(match.group(1))
        if parse is None or "users" in parse or user_id in users:
            pings.append(f"user {user_id}")
    for match in ROLE_MENTION.finditer(content):
        role_id = int(match.group(1))
        if parse is None or "roles" in parse or role_id in roles:
            pings.append(f"role {role_id}")
    return pings


def record_pings(record: MentionRecord) -> list[str]:
    """Pings for one recorded write, including the reply ping to the replied-to author."""
    pings = possible_pings(record.content, record.allowed_mentions)
    if record.replied_to_author is not None:
        allowed = record.allowed_mentions
        if allowed is None or allowed.get("replied_user", False):
            pings.append(f"reply to user {record.replied_to_author}")
    return pings
