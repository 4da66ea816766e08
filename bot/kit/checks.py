"""Runtime permission checks. `default_permissions` only hides commands, and server admins can change
what Discord shows, so every moderator action is decided here as well."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.core.errors import NotAllowed
from bot.i18n import _

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

log = logging.getLogger(__name__)


async def ensure_moderator(interaction: discord.Interaction[DPRKWatch]) -> None:
    """Raise NotAllowed unless the member may edit facts here.

    A moderator has Manage Server, or holds the server's moderator role. With HOME_GUILD_ID set, only the
    home server's moderators may edit, because facts are shared by every server.
    """
    bot = interaction.client
    home = bot.settings.home_guild_id
    if interaction.guild_id is None:
        raise NotAllowed(_("Fact moderation works inside a server, not in direct messages."))
    if home is not None and interaction.guild_id != home:
        _refuse(interaction, "not the home server")
        raise NotAllowed(_("Facts are edited by the moderators of the bot's home server only."))
    if interaction.permissions.manage_guild:
        return
    settings = await bot.moderation_store.guild_settings(interaction.guild_id)
    roles = getattr(interaction.user, "roles", [])
    if settings.moderator_role_id is not None and any(r.id == settings.moderator_role_id for r in roles):
        return
    _refuse(interaction, "not a moderator")
    raise NotAllowed(
        _(
            "Only moderators can change facts: members with Manage Server or the moderator role "
            "(set with /settings moderator-role). You can still suggest a correction from any fact card."
        )
    )


async def ensure_quiz_admin(interaction: discord.Interaction[DPRKWatch]) -> None:
    """The quiz is per server: its Manage Server members or moderator-role holders run it."""
    if interaction.guild_id is None:
        raise NotAllowed(_("The quiz runs inside a server."))
    if interaction.permissions.manage_guild:
        return
    settings = await interaction.client.moderation_store.guild_settings(interaction.guild_id)
    roles = getattr(interaction.user, "roles", [])
    if settings.moderator_role_id is not None and any(r.id == settings.moderator_role_id for r in roles):
        return
    _refuse(interaction, "not a quiz admin")
    raise NotAllowed(_("Only members with Manage Server (or the moderator role) can set up the daily quiz."))


def ensure_manage_guild(interaction: discord.Interaction[Any]) -> None:
    if interaction.guild_id is None or not interaction.permissions.manage_guild:
        _refuse(interaction, "lacks Manage Server")
        raise NotAllowed(_("This setting needs the Manage Server permission."))


class GuardedGroup(app_commands.Group):
    """A command group whose every command first passes `guard`, a check that raises NotAllowed.

    One check for the group instead of a decorator on each command: a command added later cannot
    forget it."""

    def __init__(self, *, guard: Callable[[discord.Interaction[DPRKWatch]], Awaitable[None]], **kwargs: Any):
        super().__init__(**kwargs)
        self.guard = guard

    async def interaction_check(self, interaction: discord.Interaction[DPRKWatch]) -> bool:  # type: ignore[override]
        # discord.py only routes AppCommandErrors from checks to the tree's error handler.
        try:
            await self.guard(interaction)
        except NotAllowed as refusal:
            raise app_commands.CheckFailure(str(refusal)) from refusal
        return True


def _refuse(interaction: discord.Interaction[Any], why: str) -> None:
    command = interaction.command.qualified_name if interaction.command else "component"
    log.warning(
        "Refused %s for user %s in guild %s: %s", command, interaction.user.id, interaction.guild_id, why
    )
