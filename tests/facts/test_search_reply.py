"""/search's reply drawn from its kept parts (remembered answers, fact cards kept per version and
language, shared menu options, one view sent again and again) is exactly the reply drawn from scratch:
the same embeds, the same buttons and menus, in every language, before and after an edit."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from typing import Any

import discord
import pytest

from bot.app.settings import PROJECT_ROOT
from bot.db.database import Database
from bot.facts import render
from bot.facts.answers import SELECT_OPTIONS, SearchAnswer, SearchAnswers
from bot.facts.model.query import QueryError
from bot.facts.service import FactService
from bot.facts.store import FactRef
from bot.facts.ui import FactPicker, OpenFactButton, SourcesButton
from bot.i18n import _, using_locale
from bot.moderation.queue_ui import SuggestButton
from bot.moderation.store import Editor, FactEditStore
from cogs.lookup import LOOK_UP_MENU
from tests.conftest import WatchEnv

QUESTIONS = [
    q["question"]
    for q in tomllib.loads((PROJECT_ROOT / "tests/data/search_questions.toml").read_text("utf-8"))["q"]
]
# Beside the tuning set: counting, refusals with and without close topics, and facts reached by
# different questions (the second finds its card kept).
MORE = [
    "how many nuclear tests has north korea done",
    "who won the 2022 world cup",
    "zzzqqq xxyyww",
    "sixth nuclear test",
    "nuclear test september 2017",
]


def fresh_option(fact: FactRef | Any) -> discord.SelectOption:
    return discord.SelectOption(
        label=render.clip(fact.title, 100), value=fact.id, description=render.clip(fact.date.display(), 100)
    )


async def reply_from_scratch(service: FactService, text: str) -> dict[str, Any]:
    """The reply as /search drew it before anything was kept: every part built anew for this answer."""
    answer = await service.answer(text)
    view = discord.ui.View(timeout=None)
    if answer.refused:
        for fact in answer.suggestions[:5]:
            view.add_item(OpenFactButton(fact.id, fact.title))
        return {"content": _(answer.lead), "embeds": [], "components": view.to_components()}
    if answer.kind == "count":
        assert answer.count is not None
        embed = render.count_card(answer)
        options = [fresh_option(fact) for fact in answer.facts[:SELECT_OPTIONS]]
        view.add_item(FactPicker("others", options))
        return {"content": None, "embeds": [embed.to_dict()], "components": view.to_components()}
    detail = await service.facts.detail_of(answer.facts[0])
    best = detail.fact
    linked = [*detail.responds_to, *detail.responses, *detail.related][:SELECT_OPTIONS]
    others = answer.facts[1 : 1 + SELECT_OPTIONS]
    view.add_item(OpenFactButton(best.id, _("Full details")))
    view.add_item(SourcesButton(best.id, len(best.sources)))
    view.add_item(SuggestButton(best.id))
    if linked:
        view.add_item(FactPicker("related", [fresh_option(ref) for ref in linked]))
    if others:
        view.add_item(FactPicker("others", [fresh_option(fact) for fact in others]))
    embed = render.answer_card(best)
    return {"content": None, "embeds": [embed.to_dict()], "components": view.to_components()}


def reply_kept(answer: SearchAnswer) -> dict[str, Any]:
    return {
        "content": _(answer.lead) if answer.kind == "refused" else None,
        "embeds": [embed.to_dict() for embed in answer.embeds],
        "components": answer.view.to_components() if answer.view is not None else [],
    }


async def assert_every_reply_as_from_scratch(answers: SearchAnswers, questions: list[str]) -> int:
    compared = 0
    for text in questions:
        try:
            expected = await reply_from_scratch(answers.service, text)
        except QueryError:
            continue
        for _round in range(2):  # drawn, then remembered
            assert reply_kept(await answers.answer(text, None)) == expected, text
        compared += 1
    return compared


@pytest.mark.parametrize("size", [0, 64])
async def test_kept_parts_draw_the_reply_drawn_from_scratch(
    database: Database, seeded_service: FactService, size: int
) -> None:
    answers = SearchAnswers(database, seeded_service.facts, seeded_service, size=size)
    for locale in ("en-US", "ko", "ja"):
        with using_locale(locale):
            assert await assert_every_reply_as_from_scratch(answers, MORE + QUESTIONS) > 90


async def test_an_edit_redraws_the_kept_card_and_the_menus_that_name_it(
    database: Database, seeded_service: FactService
) -> None:
    answers = SearchAnswers(database, seeded_service.facts, seeded_service, size=0)
    questions = ["sixth nuclear test", "resolution 2375", "unsc 2375 sanctions"]
    await assert_every_reply_as_from_scratch(answers, questions)
    # The test's card and every menu that offers it (2375's related facts) change with its title.
    fact = await seeded_service.facts.get_fact("nuclear-test-6")
    assert fact is not None
    edited = replace(fact, title="Sixth nuclear test (corrected title)", summary="A corrected summary.")
    await FactEditStore(database).edit_fact(
        edited, base_revision=fact.revision, editor=Editor(1, "mod"), reason="fix"
    )
    assert await assert_every_reply_as_from_scratch(answers, questions) == len(questions)
    card = (await answers.answer("sixth nuclear test", None)).embeds[0]
    assert card.title == "Sixth nuclear test (corrected title)"


async def test_one_view_is_sent_with_every_reply_to_the_same_question(
    database: Database, seeded_service: FactService
) -> None:
    answers = SearchAnswers(database, seeded_service.facts, seeded_service, size=8)
    first = await answers.answer("sixth nuclear test", None)
    again = await answers.answer("sixth nuclear test", None)
    assert first.view is not None
    assert again.view is first.view
    # Only sent: its items are the cog's persistent items, so discord.py need not keep it per message.
    assert first.view.is_finished()


async def test_a_remembered_reply_is_the_same_message_and_its_buttons_still_work(watch: WatchEnv) -> None:
    alice, bob = watch.member("alice"), watch.member("bob")
    first = await alice.slash("search", query="when was the sixth nuclear test?")
    again = await bob.slash("search", query="When was the SIXTH nuclear test?")  # remembered: one view
    assert again.embeds == first.embeds
    assert again.components == first.components
    for reply in (first, again):
        full = await bob.click(reply, "Full details")
        assert full.ephemeral
        assert full.embeds[0]["title"].startswith("Sixth nuclear test")
        opened = await alice.select(reply, "Related facts", ["unsc-2375"])
        assert opened.embeds[0]["title"].startswith("Resolution 2375")
    # The same answer privately (the message menu): its view is sent as it is, and works too.
    said = alice.post(watch.guild.channel("general"), "when was the sixth nuclear test?")
    private = await bob.message_command(LOOK_UP_MENU, said)
    assert private.ephemeral
    assert private.components == first.components
    full = await bob.click(private, "Full details")
    assert full.embeds[0]["title"].startswith("Sixth nuclear test")
