"""Everything the emulated Discord knows: servers, users, channels, messages, commands, interactions, logs.

The REST routes and the gateway change it only through these methods, which also emit the gateway
events the bot would receive (MESSAGE_CREATE, GUILD_CREATE, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.emulator.clock import Changes, EmulatorClock, Snowflakes
from tests.emulator.commands import CommandRegistry
from tests.emulator.errors import UNKNOWN_CHANNEL, UNKNOWN_MESSAGE, not_found
from tests.emulator.interactions import InteractionRecord
from tests.emulator.mentions import MentionRecord
from tests.emulator.messages import Message, MessageFactory
from tests.emulator.models import DM, GROUP_DM, NEWS_THREAD, PUBLIC_THREAD, Channel, Guild, Member, User
from tests.emulator.permissions import DEFAULT_BOT, PRIVATE_CHANNEL, PermissionsLike, channel_permissions
from tests.emulator.schema import SchemaRefusal

GUILD_MEMBERS_INTENT = 1 << 1
GUILD_MESSAGES_INTENT = 1 << 9

Dispatch = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True)
class RequestRecord:
    """One REST request as the emulator answered it."""

    method: str
    path: str
    route: str | None
    status: int
    code: int | None = None


class EmulatorState:
    """The emulated Discord's data. `dispatch` sends a gateway event to the connected bot, if any."""

    def __init__(self, *, clock: EmulatorClock, bot_name: str, base_url: Callable[[], str]) -> None:
        self.clock = clock
        self.ids = Snowflakes(clock)
        self.changes = Changes()
        self.application_id = self.ids.next()
        # Applications created since 2020 have a bot user with the application's id.
        self.bot = User(self.application_id, bot_name, bot=True)
        self.owner = User(self.ids.next(), "owner")
        self.users: dict[int, User] = {self.bot.id: self.bot, self.owner.id: self.owner}
        # Users who accept no direct messages from the bot: sending them one is refused (403 50007).
        self.closed_dms: set[int] = set()
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.channel_messages: dict[int, list[Message]] = {}
        self.commands = CommandRegistry(self.application_id, self.ids)
        # Users who added the application to their account (OAuth2 "User Install", integration type 1).
        self.user_installs: set[int] = set()
        self.interactions: dict[int, InteractionRecord] = {}
        self.interactions_by_token: dict[str, InteractionRecord] = {}
        self.mention_log: list[MentionRecord] = []
        self.requests: list[RequestRecord] = []
        self.unknown_routes: list[str] = []
        self.protocol_errors: list[str] = []
        # Request bodies Discord's API description refuses (schema.py): each one fails the test.
        self.schema_refusals: list[SchemaRefusal] = []
        self.message_factory = MessageFactory(self.ids, base_url)
        self.dispatch: Dispatch = lambda event, data: None
        self.intents = 0

    # -- people and servers -------------------------------------------------------------------------

    def user(self, name: str) -> User:
        """The user called `name`, created on first use."""
        for user in self.users.values():
            if user.username == name:
                return user
        user = User(self.ids.next(), name)
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str,
        *,
        channels: tuple[str, ...],
        bot_permissions: PermissionsLike,
        owner: User | None,
        shard: tuple[int, int] | None = None,
    ) -> Guild:
        """A server with the bot (in a managed role), its owner and text channels; sends GUILD_CREATE.
        `shard` (id, count): an id Discord routes to that shard."""
        guild = Guild(
            id=self.ids.next() if shard is None else self.ids.next_on_shard(*shard),
            name=name,
            owner_id=(owner or self.owner).id,
            ids=self.ids,
            created=self.clock.now(),
        )
        guild.emit = self._guild_emitter(guild)
        bot_role = guild.add_role(self.bot.username, bot_permissions or DEFAULT_BOT, managed_by=self.bot.id)
        guild.add_member(self.bot, [bot_role])
        guild.add_member(owner or self.owner)
        for channel_name in channels:
            guild.add_channel(channel_name)
        self.guilds[guild.id] = guild
        self.dispatch("GUILD_CREATE", self.guild_payload(guild))
        return guild

    def _guild_emitter(self, guild: Guild) -> Callable[[str, dict[str, Any]], None]:
        """Index new channels, and tell the bot about changes once it knows the server."""

        def emit(event: str, data: dict[str, Any]) -> None:
            if event == "CHANNEL_CREATE":
                self.channels[int(data["id"])] = guild.channels[int(data["id"])]
            if event == "CHANNEL_DELETE":
                self.channels.pop(int(data["id"]), None)
            if guild.id not in self.guilds:
                return
            if event.startswith("GUILD_MEMBER_") and not self.intents & GUILD_MEMBERS_INTENT:
                return
            self.dispatch(event, data)

        return emit

    def guild_payload(self, guild: Guild) -> dict[str, Any]:
        """GUILD_CREATE data; all members only for a bot with the GUILD_MEMBERS intent, as on Discord."""
        return guild.payload(
            guild.members[self.bot.id], all_members=bool(self.intents & GUILD_MEMBERS_INTENT)
        )

    def bot_member(self, guild: Guild) -> Member:
        return guild.members[self.bot.id]

    def channel(self, channel_id: int) -> Channel:
        """The channel, or ApiError 404 10003 Unknown Channel."""
        try:
            return self.channels[channel_id]
        except KeyError:
            raise not_found(UNKNOWN_CHANNEL, "Channel") from None

    def guild_of(self, channel: Channel) -> Guild:
        if channel.guild_id is None:
            raise not_found(UNKNOWN_CHANNEL, "Channel")  # a DM: no server behind it
        return self.guilds[channel.guild_id]

    def dm_channel(self, user: User, other: User | None = None) -> Channel:
        """The DM between `user` and `other` (the bot unless given), created on first use."""
        other = other or self.bot
        pair = {user.id, other.id}
        for channel in self.channels.values():
            if channel.type == DM and {u.id for u in channel.recipients} == pair:
                return channel
        channel = Channel(self.ids.next(), None, f"dm-{user.username}-{other.username}", type=DM)
        channel.recipients = [user, other]
        self.channels[channel.id] = channel
        return channel

    def group_dm(self, owner: User, *others: User, name: str = "") -> Channel:
        """A new group DM owned by `owner` (the bot is never in one: apps reach it by a user install)."""
        members = [owner, *others]
        channel = Channel(
            self.ids.next(), None, name or ", ".join(u.username for u in members), type=GROUP_DM
        )
        channel.recipients = members
        self.channels[channel.id] = channel
        return channel

    def permissions(self, channel: Channel, user: User) -> int:
        """`user`'s computed permissions in `channel` (0 if not a member of its server, nor a recipient)."""
        if channel.guild_id is None:
            return PRIVATE_CHANNEL if any(u.id == user.id for u in channel.recipients) else 0
        guild = self.guild_of(channel)
        if channel.type in (NEWS_THREAD, PUBLIC_THREAD) and channel.parent_id in guild.channels:
            channel = guild.channels[channel.parent_id]  # a thread has its parent's overwrites
        member = guild.members.get(user.id)
        return 0 if member is None else channel_permissions(guild, member, channel)

    # -- messages -------------------------------------------------------------------------------------

    def message(self, message_id: int, channel_id: int | None = None) -> Message:
        """A live message (in `channel_id`, if given), or ApiError 404 10008 Unknown Message."""
        message = self.messages.get(message_id)
        if (
            message is None
            or message.deleted
            or (channel_id is not None and message.channel_id != channel_id)
        ):
            raise not_found(UNKNOWN_MESSAGE, "Message")
        return message

    def channel_history(self, channel_id: int, *, include_ephemeral: bool = False) -> list[Message]:
        """A channel's messages, oldest first, without deleted ones (nor ephemeral ones, unless asked)."""
        return [
            message
            for message in self.channel_messages.get(channel_id, [])
            if not message.deleted and (include_ephemeral or not message.ephemeral)
        ]

    def add_message(self, message: Message, route: str) -> None:
        """Store a new message, record its mentions, and send MESSAGE_CREATE if the bot asked for them."""
        self.messages[message.id] = message
        self.channel_messages.setdefault(message.channel_id, []).append(message)
        self.record_mentions(message, route)
        if not message.ephemeral and self.intents & GUILD_MESSAGES_INTENT:
            self.dispatch("MESSAGE_CREATE", message.payload())
        self.changes.notify()

    def message_edited(self, message: Message, route: str) -> None:
        """Record an edit's mentions, send MESSAGE_UPDATE if asked for, wake whoever waits on the message."""
        self.record_mentions(message, route)
        if not message.ephemeral and self.intents & GUILD_MESSAGES_INTENT:
            self.dispatch("MESSAGE_UPDATE", message.payload())
        message.changes.notify()
        self.changes.notify()

    def delete_message(self, message: Message) -> None:
        """Mark the message deleted (kept for inspection) and send MESSAGE_DELETE if asked for."""
        message.deleted = True
        message.version += 1
        if not message.ephemeral and self.intents & GUILD_MESSAGES_INTENT:
            data = {"id": str(message.id), "channel_id": str(message.channel_id)}
            if message.guild_id is not None:
                data["guild_id"] = str(message.guild_id)
            self.dispatch("MESSAGE_DELETE", data)
        message.changes.notify()
        self.changes.notify()

    def record_mentions(self, message: Message, route: str) -> None:
        """Log the write with its `allowed_mentions`, for `assert_no_pings`."""
        replied_to = None
        reference = message.message_reference
        if reference and reference.get("message_id"):
            target = self.messages.get(int(reference["message_id"]))
            replied_to = None if target is None else target.author.id
        self.mention_log.append(
            MentionRecord(route, message.id, message.content, message.allowed_mentions, replied_to)
        )

    def attachment_bytes(self, channel_id: int, attachment_id: int) -> bytes | None:
        """The bytes behind an attachment URL (message attachments and attachment options)."""
        for message in self.channel_messages.get(channel_id, []):
            for attachment in message.attachments:
                if attachment.id == attachment_id:
                    return attachment.data
        for record in self.interactions.values():
            for attachment in record.uploads:
                if attachment.id == attachment_id:
                    return attachment.data
        return None

    # -- interactions ---------------------------------------------------------------------------------

    def add_interaction(self, record: InteractionRecord) -> None:
        """Register an interaction so its callback and webhook token are recognised."""
        self.interactions[record.id] = record
        self.interactions_by_token[record.token] = record
        self.changes.notify()
