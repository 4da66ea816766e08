"""/stats: counts per year and kind, with a chart and a menu to switch category; /map: the launch sites."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING, ClassVar

import discord
from discord import app_commands

from bot.core.errors import InvalidInput, NotFound
from bot.facts import render
from bot.facts.model.figures import SYSTEM_CLASSES
from bot.i18n import _
from bot.kit.cooldowns import member_cooldown
from bot.kit.options import CategoryOption
from bot.kit.persistent import FeatureCog, PersistentItem
from bot.stats.service import load_drawing_tools
from bot.stats.ui import StatsCategorySelect, stats_message, stats_service

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

YEAR = app_commands.Range[int, 1900, 2100]
CLASS_CHOICES = [app_commands.Choice(name=c, value=c) for c in SYSTEM_CLASSES]


def _check_range(from_year: int | None, to_year: int | None) -> None:
    if from_year and to_year and from_year > to_year:
        raise InvalidInput(
            _("`from_year` ({first}) is after `to_year` ({last}); swap them.").format(
                first=from_year, last=to_year
            )
        )


class StatsCog(FeatureCog):
    persistent_items: ClassVar[tuple[type[PersistentItem[discord.ui.Select]], ...]] = (StatsCategorySelect,)

    def __init__(self, bot: DPRKWatch) -> None:
        super().__init__(bot)
        self.bot: DPRKWatch = bot
        self._warming: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        await super().cog_load()
        # In the background: start-up is not delayed, and the first /stats does not pay matplotlib's import.
        self._warming = asyncio.create_task(asyncio.to_thread(load_drawing_tools), name="stats-warm-up")

    @app_commands.command(name="stats", description="Counts per year and kind, with a chart")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(category="Only one category", from_year="First year", to_year="Last year")
    @member_cooldown(2, 20.0)
    async def stats(
        self,
        interaction: discord.Interaction[DPRKWatch],
        category: CategoryOption | None = None,
        from_year: YEAR | None = None,
        to_year: YEAR | None = None,
    ) -> None:
        _check_range(from_year, to_year)
        if not await self.bot.fact_store.stat_points(category, from_year, to_year):
            raise NotFound(_("Nothing in the record falls in those years. Try a wider range."))
        # Rendering is CPU work: acknowledge first so Discord's 3-second deadline is never at risk.
        await interaction.response.defer(thinking=True)
        embed, file, view = await stats_message(
            self.bot, category.value if category else None, from_year, to_year
        )
        await interaction.followup.send(embed=embed, file=file, view=view)

    @app_commands.command(name="map", description="Launch sites and flights on a map")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        from_year="First year", to_year="Last year", system_class="Only launch days with this class"
    )
    @app_commands.rename(system_class="class")
    @app_commands.choices(system_class=CLASS_CHOICES)
    @member_cooldown(2, 20.0)
    async def map(
        self,
        interaction: discord.Interaction[DPRKWatch],
        from_year: YEAR | None = None,
        to_year: YEAR | None = None,
        system_class: str | None = None,
    ) -> None:
        _check_range(from_year, to_year)
        await interaction.response.defer(thinking=True)
        picture = await stats_service(self.bot).launch_map(from_year, to_year, system_class)
        if not picture.launch_map.launch_days:
            raise NotFound(_("No launch in the record matches that. Try a wider range or another class."))
        launch_map = picture.launch_map
        embed = discord.Embed(
            title=_("Launch sites") + (f" · {system_class}" if system_class else ""),
            description=picture.alt,
        )
        embed.set_image(url="attachment://map.png")
        embed.set_footer(
            text=_(
                "Circles: launch days per site, coloured by the class most launched there. "
                "Lines: each day's farthest flight, along its bearing for its distance (CNS)."
            )
        )
        if launch_map.sites:
            embed.add_field(
                name=_("Most launch days"),
                value="\n".join(f"{s.facility.name}: {s.days}" for s in launch_map.sites[:5]),
            )
        file = discord.File(io.BytesIO(picture.png), "map.png", description=picture.alt)
        await interaction.followup.send(embed=render.fit(embed), file=file)


async def setup(bot: DPRKWatch) -> None:
    await bot.add_cog(StatsCog(bot))
