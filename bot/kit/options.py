"""Option types shared by the commands: a fact picked by name, a category, a kind of fact.

Each validates and converts what Discord sends before a command runs, so commands receive a `Fact` or a
`Category`, never a string to look up again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.core.errors import NotFound
from bot.facts import render
from bot.facts.model.fact import KIND_LABELS, Category, Fact
from bot.i18n import _

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

CATEGORY_CHOICES: list[app_commands.Choice[int | float | str]] = [
    app_commands.Choice(name=label, value=category.value)
    for category, label in render.CATEGORY_LABELS.items()
]
KIND_CHOICES = [app_commands.Choice(name=label, value=kind) for kind, label in KIND_LABELS.items()]
AUTOCOMPLETE_LIMIT = 25  # Discord's
FACT_TEXT_LIMIT = 100


class CategoryTransformer(app_commands.Transformer):
    """Tests, sanctions or talks, as a choice."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def choices(self) -> list[app_commands.Choice[int | float | str]]:
        return list(CATEGORY_CHOICES)

    async def transform(self, interaction: discord.Interaction[Any], value: Any, /) -> Category:
        return Category(value)


class FactTransformer(app_commands.Transformer["DPRKWatch"]):
    """A fact, picked from suggestions as the member types, or typed as an id, alias or name."""

    def __init__(self, *, include_retired: bool = False) -> None:
        self.include_retired = include_retired

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def min_value(self) -> int:
        return 1

    @property
    def max_value(self) -> int:
        return FACT_TEXT_LIMIT

    async def autocomplete(
        self, interaction: discord.Interaction[DPRKWatch], value: int | float | str, /
    ) -> list[app_commands.Choice[int | float | str]]:
        refs = await interaction.client.fact_store.autocomplete(
            str(value), limit=AUTOCOMPLETE_LIMIT, include_retired=self.include_retired
        )
        return [
            app_commands.Choice[int | float | str](
                name=render.clip(f"{ref.title} ({ref.date.display()})", 100), value=ref.id
            )
            for ref in refs
        ]

    async def transform(self, interaction: discord.Interaction[DPRKWatch], value: Any, /) -> Fact:
        store = interaction.client.fact_store
        text = str(value).strip()
        fact = await store.get_fact(text.lower(), include_retired=self.include_retired)
        if fact is None:
            # Typed rather than picked: a name whose every word matches a title or alias.
            matches = await store.autocomplete(text, limit=1, include_retired=self.include_retired)
            if matches:
                fact = await store.get_fact(matches[0].id, include_retired=self.include_retired)
        if fact is None:
            raise NotFound(
                _(
                    "No fact is called {name!r}. Pick one from the suggestions as you type, or try /search."
                ).format(name=render.plain(render.clip(text, 100)))
            )
        return fact


# A fact in the record; moderators may also pick retired facts.
FactOption = app_commands.Transform[Fact, FactTransformer]
AnyFactOption = app_commands.Transform[Fact, FactTransformer(include_retired=True)]
CategoryOption = app_commands.Transform[Category, CategoryTransformer]
