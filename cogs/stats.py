"""/stats: counts per year and kind, with a chart."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import InvalidInput, NotFound
from bot.facts import charts, render
from bot.kit.cooldowns import member_cooldown
from bot.kit.options import CategoryOption

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

YEAR = app_commands.Range[int, 1900, 2100]


class StatsCog(commands.Cog):
    def __init__(self, bot: DPRKWatch) -> None:
        self.bot = bot

    @app_commands.command(name="stats", description="Counts per year and kind, with a chart")
    @app_commands.describe(category="Only one category", from_year="First year", to_year="Last year")
    @member_cooldown(2, 20.0)
    async def stats(
        self,
        interaction: discord.Interaction[DPRKWatch],
        category: CategoryOption | None = None,
        from_year: YEAR | None = None,
        to_year: YEAR | None = None,
    ) -> None:
        if from_year and to_year and from_year > to_year:
            raise InvalidInput(f"`from_year` ({from_year}) is after `to_year` ({to_year}); swap them.")
        chosen = category
        points = await self.bot.fact_store.stat_points(chosen, from_year, to_year)
        if not points:
            raise NotFound("Nothing in the record falls in those years. Try a wider range.")
        # Rendering is CPU work: acknowledge first so Discord's 3-second deadline is never at risk.
        await interaction.response.defer(thinking=True)
        stats = charts.yearly_stats(points, from_year, to_year)
        span = f"{stats.years[0]}–{stats.years[-1]}"
        title = f"North Korea: launch days per year, {span}"
        png = await asyncio.to_thread(charts.render_chart, stats, title)
        embed = discord.Embed(
            title=f"Statistics {span}" + (f" · {chosen.value}" if chosen else ""),
            description="\n".join(charts.summary_lines(stats)),
        )
        busiest = sorted(
            ((sum(c.get(y, 0) for c in stats.launch_days_by_class.values()), y) for y in stats.years),
            reverse=True,
        )[:3]
        if busiest and busiest[0][0]:
            embed.add_field(name="Most launch days", value=", ".join(f"{y}: {n}" for n, y in busiest if n))
        embed.set_image(url="attachment://stats.png")
        embed.set_footer(text="Launch days are stacked by the longest-range class launched that day.")
        await interaction.followup.send(
            embed=render.fit(embed), file=discord.File(io.BytesIO(png), "stats.png")
        )


async def setup(bot: DPRKWatch) -> None:
    await bot.add_cog(StatsCog(bot))
