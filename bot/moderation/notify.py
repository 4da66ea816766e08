"""Telling a member what became of the correction they suggested: a direct message where they allow it.

The outcome is kept in the queue either way (/factmod suggestions shows accepted and dismissed ones), so
a member whose direct messages are closed loses nothing but the message.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.facts import render
from bot.moderation.store import Suggestion

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

log = logging.getLogger(__name__)


def outcome_text(suggestion: Suggestion, fact_title: str, *, revision: int | None = None) -> str:
    title = render.plain(render.clip(fact_title, 200))
    if suggestion.status == "accepted":
        return (
            f"Thank you: your suggested correction #{suggestion.id} to **{title}** was accepted, and the "
            f"fact was updated (revision {revision}). `/fact {suggestion.fact_id}` shows it."
        )
    return (
        f"Thank you for your suggested correction #{suggestion.id} to **{title}**. The moderators "
        "checked it and kept the fact as it is."
    )


async def tell_suggester(
    bot: DPRKWatch, suggestion: Suggestion, fact_title: str, *, revision: int | None = None
) -> bool:
    """Send the member the outcome by direct message; False (logged, never raised) when Discord refuses
    it (their direct messages are closed) or it fails."""
    try:
        channel = await bot.create_dm(discord.Object(id=suggestion.user_id))
        await channel.send(
            outcome_text(suggestion, fact_title, revision=revision),
            allowed_mentions=discord.AllowedMentions.none(),
        )
    except discord.Forbidden:
        log.info("Suggestion #%s: member %s does not take direct messages", suggestion.id, suggestion.user_id)
        return False
    except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
        log.warning("Suggestion #%s: telling member %s failed: %s", suggestion.id, suggestion.user_id, error)
        return False
    return True
