"""Lookup commands for everyone: /search, /fact, /resolution, /about."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import NotFound
from bot.facts import render
from bot.facts.model.fact import Category
from bot.kit.cooldowns import member_cooldown
from bot.kit.error_path import ReportsErrors
from bot.moderation.queue_ui import SuggestButton

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

CATEGORY_CHOICES = [app_commands.Choice(name=c.value.capitalize(), value=c.value) for c in Category]
# Ranking reads many candidates: a burst of searches per member is fine, a flood is not.
SEARCH_BURST = (8, 30.0)
REPORT_ERRORS_HINT = (
    "Spotted an error? Tell the server's moderators: they can correct any fact with /factmod."
)


class OpenFactButton(
    ReportsErrors,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"fact:open:(?P<fact_id>[a-z0-9-]{1,64})",
):
    """Opens a fact card privately for whoever clicks. Works after restarts: the id is in custom_id."""

    def __init__(self, fact_id: str, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.clip(label, 80),
                style=discord.ButtonStyle.secondary,
                custom_id=f"fact:open:{fact_id}",
            )
        )
        self.fact_id = fact_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> OpenFactButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["fact_id"], label or match["fact_id"])

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        detail = await interaction.client.facts.get_fact_detail(self.fact_id)
        if detail is None:
            raise NotFound("That fact is no longer in the record (it may have been retired).")
        await interaction.response.send_message(embed=render.fact_card(detail), ephemeral=True)


def card_view(fact_id: str) -> discord.ui.View:
    """The buttons under a fact card: anyone can suggest a correction."""
    view = discord.ui.View(timeout=None)
    view.add_item(SuggestButton(fact_id))
    return view


class LookupCog(commands.Cog):
    """Read-only lookups over the fact store."""

    def __init__(self, bot: DPRKWatch) -> None:
        self.bot = bot

    async def fact_autocomplete(
        self, interaction: discord.Interaction[DPRKWatch], current: str
    ) -> list[app_commands.Choice[str]]:
        refs = await self.bot.facts.autocomplete(current, limit=25)
        return [
            app_commands.Choice(name=render.clip(f"{ref.title} ({ref.date.display()})", 100), value=ref.id)
            for ref in refs
        ]

    @app_commands.command(name="search", description="Search the record: keywords or a question")
    @app_commands.describe(
        query="Keywords or a question, e.g. 'when was the sixth nuclear test?'",
        category="Only search tests, sanctions or talks",
    )
    @app_commands.choices(category=CATEGORY_CHOICES)
    @member_cooldown(*SEARCH_BURST)
    async def search(
        self,
        interaction: discord.Interaction[DPRKWatch],
        query: app_commands.Range[str, 1, 300],
        category: app_commands.Choice[str] | None = None,
    ) -> None:
        chosen = Category(category.value) if category else None
        answer = await self.bot.search_answers.answer(query, chosen)
        if answer is None:
            suggestions = await self.bot.fact_service.did_you_mean(query)
            hint = f"Did you mean: {', '.join(f'`{s}`' for s in suggestions)}?\n" if suggestions else ""
            raise NotFound(
                f"Nothing in the record matches {render.plain(render.clip(query, 100))!r}.\n{hint}"
                "Try fewer or different words: a system (`Hwasong-15`), a year (`2017`), a resolution "
                "number (`2397`) or a name (`Agreed Framework`)."
            )
        view = card_view(answer.best_id)
        for fact_id, title in answer.others:
            view.add_item(OpenFactButton(fact_id, title))
        await interaction.response.send_message(embeds=list(answer.embeds), view=view)

    @app_commands.command(name="fact", description="Show one fact by name or id")
    @app_commands.describe(fact="Start typing a name, alias or id")
    async def fact(
        self, interaction: discord.Interaction[DPRKWatch], fact: app_commands.Range[str, 1, 100]
    ) -> None:
        detail = await self.bot.facts.get_fact_detail(fact.strip().lower())
        if detail is None:
            # Typed rather than picked: accept a name whose every word matches a title or alias.
            matches = await self.bot.facts.autocomplete(fact, limit=1)
            if not matches:
                raise NotFound(
                    f"No fact is called {render.plain(render.clip(fact, 100))!r}. "
                    "Pick one from the suggestions as you type, or try /search."
                )
            detail = await self.bot.facts.get_fact_detail(matches[0].id)
            assert detail is not None
        await interaction.response.send_message(
            embed=render.fact_card(detail), view=card_view(detail.fact.id)
        )

    @fact.autocomplete("fact")
    async def _fact_autocomplete(
        self, interaction: discord.Interaction[DPRKWatch], current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.fact_autocomplete(interaction, current)

    @app_commands.command(name="resolution", description="One UN Security Council resolution on North Korea")
    @app_commands.describe(number="The resolution number, e.g. 2397")
    async def resolution(
        self, interaction: discord.Interaction[DPRKWatch], number: app_commands.Range[int, 1, 9999]
    ) -> None:
        fact = await self.bot.facts.get_resolution(number)
        if fact is None:
            known = await self.bot.facts.resolution_numbers()
            nearest = sorted(known, key=lambda n: abs(n - number))[:3]
            raise NotFound(
                f"Resolution {number} is not in the record of resolutions on North Korea. "
                f"Closest known: {', '.join(map(str, sorted(nearest)))}."
            )
        detail = await self.bot.facts.get_fact_detail(fact.id)
        assert detail is not None
        await interaction.response.send_message(embed=render.fact_card(detail), view=card_view(fact.id))

    @app_commands.command(name="about", description="What DPRK Watch knows and how its facts are sourced")
    async def about(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        counts = await self.bot.facts.count_by_category()
        span = await self.bot.facts.date_range()
        version = await self.bot.facts.dataset_version() or "unknown"
        embed = discord.Embed(
            title="About DPRK Watch",
            description=(
                "A shared, sourced record of North Korea's nuclear and missile tests, the sanctions that "
                "answered them and the talks around them. Every fact carries a date and at least one public "
                "source (Arms Control Association, UN documents, the CNS missile test database, government "
                "statements).\n\n" + REPORT_ERRORS_HINT
            ),
        )
        for category in Category:
            embed.add_field(
                name=category.value.capitalize(), value=f"{counts.get(category.value, 0):,} facts"
            )
        if span:
            embed.add_field(name="Covers", value=f"{span[0].display()} – {span[1].display()}", inline=False)
        embed.add_field(name="Dataset version", value=version, inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: DPRKWatch) -> None:
    bot.add_dynamic_items(OpenFactButton)
    await bot.add_cog(LookupCog(bot))
