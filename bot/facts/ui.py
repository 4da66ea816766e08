"""The buttons and menus under fact cards and answers: open a fact, its sources or a related fact
privately, suggest a correction. All persistent: they work after restarts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord

from bot.core.errors import NotFound
from bot.facts import render
from bot.i18n import N_, _, ngettext
from bot.kit.persistent import PersistentButton, PersistentSelect
from bot.moderation.queue_ui import SuggestButton

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch


RETIRED = N_("That fact is no longer in the record (it may have been retired).")


class OpenFactButton(PersistentButton, custom_id="fact:open:{fact_id:slug}"):
    """Opens a fact card privately for whoever clicks. Works after restarts: the id is in custom_id."""

    fact_id: str

    def __init__(self, fact_id: str, label: str = "") -> None:
        super().__init__(label=render.clip(label or fact_id, 80), fact_id=fact_id)

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        detail = await interaction.client.fact_store.get_fact_detail(self.fact_id)
        if detail is None:
            raise NotFound(_(RETIRED))
        await interaction.response.send_message(embed=render.fact_card(detail), ephemeral=True)


def card_view(fact_id: str) -> discord.ui.View:
    """The buttons under a fact card: anyone can suggest a correction."""
    view = discord.ui.View(timeout=None)
    view.add_item(SuggestButton(fact_id))
    return view


class SourcesButton(PersistentButton, custom_id="fact:sources:{fact_id:slug}"):
    """Every source of a fact, privately."""

    fact_id: str

    def __init__(self, fact_id: str, count: int = 0) -> None:
        super().__init__(
            label=ngettext("{count} source", "All {count} sources", count).format(count=count)
            if count
            else _("All sources"),
            emoji="📚",
            fact_id=fact_id,
        )

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        fact = await interaction.client.fact_store.get_fact(self.fact_id)
        if fact is None:
            raise NotFound(_(RETIRED))
        await interaction.response.send_message(embed=render.sources_embed(fact), ephemeral=True)


PICKER_PLACEHOLDERS = {
    "related": N_("Related facts"),
    "others": N_("Other matches"),
    "chain": N_("Open a step"),
    "day": N_("Open one"),
}


class FactPicker(PersistentSelect, custom_id="fact:pick:{menu:related|others|chain|day}"):
    """A menu of facts; the one chosen opens privately, without retyping an id."""

    menu: str

    def __init__(self, menu: str, options: list[discord.SelectOption] | None = None) -> None:
        super().__init__(placeholder=_(PICKER_PLACEHOLDERS[menu]), options=options, menu=menu)

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        detail = await interaction.client.fact_store.get_fact_detail(self.values[0]) if self.values else None
        if detail is None:
            raise NotFound(_(RETIRED))
        await interaction.response.send_message(
            embed=render.fact_card(detail), view=card_view(detail.fact.id), ephemeral=True
        )


def answer_view(
    best_id: str | None,
    source_count: int,
    related: Sequence[discord.SelectOption],
    others: Sequence[discord.SelectOption],
) -> discord.ui.View:
    """Under an answer: the full card, every source, a correction for the best fact (if any); its
    related facts and the other matches (or the facts counted) as menus. Sent as it is to everyone
    who asks the same question (bot.facts.answers): see `_sent_only`."""
    view = discord.ui.View(timeout=None)
    if best_id is not None:
        view.add_item(OpenFactButton(best_id, _("Full details")))
        view.add_item(SourcesButton(best_id, source_count))
        view.add_item(SuggestButton(best_id))
    if related:
        view.add_item(FactPicker("related", list(related)))
    if others:
        view.add_item(FactPicker("others", list(others)))
    return _sent_only(view)


def topics_view(suggestions: Sequence[tuple[str, str]]) -> discord.ui.View | None:
    """Under a refusal: up to five close topics, as (fact id, title), each opening privately."""
    if not suggestions:
        return None
    view = discord.ui.View(timeout=None)
    for fact_id, title in suggestions[:5]:
        view.add_item(OpenFactButton(fact_id, title))
    return _sent_only(view)


def _sent_only(view: discord.ui.View) -> discord.ui.View:
    """A view that is only sent, never listened to: every item in it is a persistent item the cog
    registers (LookupCog.persistent_items), so a click reaches it by its custom_id whichever message it
    is on. Stopped, discord.py keeps no record of it per message sent, and one view can be sent with
    every answer that shows the same buttons."""
    view.stop()
    return view
