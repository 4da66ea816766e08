"""Lookup commands for everyone: /search, /fact, /resolution, /about."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.utils import MISSING

from bot.core.errors import NotFound
from bot.facts import render
from bot.facts.model.fact import Category, FactDate
from bot.facts.ui import FactPicker, OpenFactButton, SourcesButton, answer_view, card_view, topics_view
from bot.kit.cooldowns import member_cooldown
from bot.kit.options import CategoryOption, FactOption
from bot.kit.persistent import FeatureCog
from bot.moderation.queue_ui import SuggestButton

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

# Ranking reads many candidates: a burst of searches per member is fine, a flood is not.
SEARCH_BURST = (8, 30.0)
REPORT_ERRORS_HINT = (
    "Spotted an error? Tell the server's moderators: they can correct any fact with /factmod."
)


class LookupCog(FeatureCog):
    """Read-only lookups over the fact store."""

    # Fact cards carry these buttons wherever they are shown.
    persistent_items = (OpenFactButton, SourcesButton, FactPicker, SuggestButton)
    bot: DPRKWatch

    @app_commands.command(name="search", description="Search the record: keywords or a question")
    @app_commands.describe(
        query="Keywords or a question, e.g. 'when was the sixth nuclear test?'",
        category="Only search tests, sanctions or talks",
    )
    @member_cooldown(*SEARCH_BURST)
    async def search(
        self,
        interaction: discord.Interaction[DPRKWatch],
        query: app_commands.Range[str, 1, 300],
        category: CategoryOption | None = None,
    ) -> None:
        answer = await self.bot.search_answers.answer(query, category)
        if answer.kind == "refused":
            # Never a confident public card for what the record does not hold: a private note instead.
            topics = topics_view(answer)
            hint = "Close topics in the record:" if topics else await self._hint(query)
            await interaction.response.send_message(
                f"{answer.lead}\n{hint}", view=topics or MISSING, ephemeral=True
            )
            return
        await interaction.response.send_message(embeds=list(answer.embeds), view=answer_view(answer))

    async def _hint(self, query: str) -> str:
        suggestions = await self.bot.fact_service.did_you_mean(query)
        did_you_mean = f"Did you mean: {', '.join(f'`{s}`' for s in suggestions)}? " if suggestions else ""
        return (
            f"{did_you_mean}Try a system (`Hwasong-15`), a year (`2017`), a resolution number (`2397`) or a "
            "name (`Agreed Framework`)."
        )

    @app_commands.command(name="fact", description="Show one fact by name or id")
    @app_commands.describe(fact="Start typing a name, alias or id")
    async def fact(self, interaction: discord.Interaction[DPRKWatch], fact: FactOption) -> None:
        detail = await self.bot.fact_store.detail_of(fact)
        await interaction.response.send_message(embed=render.fact_card(detail), view=card_view(fact.id))

    @app_commands.command(name="resolution", description="One UN Security Council resolution on North Korea")
    @app_commands.describe(number="The resolution number, e.g. 2397")
    async def resolution(
        self, interaction: discord.Interaction[DPRKWatch], number: app_commands.Range[int, 1, 9999]
    ) -> None:
        fact = await self.bot.fact_store.get_resolution(number)
        if fact is None:
            known = await self.bot.fact_store.resolution_numbers()
            nearest = sorted(known, key=lambda n: abs(n - number))[:3]
            raise NotFound(
                f"Resolution {number} is not in the record of resolutions on North Korea. "
                f"Closest known: {', '.join(map(str, sorted(nearest)))}."
            )
        detail = await self.bot.fact_store.get_fact_detail(fact.id)
        assert detail is not None
        await interaction.response.send_message(embed=render.fact_card(detail), view=card_view(fact.id))

    @app_commands.command(name="about", description="What DPRK Watch knows and how its facts are sourced")
    async def about(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        counts = await self.bot.fact_store.count_by_category()
        span = await self.bot.fact_store.date_range()
        version = await self.bot.fact_store.dataset_version() or "unknown"
        embed = discord.Embed(
            title="About DPRK Watch",
            description=(
                "A shared, sourced record of North Korea's nuclear and missile tests, the sanctions that "
                "answered them and the talks around them. Every fact carries a date and at least one public "
                "source (Arms Control Association, UN documents, the CNS missile test database, government "
                "statements).\n\n" + REPORT_ERRORS_HINT
            ),
        )
        complete_to = await self.bot.fact_store.complete_to()
        for category in Category:
            complete = complete_to.get(category.value)
            through = f"\ncomplete to {FactDate.parse(complete).display()}" if complete else ""
            embed.add_field(
                name=category.value.capitalize(), value=f"{counts.get(category.value, 0):,} facts{through}"
            )
        if span:
            embed.add_field(name="Covers", value=f"{span[0].display()} – {span[1].display()}", inline=False)
        if complete_to:
            embed.add_field(
                name="How current",
                value="Each category holds every event up to the month shown; later events may be missing "
                "where public sources were still thin when the record was last brought up to date.",
                inline=False,
            )
        embed.add_field(name="Dataset version", value=version, inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: DPRKWatch) -> None:
    await bot.add_cog(LookupCog(bot))
