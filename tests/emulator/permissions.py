"""Permission arithmetic as Discord documents it: base permissions from roles, then channel overwrites."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

if TYPE_CHECKING:
    from tests.emulator.models import Channel, Guild, Member

ALL = discord.Permissions.all().value
ADMINISTRATOR = 1 << 3
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
SEND_TTS_MESSAGES = 1 << 12
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
CREATE_PUBLIC_THREADS = 1 << 35

# What a new server's @everyone role may do on Discord today (no moderation, no @everyone pings).
DEFAULT_EVERYONE = discord.Permissions(
    create_instant_invite=True,
    add_reactions=True,
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    use_external_emojis=True,
    use_external_stickers=True,
    connect=True,
    speak=True,
    stream=True,
    use_voice_activation=True,
    change_nickname=True,
    use_application_commands=True,
    create_public_threads=True,
    create_private_threads=True,
    send_messages_in_threads=True,
    use_embedded_activities=True,
).value

# The permissions the README asks server owners to grant the bot (View Channels, Send Messages, Embed
# Links, Attach Files, Read Message History).
DEFAULT_BOT = 117760
# What everyone may do in a DM or group DM (discord.py's `Permissions._dm_permissions`, less voice):
# there are no roles or overwrites to compute from.
PRIVATE_CHANNEL = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    use_external_emojis=True,
    use_application_commands=True,
).value

PermissionsLike = discord.Permissions | int


def as_int(permissions: PermissionsLike) -> int:
    """Permissions as Discord's integer, from `discord.Permissions` or an int."""
    return permissions.value if isinstance(permissions, discord.Permissions) else int(permissions)


def base_permissions(guild: Guild, member: Member) -> int:
    """Server-wide permissions: the owner has all; otherwise @everyone plus the member's roles."""
    if member.user.id == guild.owner_id:
        return ALL
    permissions = guild.everyone.permissions
    for role_id in member.role_ids:
        role = guild.roles.get(role_id)
        if role is not None:
            permissions |= role.permissions
    return ALL if permissions & ADMINISTRATOR else permissions


def channel_permissions(guild: Guild, member: Member, channel: Channel) -> int:
    """Permissions in `channel`: base, then @everyone, role and member overwrites, then implicit denials."""
    permissions = base_permissions(guild, member)
    if permissions & ADMINISTRATOR:
        return ALL
    overwrites = {(overwrite.type, overwrite.id): overwrite for overwrite in channel.overwrites}
    everyone = overwrites.get((0, guild.id))
    if everyone is not None:
        permissions = (permissions & ~everyone.deny) | everyone.allow
    allow = deny = 0
    for role_id in member.role_ids:
        overwrite = overwrites.get((0, role_id))
        if overwrite is not None:
            allow |= overwrite.allow
            deny |= overwrite.deny
    permissions = (permissions & ~deny) | allow
    own = overwrites.get((1, member.user.id))
    if own is not None:
        permissions = (permissions & ~own.deny) | own.allow
    if not permissions & VIEW_CHANNEL:
        return 0
    if not permissions & SEND_MESSAGES:
        permissions &= ~(SEND_TTS_MESSAGES | MENTION_EVERYONE | EMBED_LINKS | ATTACH_FILES)
    return permissions
