"""The audit channel: every change and suggestion posted as an embed, never blocking the change itself."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.facts import render
from bot.moderation.model.revisions import describe_changes
from bot.moderation.store import FactChange, Suggestion

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

log = logging.getLogger(__name__)

ACTION_VERBS = {
    "add": "added",
    "edit": "edited",
    "retire": "retired",
    "restore": "restored",
    "revert": "reverted",
    "import": "imported",
}


def change_embed(change: FactChange, *, editor_mention: str) -> discord.Embed:
    revision = change.revision
    diff = describe_changes(change.previous.snapshot if change.previous else None, revision.snapshot)
    embed = discord.Embed(
        title=render.clip(
            f"Fact {ACTION_VERBS.get(revision.action, revision.action)}: {change.fact.title}", 256
        ),
        description=render.clip(changes_text(diff), 3900),
        colour=discord.Colour.orange(),
    )
    embed.add_field(name="Fact", value=f"`{change.fact.id}`", inline=True)
    embed.add_field(name="Revision", value=str(revision.revision), inline=True)
    embed.add_field(name="By", value=editor_mention, inline=True)
    if revision.reason:
        embed.add_field(name="Reason", value=render.clip(render.plain(revision.reason), 1024), inline=False)
    return embed


def changes_text(lines: list[str]) -> str:
    """Changes one a line, in the words of a card, shown literally."""
    return "\n".join(f"• {render.plain(line)}" for line in lines)


def discord_time(stored: str) -> str:
    """A stored ISO time as a Discord timestamp: each reader sees it in their own time zone."""
    try:
        moment = datetime.fromisoformat(stored)
    except ValueError:
        return render.plain(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"<t:{int(moment.timestamp())}:f>"


def suggestion_embed(suggestion: Suggestion, fact_title: str) -> discord.Embed:
    embed = discord.Embed(
        title=render.clip(f"Correction suggested: {fact_title}", 256),
        description=render.clip(render.plain(suggestion.text), 4000),
        colour=discord.Colour.blurple(),
    )
    embed.add_field(name="Fact", value=f"`{suggestion.fact_id}`", inline=True)
    embed.add_field(name="Suggestion", value=f"#{suggestion.id}", inline=True)
    embed.add_field(name="From", value=f"<@{suggestion.user_id}>", inline=True)
    embed.set_footer(text="Moderators: review it with /factmod suggestions")
    return embed


async def post_audit(bot: DPRKWatch, guild_id: int | None, embed: discord.Embed) -> str | None:
    """Post to the server's audit channel. Returns a warning for the moderator if that failed, else None."""
    if guild_id is None:
        return None
    settings = await bot.moderation_store.guild_settings(guild_id)
    if settings.audit_channel_id is None:
        return None
    channel = bot.get_channel(settings.audit_channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        return "The audit channel no longer exists; set a new one with /settings audit-channel."
    try:
        await channel.send(embed=embed, allowed_mentions=discord.AllowedMentions.none())
    except discord.Forbidden:
        return f"I could not post in the audit channel <#{settings.audit_channel_id}> (missing permissions)."
    except (discord.HTTPException, aiohttp.ClientError, OSError) as error:  # refused, or the connection broke
        log.warning("Audit post failed in guild %s: %s", guild_id, error)
        return "Posting to the audit channel failed; the change itself was saved."
    return None
