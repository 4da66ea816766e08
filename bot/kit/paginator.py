"""A paginator view: first/previous/next/last buttons and a page counter, for the invoking member only.

Pages are produced on demand by a PageSource, so a listing of hundreds of facts costs one page of
work per click. When the view times out the buttons are disabled on the message.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord

from bot.i18n import _
from bot.kit.error_path import GuardedView

log = logging.getLogger(__name__)

PAGE_TIMEOUT_SECONDS = 600.0


@dataclass(frozen=True)
class Page:
    embed: discord.Embed
    total_pages: int


PageSource = Callable[[int], Awaitable[Page]]
"""Given a zero-based page index, the page (and how many pages there are)."""


class Paginator(GuardedView):
    """Buttons to move through a PageSource. Only `owner_id` may press them."""

    def __init__(self, source: PageSource, *, owner_id: int, total_pages: int, timeout: float | None = None):
        # Read at call time, so a test can shorten it.
        super().__init__(timeout=timeout if timeout is not None else PAGE_TIMEOUT_SECONDS)
        self.source = source
        self.owner_id = owner_id
        self.index = 0
        self.total_pages = max(total_pages, 1)
        # Kept to disable the buttons on timeout; its token stays valid for 15 minutes, longer than the timeout.
        self.interaction: discord.Interaction[Any] | None = None
        self._sync_buttons()

    @classmethod
    async def start(
        cls,
        interaction: discord.Interaction[Any],
        source: PageSource,
        *,
        ephemeral: bool = False,
        first: Page | None = None,
    ) -> None:
        """Send the first page (a single page gets no buttons). Pass `first` if it is already built."""
        first = first or await source(0)
        if first.total_pages <= 1:
            await _respond(interaction, embed=first.embed, ephemeral=ephemeral)
            return
        view = cls(source, owner_id=interaction.user.id, total_pages=first.total_pages)
        await _respond(interaction, embed=first.embed, view=view, ephemeral=ephemeral)
        view.interaction = interaction

    def _counter_text(self) -> str:
        return _("Page {page} of {pages}").format(page=self.index + 1, pages=self.total_pages)

    def _sync_buttons(self) -> None:
        at_start, at_end = self.index == 0, self.index >= self.total_pages - 1
        self.first.disabled = self.previous.disabled = at_start
        self.next.disabled = self.last.disabled = at_end
        self.counter.label = self._counter_text()

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        await super().interaction_check(interaction)
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            _("These buttons belong to the person who ran the command. Run it yourself to browse."),
            ephemeral=True,
        )
        return False

    async def _show(self, interaction: discord.Interaction[Any], index: int) -> None:
        page = await self.source(index)
        self.total_pages = max(page.total_pages, 1)
        self.index = min(index, self.total_pages - 1)
        self._sync_buttons()
        await interaction.response.edit_message(embed=page.embed, view=self)

    @discord.ui.button(label="«", style=discord.ButtonStyle.secondary)
    async def first(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Paginator]) -> None:
        await self._show(interaction, 0)

    @discord.ui.button(label="‹", style=discord.ButtonStyle.primary)
    async def previous(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Paginator]) -> None:
        await self._show(interaction, max(self.index - 1, 0))

    @discord.ui.button(label="Page", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Paginator]) -> None:
        await interaction.response.defer()

    @discord.ui.button(label="›", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Paginator]) -> None:
        await self._show(interaction, self.index + 1)

    @discord.ui.button(label="»", style=discord.ButtonStyle.secondary)
    async def last(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Paginator]) -> None:
        await self._show(interaction, self.total_pages - 1)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.interaction is not None:
            try:
                await self.interaction.edit_original_response(view=self)
            except discord.HTTPException:
                log.debug("Could not disable the buttons of a timed-out paginator", exc_info=True)


async def _respond(interaction: discord.Interaction[Any], **kwargs: Any) -> None:
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
