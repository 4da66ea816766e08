"""Answers to /search, drawn once and remembered until the record changes.

The same questions come again and again (members ask about what is in the news, and ask again when a
friend did), and finding, ranking and drawing the answer is most of what /search costs. An answer is
kept with the facts' version number and thrown away as soon as any fact changes, so an edit shows in
the next search (quiz answers and other writes leave it alone).
"""

from __future__ import annotations

import asyncio
import functools
from collections import OrderedDict
from dataclasses import dataclass

import discord

from bot.db.database import Database
from bot.facts import render
from bot.facts.model.fact import Category
from bot.facts.service import FactService
from bot.facts.store import FactStore

# Distinct questions remembered; each answer is a few kilobytes of embeds.
DEFAULT_SIZE = 1_024
RESULTS = 6
BEST_CARD_BUDGET = 4_500  # leaves room in Discord's 6,000 characters for the list of other matches


_Key = tuple[str, Category | None]


@dataclass(frozen=True)
class SearchAnswer:
    """What /search shows: the best match's card and a list of the others, with their ids for buttons.

    The embeds are shared by every member who asks the same question: never modify them."""

    embeds: tuple[discord.Embed, ...]
    best_id: str
    others: tuple[tuple[str, str], ...]  # (fact id, title)


class SearchAnswers:
    """Answers by question, remembered for as long as the facts have not changed.

    Members asking the same question at the same moment share one drawing of the answer: in a burst,
    the first asks the store and the others wait for it."""

    def __init__(self, db: Database, facts: FactStore, service: FactService, size: int = DEFAULT_SIZE):
        self.db, self.facts, self.service, self.size = db, facts, service, size
        self._answers: OrderedDict[_Key, tuple[int, asyncio.Future[SearchAnswer | None]]] = OrderedDict()

    async def answer(self, text: str, category: Category | None) -> SearchAnswer | None:
        """The answer to `text`, or None if nothing matches. Raises QueryError for unusable text."""
        key = (" ".join(text.split()).casefold(), category)
        version = await self.db.facts_version()
        remembered = self._answers.get(key)
        if remembered is not None and remembered[0] == version:
            self._answers.move_to_end(key)
            return await asyncio.shield(remembered[1])
        if self.size == 0:
            return await self._draw(text, category)
        drawing = asyncio.ensure_future(self._draw(text, category))
        drawing.add_done_callback(functools.partial(self._forget_if_failed, key))
        self._answers[key] = (version, drawing)
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
        # Shielded: a member's interaction being cancelled must not cancel the others' answer.
        return await asyncio.shield(drawing)

    def _forget_if_failed(self, key: _Key, drawing: asyncio.Future[SearchAnswer | None]) -> None:
        """Errors (a bad query, a busy store) are not remembered: the next asker tries again."""
        if drawing.cancelled() or drawing.exception() is not None:
            remembered = self._answers.get(key)
            if remembered is not None and remembered[1] is drawing:
                del self._answers[key]

    def __len__(self) -> int:
        return len(self._answers)

    async def _draw(self, text: str, category: Category | None) -> SearchAnswer | None:
        results = await self.service.search(text, category=category, limit=RESULTS)
        if not results:
            return None
        best = await self.facts.detail_of(results[0].fact)
        embeds = [render.fact_card(best, budget=BEST_CARD_BUDGET)]
        others = [r.fact for r in results[1:]]
        if others:
            # Discord counts all of a message's embeds against one 6,000-character limit.
            room = render.EMBED_TOTAL_LIMIT - len(embeds[0])
            embeds.append(render.fit(render.compact_list("More matches", others, start=2), room))
        return SearchAnswer(tuple(embeds), best.fact.id, tuple((f.id, f.title) for f in others))
