"""The fake Discord world: users, servers (guilds), roles, channels with overwrites, members, payloads.

Changing a server through these methods also tells a connected bot, as Discord's gateway would
(GUILD_ROLE_CREATE, CHANNEL_UPDATE, ...), so the bot's cache and the emulator never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.emulator.clock import Snowflakes, iso
from tests.emulator.permissions import DEFAULT_EVERYONE, PermissionsLike, as_int

TEXT, DM, VOICE, GROUP_DM, CATEGORY, NEWS, FORUM = 0, 1, 2, 3, 4, 5, 15
NEWS_THREAD, PUBLIC_THREAD = 10, 11
ROLE, MEMBER = 0, 1

Emit = Callable[[str, dict[str, Any]], None]


def _no_emit(event: str, data: dict[str, Any]) -> None:
    del event, data


@dataclass
class User:
    """A Discord account: a person or the bot."""

    id: int
    username: str
    bot: bool = False
    global_name: str | None = None
    # The language of their Discord client: each interaction they start carries it as `locale`.
    locale: str = "en-US"

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class Role:
    """A server role; the @everyone role has the server's id."""

    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None

    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            payload["tags"] = {"bot_id": str(self.bot_id)}
        return payload

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"


@dataclass
class Overwrite:
    """A channel permission overwrite for a role (type 0) or a member (type 1)."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, Any]:
        return {"id": str(self.id), "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass
class Channel:
    """A server channel (text by default), or a private one (`guild_id` None): a DM (type 1) between a
    user and one other user (perhaps the bot), or a group DM (type 3) with its `recipients`."""

    id: int
    guild_id: int | None
    name: str
    type: int = TEXT
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    recipients: list[User] = field(default_factory=list)

    @property
    def private(self) -> bool:
        return self.guild_id is None

    def payload(self, viewer: User | None = None) -> dict[str, Any]:
        """The channel as Discord sends it; a private channel's recipients leave out `viewer`."""
        if self.private:
            payload: dict[str, Any] = {
                "id": str(self.id),
                "type": self.type,
                "last_message_id": None,
                "flags": 0,
                "recipients": [u.payload() for u in self.recipients if viewer is None or u.id != viewer.id],
            }
            if self.type == GROUP_DM:
                payload |= {"name": self.name, "icon": None, "owner_id": str(self.recipients[0].id)}
            return payload
        forum = {"available_tags": [], "default_forum_layout": 0} if self.type == FORUM else {}
        return forum | {
            "id": str(self.id),
            "guild_id": str(self.guild_id),
            "name": self.name,
            "type": self.type,
            "position": self.position,
            "parent_id": None if self.parent_id is None else str(self.parent_id),
            "topic": self.topic,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
            "permission_overwrites": [overwrite.payload() for overwrite in self.overwrites],
        }

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"


@dataclass
class Member:
    """A user's membership of one server, with their roles (not counting @everyone)."""

    user: User
    guild_id: int
    role_ids: list[int]
    joined_at: datetime
    nick: str | None = None

    @property
    def id(self) -> int:
        return self.user.id

    def payload(self, *, with_user: bool = True) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "roles": [str(role_id) for role_id in self.role_ids],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            payload["user"] = self.user.payload()
        return payload


