"""The one error path for every interaction: commands, buttons, modals and views.

Domain errors become a short ephemeral reply; anything unexpected is logged with where it happened,
and the member gets an apology: never a traceback, never silence. discord.py only logs errors from
dynamic items and modals, so those route their errors here explicitly.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import discord
from discord import app_commands

from bot.core.errors import UserFacingError
from bot.db.database import StoreBusy, StoreError
from bot.i18n import N_, _, ngettext, set_locale

log = logging.getLogger(__name__)

APOLOGY = N_("Sorry, something went wrong on our side while answering that. It has been logged.")
# The store's own messages name files and folders: for the log, not for members.
STORE_BUSY = N_(
    "The fact store is busy right now (another task holds it). Nothing was changed; try again in a minute."
)
STORE_UNAVAILABLE = N_(
    "Changes cannot be saved right now (the bot's storage is read-only or full). Nothing was changed; "
    "lookups still work, and the bot's operator has been told."
)


def original_error(error: BaseException) -> BaseException:
    """What went wrong beneath discord.py's wrappers (a command's or an option transformer's)."""
    if isinstance(error, app_commands.TransformerError) and error.__cause__ is not None:
        return error.__cause__
    return getattr(error, "original", error)


def message_for(error: BaseException) -> str | None:
    """The member-facing message for an expected error, in the current interaction's language, or None
    for a bug. A UserFacingError's message was translated where it was raised."""
    original = original_error(error)
    if isinstance(original, UserFacingError):
        return str(original)
    if isinstance(original, StoreBusy):
        return _(STORE_BUSY)
    if isinstance(original, StoreError):
        return _(STORE_UNAVAILABLE)
    if isinstance(error, app_commands.CommandOnCooldown):
        seconds = max(1, round(error.retry_after))
        return ngettext(
            "Slow down a little: try this again in {seconds} second.",
            "Slow down a little: try this again in {seconds} seconds.",
            seconds,
        ).format(seconds=seconds)
    if isinstance(error, app_commands.CheckFailure) and isinstance(error.__cause__, UserFacingError):
        return str(error.__cause__)
    if isinstance(error, app_commands.MissingPermissions | app_commands.CheckFailure):
        return _("You are not allowed to use this here.")
    if isinstance(error, app_commands.TransformerError):
        return _("{value!r} is not a valid value here.").format(value=error.value)
    return None


async def report_error(interaction: discord.Interaction[Any], error: BaseException, *, where: str) -> None:
    # Already set by the interaction's entry point; set again for errors raised before it ran.
    set_locale(interaction.locale)
    message = message_for(error)
    original = original_error(error)
    if isinstance(original, StoreError):
        log.warning("%s could not use the store: %s", where, original)
    if message is None:
        options = interaction.data.get("options", []) if interaction.data else []
        log.error(
            "%s failed (options %s, guild %s, user %s)",
            where,
            json.dumps(options, default=str)[:1000],
            interaction.guild_id,
            interaction.user.id,
            exc_info=getattr(error, "original", error),
        )
        message = _(APOLOGY)
    await send_ephemeral(interaction, message)


async def send_ephemeral(interaction: discord.Interaction[Any], message: str) -> None:
    """Reply privately, whether or not the interaction was already answered or deferred."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("Could not deliver an error message for interaction %s", interaction.id, exc_info=True)


# How long a form waits to be submitted: long enough to write a careful correction.
MODAL_TIMEOUT_SECONDS = 3600.0


class ReportsErrors:
    """Mixin for DynamicItems: implement `run`; errors take the one error path."""

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.run(interaction)
        except Exception as error:
            custom_id = interaction.data.get("custom_id") if interaction.data else None
            await report_error(interaction, error, where=f"component {custom_id!r}")


class GuardedModal(discord.ui.Modal):
    """A modal whose errors take the one error path.

    discord.py keeps a modal until it is submitted or times out, and forms closed without submitting
    are never submitted: without a timeout, every dismissed form would stay in memory for good."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", MODAL_TIMEOUT_SECONDS)
        super().__init__(**kwargs)

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        # The submission's task: what it says back is in the member's language.
        set_locale(interaction.locale)
        return True

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        await report_error(interaction, error, where=f"modal {type(self).__name__}")


class GuardedView(discord.ui.View):
    """A view whose errors take the one error path, answering in the member's language (subclasses
    that check who clicks call `super().interaction_check` first)."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        set_locale(interaction.locale)
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await report_error(interaction, error, where=f"view {type(self).__name__}")
