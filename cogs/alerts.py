"""/alerts (Manage Server or the moderator role): channels told about every change to the record."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import tasks

from bot.alerts.model import FILTER_LABELS, AlertFilter, Subscription
from bot.alerts.poster import AlertPoster
from bot.alerts.store import PAUSE_AFTER_FAILURES
from bot.core.errors import InvalidInput, NotFound
from bot.kit.checks import GuardedGroup, ensure_quiz_admin
from bot.kit.persistent import FeatureCog

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

log = logging.getLogger(__name__)

# A change made by another process (the command line's import) is posted within this many seconds.
DRAIN_SECONDS = 5.0
MANAGE_GUILD = discord.Permissions(manage_guild=True)
FILTERS = [app_commands.Choice(name=f.value, value=f.value) for f in AlertFilter]
# Text and announcement channels (TextChannel covers both) and forums, where each alert is a post.
AlertChannel = discord.TextChannel | discord.ForumChannel


async def ensure_alerts_admin(interaction: discord.Interaction[DPRKWatch]) -> None:
    """Alerts are per server, run by the same people as the quiz: Manage Server or the moderator role."""
    await ensure_quiz_admin(interaction)


class AlertsCog(FeatureCog):
    """Alerts. The poster drains the outbox every DRAIN_SECONDS; all state is in the database."""

    alerts = GuardedGroup(
        guard=ensure_alerts_admin,
        name="alerts",
        description="Post changes to the record (new facts, corrections) in a channel",
        default_permissions=MANAGE_GUILD,
        guild_only=True,
    )
    bot: DPRKWatch

    def __init__(self, bot: DPRKWatch) -> None:
        super().__init__(bot)
        self.poster = AlertPoster(bot)
        # Held for a whole tick: the loop is cancelled only between ticks, never inside a transaction
        # (a cancelled BEGIN would leave the shared write connection inside it).
        self.ticking = asyncio.Lock()

    async def cog_load(self) -> None:
        await super().cog_load()
        self.drain.start()

    async def cog_unload(self) -> None:
        await self.stop_draining()
        await super().cog_unload()

    async def stop_draining(self) -> None:
        """Stop the background drain between two ticks."""
        async with self.ticking:
            self.drain.cancel()

    @tasks.loop(seconds=DRAIN_SECONDS)
    async def drain(self) -> None:
        try:
            async with self.ticking:
                await self.poster.tick()
        except Exception:
            # One bad tick (a busy database) must not stop the next change's alerts.
            log.exception("Alerts tick failed")

    @drain.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    @alerts.command(name="subscribe", description="Post new facts and corrections in a channel")
    @app_commands.describe(
        channel="Where to post (a text, announcement or forum channel)",
        only="Which changes (default: everything)",
        role="A role to ping with each alert (default: no ping)",
        thread="Open a thread under each alert for discussion (a forum always gets a post per alert)",
    )
    @app_commands.choices(only=FILTERS)
    async def subscribe(
        self,
        interaction: discord.Interaction[DPRKWatch],
        channel: AlertChannel,
        only: str = AlertFilter.EVERYTHING.value,
        role: discord.Role | None = None,
        thread: bool = False,
    ) -> None:
        assert interaction.guild_id is not None
        if role is not None and role.is_default():
            raise InvalidInput("Alerts never ping @everyone; choose a role, or none. Nothing was saved.")
        forum = isinstance(channel, discord.ForumChannel)
        if isinstance(channel, discord.ForumChannel) and channel.is_media():
            raise InvalidInput(
                f"{channel.mention} is a media channel, where every post needs a picture; choose a text, "
                "announcement or forum channel. Nothing was saved."
            )
        thread = thread and not forum  # a forum post is its own thread
        needed = ["view_channel", "send_messages", "embed_links", "read_message_history"]
        if thread:
            needed += ["create_public_threads", "send_messages_in_threads"]
        me = channel.guild.me
        permissions = channel.permissions_for(me) if me else None
        missing = [name for name in needed if permissions is None or not getattr(permissions, name)]
        if missing:
            names = ", ".join(name.replace("_", " ").title() for name in missing)
            raise InvalidInput(
                f"I cannot post alerts in {channel.mention}: I need {names} there. Nothing was saved."
            )
        subscription = await self.bot.alert_store.subscribe(
            interaction.guild_id,
            channel.id,
            AlertFilter(only),
            role.id if role else None,
            thread,
            self.bot.clock.now(),
        )
        await interaction.response.send_message(
            f"Alerts about {FILTER_LABELS[subscription.only]} will be posted in {channel.mention}"
            + (f", pinging {role.mention}" if role else "")
            + (", each as a post of its own" if forum else ", each with a thread" if thread else "")
            + ". Only changes from now on are announced.",
            ephemeral=True,
        )

    @alerts.command(name="unsubscribe", description="Stop alerts in a channel")
    @app_commands.describe(channel="The channel to stop posting alerts in")
    async def unsubscribe(self, interaction: discord.Interaction[DPRKWatch], channel: AlertChannel) -> None:
        assert interaction.guild_id is not None
        if not await self.bot.alert_store.unsubscribe(interaction.guild_id, channel.id):
            raise NotFound(f"{channel.mention} does not receive alerts.")
        await interaction.response.send_message(f"No more alerts in {channel.mention}.", ephemeral=True)

    @alerts.command(name="list", description="Channels receiving alerts here, and any trouble posting")
    async def list_subscriptions(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        assert interaction.guild_id is not None
        subscriptions = await self.bot.alert_store.subscriptions(interaction.guild_id)
        if not subscriptions:
            await interaction.response.send_message(
                "No channel here receives alerts. Start with `/alerts subscribe`.", ephemeral=True
            )
            return
        embed = discord.Embed(
            title="Alerts in this server",
            description="\n".join(_line(s) for s in subscriptions)[:4096],
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @alerts.command(name="test", description="Post a test alert in a channel to check it works")
    @app_commands.describe(channel="Where to post the test")
    async def test(self, interaction: discord.Interaction[DPRKWatch], channel: AlertChannel) -> None:
        subscription = await self.bot.alert_store.subscription_in(channel.id)
        role = (
            f" Real alerts ping <@&{subscription.role_id}>." if subscription and subscription.role_id else ""
        )
        embed = discord.Embed(
            title="Test alert",
            description="Alerts about new facts and corrections to the record appear like this." + role,
        )
        try:
            if isinstance(channel, discord.ForumChannel):
                await channel.create_thread(
                    name="Test alert", embed=embed, allowed_mentions=discord.AllowedMentions.none()
                )
            else:
                await channel.send(embed=embed, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as error:
            raise InvalidInput(
                f"I could not post in {channel.mention} ({error.text or error.status}): check that I have "
                "View Channel, Send Messages and Embed Links there."
            ) from None
        await interaction.response.send_message(f"Posted a test alert in {channel.mention}.", ephemeral=True)


def _line(subscription: Subscription) -> str:
    line = f"<#{subscription.channel_id}>: {subscription.only.value}"
    if subscription.role_id:
        line += f", pings <@&{subscription.role_id}>"
    if subscription.thread:
        line += ", with threads"
    if subscription.paused:
        line += (
            f"\n  ⏸️ **Paused** after {PAUSE_AFTER_FAILURES} failed alerts ({subscription.last_error}); "
            "run `/alerts subscribe` again to resume"
        )
    elif subscription.last_error:
        line += f"\n  ⚠️ Last alert failed ({subscription.last_error})"
    return line


async def setup(bot: DPRKWatch) -> None:
    await bot.add_cog(AlertsCog(bot))
