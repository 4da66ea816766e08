"""Answers to /search, drawn once and remembered until the record changes.

The same questions come again and again (members ask about what is in the news, and ask again when a
friend did), and finding, ranking and drawing the answer is most of what /search costs. An answer is
kept with the facts' version number and thrown away as soon as any fact changes, so an edit shows in
the next search (quiz answers and other writes leave it alone).

Different questions often lead to the same fact, so each fact's card (its answer embed, the count of its
sources, the menu of its linked facts) is also kept per version and language, apart from the answers:
with no answer remembered (SEARCH_CACHE_SIZE=0) every question is still found and ranked afresh, but a
fact shown before is not drawn again.
"""

from __future__ import annotations

import asyncio
import functools
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal

import discord

from bot.db.database import Database
from bot.facts import render, ui
from bot.facts.model.answering import Answer
from bot.facts.model.fact import Category, Fact
from bot.facts.service import FactService
from bot.facts.store import FactStore
from bot.i18n import N_, current_locale, language_of

# Distinct questions remembered; each answer is a few kilobytes of embeds.
DEFAULT_SIZE = 1_024
# Fact cards kept (per language) for the facts' current version: a few kilobytes each.
CARDS_KEPT = 2_048
SELECT_OPTIONS = 25  # Discord's limit for a select menu


# The question, the category, and the language the answer is drawn in (its labels are translated).
_Key = tuple[str, Category | None, str | None]
# A fact's id and the language its card is drawn in.
_CardKey = tuple[str, str | None]

# What the model (bot.facts.model.answering) says when it refuses, in English; marked here, where it is
# shown, for translation (`_(answer.lead)`). tests/app/test_i18n.py checks these are all it says.
REFUSAL_LEADS = (
    N_("That is not in the DPRK Watch record."),
    N_("That is not in the DPRK Watch record (it covers North Korea's programmes, not other states')."),
    N_("That is not in the DPRK Watch record (it names nothing the record holds)."),
)


@dataclass(frozen=True)
class SearchAnswer:
    """What /search shows, drawn once: the answer's embeds and what its buttons and menus offer.

    kind "fact": the best fact's answer card (`best_id`), its related facts and the other matches as
    menu options. kind "count": the number first, the facts counted as options. kind "refused": not in
    the record; `lead` says so privately and `suggestions` are close topics, as (fact id, title).
    `view` holds the buttons and menus under it (bot.facts.ui), or None when there are none.
    The embeds, options and view are shared by every member who asks the same question: never modify
    them."""

    kind: Literal["fact", "count", "refused"]
    lead: str
    embeds: tuple[discord.Embed, ...] = ()
    best_id: str | None = None
    source_count: int = 0
    related: tuple[discord.SelectOption, ...] = ()
    others: tuple[discord.SelectOption, ...] = ()
    suggestions: tuple[tuple[str, str], ...] = ()
    view: discord.ui.View | None = field(default=None, compare=False)


@dataclass(frozen=True)
class _FactCard:
    """What an answer showing this fact first draws from the fact alone: its card and its linked facts."""

    embed: discord.Embed
    source_count: int
    related: tuple[discord.SelectOption, ...]


class SearchAnswers:
    """Answers by question, remembered for as long as the facts have not changed.

    Members asking the same question at the same moment share one drawing of the answer: in a burst,
    the first asks the store and the others wait for it. An answer is drawn in the asker's language
    (bot.i18n) and remembered per language."""

    def __init__(self, db: Database, facts: FactStore, service: FactService, size: int = DEFAULT_SIZE):
        self.db, self.facts, self.service, self.size = db, facts, service, size
        self._answers: OrderedDict[_Key, tuple[int, asyncio.Future[SearchAnswer]]] = OrderedDict()
        self._cards: OrderedDict[_CardKey, _FactCard] = OrderedDict()
        self._cards_version: int | None = None

    async def answer(self, text: str, category: Category | None) -> SearchAnswer:
        """The answer to `text` (perhaps a refusal). Raises QueryError for unusable text."""
        key = (" ".join(text.split()).casefold(), category, language_of(current_locale()))
        version = await self.db.facts_version()
        remembered = self._answers.get(key)
        if remembered is not None and remembered[0] == version:
            self._answers.move_to_end(key)
            return await asyncio.shield(remembered[1])
        if self.size == 0:
            return await self._draw(text, category, version)
        drawing = asyncio.ensure_future(self._draw(text, category, version))
        drawing.add_done_callback(functools.partial(self._forget_if_failed, key))
        self._answers[key] = (version, drawing)
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
        # Shielded: a member's interaction being cancelled must not cancel the others' answer.
        return await asyncio.shield(drawing)

    def _forget_if_failed(self, key: _Key, drawing: asyncio.Future[SearchAnswer]) -> None:
        """Errors (a bad query, a busy store) are not remembered: the next asker tries again."""
        if drawing.cancelled() or drawing.exception() is not None:
            remembered = self._answers.get(key)
            if remembered is not None and remembered[1] is drawing:
                del self._answers[key]

    def __len__(self) -> int:
        return len(self._answers)

    async def _draw(self, text: str, category: Category | None, version: int) -> SearchAnswer:
        answer = await self.service.answer(text, category=category)
        if answer.refused:
            suggestions = tuple((f.id, f.title) for f in answer.suggestions)
            return SearchAnswer(
                "refused", answer.lead, suggestions=suggestions, view=ui.topics_view(suggestions)
            )
        if answer.kind == "count":
            return _count_answer(answer)
        best = answer.facts[0]
        card = await self._card(best, version)
        others = tuple(render.fact_option(fact) for fact in answer.facts[1 : 1 + SELECT_OPTIONS])
        return SearchAnswer(
            "fact",
            answer.lead,
            (card.embed,),
            best.id,
            card.source_count,
            card.related,
            others,
            view=ui.answer_view(best.id, card.source_count, card.related, others),
        )

    async def _card(self, fact: Fact, version: int) -> _FactCard:
        """The fact's card, drawn once per version of the facts and language."""
        if self._cards_version != version:  # any fact changed: every card may be stale
            self._cards.clear()
            self._cards_version = version
        key = (fact.id, language_of(current_locale()))
        card = self._cards.get(key)
        if card is not None:
            self._cards.move_to_end(key)
            return card
        detail = await self.facts.detail_of(fact)
        linked = [*detail.responds_to, *detail.responses, *detail.related]
        card = _FactCard(
            render.answer_card(fact),
            len(fact.sources),
            tuple(render.fact_option(ref) for ref in linked[:SELECT_OPTIONS]),
        )
        if self._cards_version == version:  # not if the facts changed while the links were read
            self._cards[key] = card
            while len(self._cards) > CARDS_KEPT:
                self._cards.popitem(last=False)
        return card


def _count_answer(answer: Answer) -> SearchAnswer:
    assert answer.count is not None
    card = render.count_card(answer)
    options = tuple(render.fact_option(fact) for fact in answer.facts[:SELECT_OPTIONS])
    return SearchAnswer(
        "count", answer.lead, (card,), others=options, view=ui.answer_view(None, 0, (), options)
    )