class Guild:
    """A fake server. Build it with `DiscordEmulator.add_guild`; change it with the methods below."""

    def __init__(self, *, id: int, name: str, owner_id: int, ids: Snowflakes, created: datetime) -> None:
        self.id = id
        self.name = name
        self.owner_id = owner_id
        self.locale = "en-US"
        self.roles: dict[int, Role] = {id: Role(id, id, "@everyone", DEFAULT_EVERYONE)}
        self.channels: dict[int, Channel] = {}
        self.members: dict[int, Member] = {}
        self._ids = ids
        self._created = created
        self.emit: Emit = _no_emit

    def __repr__(self) -> str:
        return f"<Guild {self.name!r} id={self.id}>"

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def add_role(
        self,
        name: str,
        permissions: PermissionsLike = 0,
        *,
        mentionable: bool = False,
        managed_by: int | None = None,
    ) -> Role:
        """Create a role above the existing ones."""
        role = Role(
            self._ids.next(),
            self.id,
            name,
            as_int(permissions),
            position=len(self.roles),
            mentionable=mentionable,
            managed=managed_by is not None,
            bot_id=managed_by,
        )
        self.roles[role.id] = role
        self.emit("GUILD_ROLE_CREATE", {"guild_id": str(self.id), "role": role.payload()})
        return role

    def set_role_permissions(self, role: Role, permissions: PermissionsLike) -> None:
        """Replace what a role allows server-wide."""
        role.permissions = as_int(permissions)
        self.emit("GUILD_ROLE_UPDATE", {"guild_id": str(self.id), "role": role.payload()})

    def add_channel(
        self,
        name: str,
        *,
        type: int = TEXT,
        category: Channel | None = None,
        topic: str | None = None,
        overwrites: Iterable[Overwrite] = (),
    ) -> Channel:
        """Create a channel (text unless `type` says otherwise) at the end of the list."""
        channel = Channel(
            self._ids.next(),
            self.id,
            name,
            type=type,
            position=len(self.channels),
            parent_id=None if category is None else category.id,
            topic=topic,
            overwrites=list(overwrites),
        )
        self.channels[channel.id] = channel
        self.emit("CHANNEL_CREATE", channel.payload())
        return channel

    def remove_channel(self, channel: Channel) -> None:
        """Delete a channel, as a server admin would (its messages go with it)."""
        del self.channels[channel.id]
        self.emit("CHANNEL_DELETE", channel.payload())

    def set_overwrite(
        self,
        channel: Channel,
        target: Role | Member | User,
        *,
        allow: PermissionsLike = 0,
        deny: PermissionsLike = 0,
    ) -> None:
        """Replace the overwrite for `target` in `channel`, as a server admin would."""
        kind = ROLE if isinstance(target, Role) else MEMBER
        channel.overwrites = [o for o in channel.overwrites if (o.type, o.id) != (kind, target.id)]
        channel.overwrites.append(Overwrite(target.id, kind, as_int(allow), as_int(deny)))
        self.emit("CHANNEL_UPDATE", channel.payload())

    def add_member(self, user: User, roles: Iterable[Role] = (), *, nick: str | None = None) -> Member:
        """Make `user` a member with `roles` (besides @everyone)."""
        member = Member(user, self.id, [role.id for role in roles], self._created, nick)
        self.members[user.id] = member
        self.emit("GUILD_MEMBER_ADD", {"guild_id": str(self.id), **member.payload()})
        return member

    def set_member_roles(self, member: Member, roles: Iterable[Role]) -> None:
        """Replace the member's roles (besides @everyone)."""
        member.role_ids = [role.id for role in roles]
        self.emit("GUILD_MEMBER_UPDATE", {"guild_id": str(self.id), **member.payload()})

    def text_channels(self) -> list[Channel]:
        """Text and announcement channels, in creation order."""
        return [channel for channel in self.channels.values() if channel.type in (TEXT, NEWS)]

    def channel(self, name: str) -> Channel:
        """The channel called `name` (without '#')."""
        for channel in self.channels.values():
            if channel.name == name.removeprefix("#"):
                return channel
        raise KeyError(f"{self.name!r} has no channel {name!r}")

    def role(self, name: str) -> Role:
        """The role called `name`."""
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"{self.name!r} has no role {name!r}")

    def payload(self, bot_member: Member, *, all_members: bool = False) -> dict[str, Any]:
        """The GUILD_CREATE payload: roles, channels, and the bot's own member (or all members)."""
        members = list(self.members.values()) if all_members else [bot_member]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(self.owner_id),
            "unavailable": False,
            "large": False,
            "member_count": len(self.members),
            "joined_at": iso(bot_member.joined_at),
            "preferred_locale": self.locale,
            "features": [],
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "system_channel_id": None,
            "roles": [role.payload() for role in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "channels": [channel.payload() for channel in self.channels.values()],
            "threads": [],
            "members": [member.payload() for member in members],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
