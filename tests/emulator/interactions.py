"""Interactions: the record of each one's life (acknowledgement, messages, refusals) and the common part
of every INTERACTION_CREATE payload (who, where, with which permissions).

The `data` part is built in `options.py` (commands, autocomplete) and `components.py` (clicks, selects,
modal submits).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from tests.emulator.clock import Changes
from tests.emulator.errors import ApiError
from tests.emulator.messages import Attachment
from tests.emulator.models import Channel, Guild, Member, User

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
# Which callback types Discord accepts for each interaction type.
ALLOWED_CALLBACKS: dict[int, set[int]] = {
    PING: {1},
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
# Where an interaction happens (`context`, InteractionContextType) and who installed the application that
# received it (keys of `authorizing_integration_owners`, ApplicationIntegrationType).
GUILD_CONTEXT, BOT_DM_CONTEXT, PRIVATE_CHANNEL_CONTEXT = 0, 1, 2
GUILD_INSTALL, USER_INSTALL = 0, 1


class EmulatorUsageError(Exception):
    """The test asked for something a Discord user could not do (unknown command, option or button)."""


class CommandNotSynced(EmulatorUsageError):
    """The command was never registered with Discord, so no member could invoke it."""


@dataclass
class InteractionRecord:
    """One interaction from creation to expiry: what was sent, how and when the bot answered, what failed."""

    id: int
    token: str
    type: int
    guild_id: int | None
    channel_id: int
    user: User
    name: str
    created_at: float
    context: int = GUILD_CONTEXT
    integration_owners: dict[str, str] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict, repr=False)
    dispatched_at: float = field(default_factory=time.perf_counter)
    source_message_id: int | None = None
    response_type: int | None = None
    acknowledged_at: float | None = None
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    modal: dict[str, Any] | None = None
    choices: list[dict[str, Any]] | None = None
    rejections: list[ApiError] = field(default_factory=list)
    uploads: list[Attachment] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes, repr=False)

    @property
    def acknowledged(self) -> bool:
        return self.response_type is not None

    @property
    def ack_latency(self) -> float | None:
        """Seconds from dispatch to the bot's first accepted answer."""
        return None if self.acknowledged_at is None else self.acknowledged_at - self.dispatched_at


@dataclass(frozen=True)
class Invocation:
    """Who invokes, where, through which installation: enough to build any interaction payload.

    In a server `guild` and `member` are set; in a DM or group DM (`context` 1 or 2) they are None and
    `user` is who invokes. `integration_owners` is `authorizing_integration_owners`: "0" the server id
    (or "0" in the bot's DM) for a server install, "1" the user's id for a user install."""

    guild: Guild | None
    channel: Channel
    member: Member | None
    member_permissions: int
    app_permissions: int
    locale: str = "en-US"
    user: User | None = None
    context: int = GUILD_CONTEXT
    integration_owners: tuple[tuple[int, int], ...] = ()

    @property
    def who(self) -> User:
        if self.member is not None:
            return self.member.user
        assert self.user is not None
        return self.user

    def owners(self) -> dict[str, str]:
        if self.integration_owners:
            return {str(kind): str(owner) for kind, owner in self.integration_owners}
        assert self.guild is not None
        return {str(GUILD_INSTALL): str(self.guild.id)}


def new_record(
    ids_next: int, kind: int, invocation: Invocation, name: str, created_at: float, application_id: int
) -> InteractionRecord:
    record = InteractionRecord(
        id=ids_next,
        token=f"emu-{ids_next}-{secrets.token_hex(6)}",
        type=kind,
        guild_id=None if invocation.guild is None else invocation.guild.id,
        channel_id=invocation.channel.id,
        user=invocation.who,
        name=name,
        created_at=created_at,
        context=invocation.context,
        integration_owners=invocation.owners(),
    )
    record.payload = _base_payload(record, invocation, application_id)
    return record


def _base_payload(record: InteractionRecord, invocation: Invocation, application_id: int) -> dict[str, Any]:
    channel = invocation.channel.payload(viewer=invocation.who)
    channel["permissions"] = str(invocation.member_permissions)
    payload: dict[str, Any] = {
        "id": str(record.id),
        "application_id": str(application_id),
        "type": record.type,
        "token": record.token,
        "version": 1,
        "channel_id": str(invocation.channel.id),
        "channel": channel,
        "app_permissions": str(invocation.app_permissions),
        "locale": invocation.locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": record.integration_owners,
        "context": record.context,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    guild, member = invocation.guild, invocation.member
    if guild is None or member is None:
        # Outside a server: `user` instead of `member`, and no guild fields at all.
        payload["user"] = invocation.who.payload()
        return payload
    member_payload = member.payload()
    member_payload["permissions"] = str(invocation.member_permissions)
    payload |= {
        "guild_id": str(guild.id),
        "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
        "member": member_payload,
        "guild_locale": guild.locale,
    }
    return payload
