"""The buttons under fact cards: open another fact privately, suggest a correction."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.errors import NotFound
from bot.facts import render
from bot.kit.persistent import PersistentButton
from bot.moderation.queue_ui import SuggestButton

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch


class OpenFactButton(PersistentButton, custom_id="fact:open:{fact_id:slug}"):
    """Opens a fact card privately for whoever clicks. Works after restarts: the id is in custom_id."""

    fact_id: str

    def __init__(self, fact_id: str, label: str = "") -> None:
        super().__init__(label=render.clip(label or fact_id, 80), fact_id=fact_id)

    async def run(self, interaction: discord.Interaction[DPRKWatch]) -> None:
        detail = await interaction.client.fact_store.get_fact_detail(self.fact_id)
        if detail is None:
            raise NotFound("That fact is no longer in the record (it may have been retired).")
        await interaction.response.send_message(embed=render.fact_card(detail), ephemeral=True)


def card_view(fact_id: str) -> discord.ui.View:
    """The buttons under a fact card: anyone can suggest a correction."""
    view = discord.ui.View(timeout=None)
    view.add_item(SuggestButton(fact_id))
    return view
