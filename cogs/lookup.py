"""Lookup commands for everyone: /search, /fact, /resolution, /about."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.utils import MISSING

from bot.core.errors import NotFound
from bot.facts import render
from bot.facts.model.fact import Category, FactDate
from bot.facts.ui import FactPicker, OpenFactButton, SourcesButton, card_view
from bot.i18n import N_, _, ngettext
from bot.kit.cooldowns import member_cooldown, member_cooldown_check
from bot.kit.options import CategoryOption, FactOption
from bot.kit.persistent import FeatureCog
from bot.moderation.queue_ui import SuggestButton

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

# Ranking reads many candidates: a burst of searches per member is fine, a flood is not.
SEARCH_BURST = (8, 30.0)
LOOK_UP_MENU = "Look up in DPRK Watch"
# What the context menu searches: the start of the message, as much as /search's query takes.
LOOKED_UP_CHARACTERS = 300
NO_TEXT = N_("That message has no text to look up. Try /search with a few words from it.")
REPORT_ERRORS_HINT = N_(
    "Spotted an error? Tell the server's moderators: they can correct any fact with /factmod."
)


def message_text(message: discord.Message) -> str:
    """The text a member means by "this message": its content, else its first embed's title and
    description (a bot's card, a link preview), cut to what /search takes."""
    text = message.content.strip()
    if not text and message.embeds:
        embed = message.embeds[0]
        text = " ".join(part for part in (embed.title, embed.description) if part).strip()
    return text[:LOOKED_UP_CHARACTERS]


class LookupCog(FeatureCog):
    """Read-only lookups over the fact store."""

    # Fact cards carry these buttons wherever they are shown.
    persistent_items = (OpenFactButton, SourcesButton, FactPicker, SuggestButton)
    bot: DPRKWatch

    def __init__(self, bot: DPRKWatch) -> None:
        super().__init__(bot)
        # Context menus cannot be declared in a cog's body: built here, added to the tree on load.
        self.look_up_menu = app_commands.ContextMenu(
            name=LOOK_UP_MENU,
            callback=self.look_up_message,
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
            allowed_contexts=app_commands.AppCommandContext(
                guild=True, dm_channel=True, private_channel=True
            ),
        )
        self.look_up_menu.add_check(member_cooldown_check(*SEARCH_BURST))

    async def cog_load(self) -> None:
        await super().cog_load()
        self.bot.tree.add_command(self.look_up_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.look_up_menu.name, type=self.look_up_menu.type)
        await super().cog_unload()

    @app_commands.command(name="search", description="Search the record: keywords or a question")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
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
        await self._answer(interaction, query, category, private=False)

    async def look_up_message(
        self, interaction: discord.Interaction[DPRKWatch], message: discord.Message
    ) -> None:
        """The message context menu: search the message's text and answer privately (the member asked
        about someone else's message; the channel need not see the answer)."""
        text = message_text(message)
        if not text:
            await interaction.response.send_message(_(NO_TEXT), ephemeral=True)
            return
        await self._answer(interaction, text, None, private=True)

    async def _answer(
        self,
        interaction: discord.Interaction[DPRKWatch],
        query: str,
        category: CategoryOption | None,
        *,
        private: bool,
    ) -> None:
        answer = await self.bot.search_answers.answer(query, category)
        if answer.kind == "refused":
            # Never a confident public card for what the record does not hold: a private note instead.
            hint = _("Close topics in the record:") if answer.view else await self._hint(query)
            await interaction.response.send_message(
                f"{_(answer.lead)}\n{hint}", view=answer.view or MISSING, ephemeral=True
            )
            return
        await interaction.response.send_message(
            embeds=list(answer.embeds), view=answer.view or MISSING, ephemeral=private
        )

    async def _hint(self, query: str) -> str:
        suggestions = await self.bot.fact_service.did_you_mean(query)
        try_these = _(
            "Try a system (`Hwasong-15`), a year (`2017`), a resolution number (`2397`) or a name "
            "(`Agreed Framework`)."
        )
        if not suggestions:
            return try_these
        did_you_mean = _("Did you mean: {suggestions}?").format(
            suggestions=", ".join(f"`{s}`" for s in suggestions)
        )
        return f"{did_you_mean} {try_these}"

    @app_commands.command(name="fact", description="Show one fact by name or id")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(fact="Start typing a name, alias or id")
    async def fact(self, interaction: discord.Interaction[DPRKWatch], fact: FactOption) -> None:
        detail = await self.bot.fact_store.detail_of(fact)
        await interaction.response.send_message(embed=render.fact_card(detail), view=card_view(fact.id))

    @app_commands.command(name="resolution", description="One UN Security Council resolution on North Korea")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(number="The resolution number, e.g. 2397")
    async def resolution(
        self, interaction: discord.Interaction[DPRKWatch], number: app_commands.Range[int, 1, 9999]
    ) -> None:
        fact = await self.bot.fact_store.get_resolution(number)
        if fact is None:
            known = await self.bot.fact_store.resolution_numbers()
            nearest = sorted(known, key=lambda n: abs(n - number))[:3]
            raise NotFound(
                _(
                    "Resolution {number} is not in the record of resolutions on North Korea. "
                    "Closest known: {nearest}."
                ).format(number=number, nearest=", ".join(map(str, sorted(nearest))))
            )
        detail = await self.bot.fact_store.get_fact_detail(fact.id)
        assert detail is not None
        await interaction.response.send_message(embed=render.fact_card(detail), view=card_view(fact.id))

    @app_commands.command(name="about", description="What DPRK Watch knows and how its facts are sourced")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def about(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        counts = await self.bot.fact_store.count_by_category()
        span = await self.bot.fact_store.date_range()
        version = await self.bot.fact_store.dataset_version() or _("unknown")
        embed = discord.Embed(
            title=_("About DPRK Watch"),
            description=(
                _(
                    "A shared, sourced record of North Korea's nuclear and missile tests, the sanctions "
                    "that answered them and the talks around them. Every fact carries a date and at least "
                    "one public source (Arms Control Association, UN documents, the CNS missile test "
                    "database, government statements)."
                )
                + "\n\n"
                + _(REPORT_ERRORS_HINT)
            ),
        )
        complete_to = await self.bot.fact_store.complete_to()
        for category in Category:
            complete = complete_to.get(category.value)
            count = counts.get(category.value, 0)
            facts = ngettext("{count} fact", "{count} facts", count).format(count=f"{count:,}")
            if complete:
                facts += "\n" + _("complete to {date}").format(date=FactDate.parse(complete).display())
            embed.add_field(name=render.category_label(category), value=facts)
        if span:
            embed.add_field(
                name=_("Covers"), value=f"{span[0].display()} – {span[1].display()}", inline=False
            )
        if complete_to:
            embed.add_field(
                name=_("How current"),
                value=_(
                    "Each category holds every event up to the month shown; later events may be missing "
                    "where public sources were still thin when the record was last brought up to date."
                ),
                inline=False,
            )
        embed.add_field(name=_("Dataset version"), value=version, inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: DPRKWatch) -> None:
    await bot.add_cog(LookupCog(bot))
