"""End to end through the emulator: the lookup commands, as a member in a channel uses them."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from bot.dataset.loader import Dataset
from bot.facts import render
from bot.facts.model.fact import Category
from bot.kit import paginator
from tests.conftest import PUBLIC_COMMANDS, WatchEnv
from tests.emulator.actors import InteractionNotAnswered
from tests.emulator.interactions import EmulatorUsageError


def field(embed: dict, name: str) -> str:
    return next(f["value"] for f in embed["fields"] if f["name"] == name)


def embed_total(embed: dict) -> int:
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + len(embed.get("footer", {}).get("text", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    )


async def test_the_bot_syncs_every_public_command(watch: WatchEnv) -> None:
    names = {c["name"] for c in watch.emulator.registered_commands()}
    assert names >= PUBLIC_COMMANDS
    factmod = watch.emulator.command("factmod")
    assert int(factmod["default_member_permissions"]) == 32  # Manage Server: hidden from other members


def select_options(resp, placeholder: str) -> list[dict]:
    menus = [c for row in resp.components for c in row["components"] if c.get("placeholder") == placeholder]
    assert menus, f"no menu {placeholder!r}"
    return menus[0]["options"]


async def test_search_answers_first_and_keeps_the_detail_behind_buttons(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    resp = await alice.slash("search", query="when was the sixth nuclear test?")
    assert not resp.ephemeral
    assert len(resp.embeds) == 1
    card = resp.embeds[0]
    assert card["title"].startswith("Sixth nuclear test")
    # The first line answers: the date, once, then what happened.
    assert "**3 September 2017**" in card["description"]
    answer_text = json.dumps(
        [card["title"], card["description"], [f for f in card["fields"] if f["name"] != "Sources"]]
    )
    assert answer_text.count("3 September 2017") == 1  # source titles are the sources' own words
    sources = field(card, "Sources")
    fact = await watch.bot.fact_store.get_fact("nuclear-test-6")
    assert fact is not None
    assert sources.count("](http") == 2
    assert f"and {len(fact.sources) - 2} more" in sources
    labels = [b["label"] for b in resp.buttons]
    assert labels == ["Full details", f"All {len(fact.sources)} sources", "Suggest a correction"]

    everything = await resp.click(f"All {len(fact.sources)} sources")
    assert everything.ephemeral
    assert everything.embeds[0]["description"].count("](http") == len(fact.sources)
    full = await resp.click("Full details")
    assert full.ephemeral
    assert "2375" in field(full.embeds[0], "What came next")
    related = select_options(resp, "Related facts")
    assert "unsc-2375" in [o["value"] for o in related]
    opened = await resp.select("Related facts", ["unsc-2375"])
    assert opened.ephemeral
    assert opened.embeds[0]["title"].startswith("Resolution 2375")
    others = select_options(resp, "Other matches")
    assert others
    assert "nuclear-test-6" not in [o["value"] for o in others]


async def test_off_topic_questions_are_refused_privately_with_close_topics(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    for question in (
        "who won the 2022 world cup",
        "capital of france",
        "when did india test its first nuclear bomb",
    ):
        resp = await alice.slash("search", query=question)
        assert resp.ephemeral, question
        assert not resp.embeds, question
        assert "not in the DPRK Watch record" in resp.content, question
        assert len(resp.buttons) <= 5
    # A close topic opens privately, without retyping anything.
    resp = await alice.slash("search", query="when did india test its first nuclear bomb")
    if resp.buttons:
        topic = await resp.click(resp.buttons[0]["label"])
        assert topic.ephemeral
        assert topic.embeds[0]["title"]


async def test_counting_questions_say_the_number_first(watch: WatchEnv) -> None:
    resp = await watch.member("alice").slash("search", query="how many nuclear tests has north korea done")
    assert not resp.ephemeral
    assert resp.embeds[0]["title"] == "6 nuclear tests in the record"
    counted = select_options(resp, "Other matches")
    assert sorted(o["value"] for o in counted) == [f"nuclear-test-{n}" for n in range(1, 7)]


async def test_search_with_nothing_found_explains_privately(watch: WatchEnv) -> None:
    resp = await watch.member("alice").slash("search", query="zzzqqq xxyyww")
    assert resp.ephemeral
    assert "not in the DPRK Watch record" in resp.content
    assert "Try a system" in resp.content


@pytest.mark.parametrize("query", ['"', "AND(", "NEAR", "((( )", "*", "@everyone <@&123456789012345678>"])
async def test_search_takes_fts_syntax_and_mentions_as_words(watch: WatchEnv, query: str) -> None:
    resp = await watch.member("alice").slash("search", query=query)
    assert resp.content or resp.embeds
    assert "Sorry, something went wrong" not in (resp.content or "")


async def test_search_rejects_an_over_long_query_before_it_reaches_the_bot(watch: WatchEnv) -> None:
    with pytest.raises(EmulatorUsageError):
        await watch.member("alice").slash("search", query="x" * 301)


async def test_search_can_be_limited_to_a_category(watch: WatchEnv) -> None:
    resp = await watch.member("alice").slash("search", query="talks in 2017", category="talks")
    kinds = {resp.embeds[0]["footer"]["text"].split(" · ")[0]}
    assert kinds <= {
        "Summit",
        "Agreement or declaration",
        "Multilateral talks",
        "Bilateral meeting",
        "Withdrawal or breakdown",
    }


async def test_fact_autocomplete_is_relevant_and_within_limits(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    choices = await alice.autocomplete("fact", "fact", "hwas")
    assert 0 < len(choices) <= 25
    assert all(1 <= len(c.name) <= 100 for c in choices)
    assert all("hwasong" in c.name.lower() or "hwasong" in str(c.value) for c in choices[:5])
    newest = await alice.autocomplete("fact", "fact", "")
    assert len(newest) == 25
    hostile = await alice.autocomplete("fact", "fact", '"AND( *')
    assert len(hostile) <= 25


async def test_fact_by_id_and_by_name(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    by_id = await alice.slash("fact", fact="unsc-2397")
    assert by_id.embeds[0]["title"].startswith("Resolution 2397")
    assert field(by_id.embeds[0], "Vote (for–against–abstained)") == "15–0–0"
    by_name = await alice.slash("fact", fact="Agreed Framework")
    assert "Agreed Framework" in by_name.embeds[0]["title"]
    missing = await alice.slash("fact", fact="zzzz-no-such-fact")
    assert missing.ephemeral
    assert "No fact is called" in missing.content
    # Text with no letters or digits names nothing (it used to show the newest fact).
    symbols = await alice.slash("fact", fact="???")
    assert symbols.ephemeral
    assert "No fact is called" in symbols.content


async def test_month_precision_dates_are_shown_as_months(watch: WatchEnv) -> None:
    resp = await watch.member("alice").slash("fact", fact="unsc-2345")
    assert field(resp.embeds[0], "Date") == "March 2017"


async def test_resolution_card_links_trigger_and_what_came_next(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    resp = await alice.slash("resolution", number=2371)
    card = resp.embeds[0]
    assert field(card, "Date") == "5 August 2017"
    assert "launch-2017-07-28" in field(card, "In response to")
    unknown = await alice.slash("resolution", number=1234)
    assert unknown.ephemeral
    assert "not in the record" in unknown.content
    assert "825" in unknown.content


async def test_tests_listing_pages_with_buttons_only_for_the_invoker(watch: WatchEnv) -> None:
    alice, bob = watch.member("alice"), watch.member("bob")
    resp = await alice.slash("tests", kind="missile")
    assert "1 of" in resp.embeds[0]["footer"]["text"]
    labels = [b["label"] for b in resp.buttons]
    assert labels[:2] == ["«", "‹"]
    assert labels[2].startswith("Page 1 of")
    assert resp.buttons[0]["disabled"]
    first_page = resp.embeds[0]["description"]
    page2 = await resp.click("›")
    assert page2.embeds[0]["description"] != first_page
    assert [b["label"] for b in page2.buttons][2].startswith("Page 2 of")
    refused = await resp.click("›", by=bob)
    assert refused.ephemeral
    assert "belong to the person who ran the command" in refused.content
    last = await resp.click("»")
    assert last.buttons[-1]["disabled"]
    assert last.buttons[-2]["disabled"]


async def test_nuclear_tests_fit_one_page_without_buttons(watch: WatchEnv) -> None:
    resp = await watch.member("alice").slash("tests", kind="nuclear")
    description = resp.embeds[0]["description"]
    assert description.index("Sixth nuclear test") < description.index("Fifth")
    assert not resp.buttons


async def test_tests_filters_by_year_and_system(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    resp = await alice.slash("tests", year=2017, system="Hwasong-14")
    description = resp.embeds[0]["description"]
    assert "4 July 2017" in description
    assert "28 July 2017" in description
    out_of_range = await alice.slash("tests", year=1950)
    assert out_of_range.ephemeral
    assert "The record covers 1984" in out_of_range.content
    nothing = await alice.slash("tests", system="Nonexistent-99")
    assert nothing.ephemeral
    assert "No tests match" in nothing.content


async def test_sanctions_by_issuer_and_year(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    japan = await alice.slash("sanctions", by="japan", year=2017)
    assert "August 2017" in japan.embeds[0]["description"]
    un = await alice.slash("sanctions", by="un", year=2017)
    assert "2397" in un.embeds[0]["description"]


async def test_talks_by_kind(watch: WatchEnv) -> None:
    resp = await watch.member("alice").slash("talks", kind="summit")
    description = resp.embeds[0]["description"]
    summits = [f for f in await watch.bot.fact_store.all_facts(Category.TALKS) if f.kind == "summit"]
    others = [f for f in await watch.bot.fact_store.all_facts(Category.TALKS) if f.kind != "summit"]
    first_page = sorted(summits, key=lambda f: f.date.iso(), reverse=True)[:3]  # newest first
    assert all(render.plain(f.title) in description for f in first_page), description
    assert not any(render.plain(f.title) in description for f in others), description


async def test_timeline_reads_cause_then_response(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    resp = await alice.slash("timeline", start="2017-09-01", end="2017-09-30")
    description = resp.embeds[0]["description"]
    assert description.index("Sixth nuclear test") < description.index("2375")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2017-02-30", None, "February 2017 has 28 days"),
        ("2018", "2016", "reversed"),
        ("17", None, "not a date"),
    ],
)
async def test_timeline_bad_ranges_are_explained(
    watch: WatchEnv, start: str, end: str | None, message: str
) -> None:
    options = {"start": start} | ({"end": end} if end else {})
    resp = await watch.member("alice").slash("timeline", **options)
    assert resp.ephemeral
    assert message in resp.content


async def test_about_counts_the_record(watch: WatchEnv, dataset: Dataset) -> None:
    resp = await watch.member("alice").slash("about")
    embed = resp.embeds[0]
    assert int(field(embed, "Tests").split()[0].replace(",", "")) > 160
    assert field(embed, "Dataset version")
    # How current each category is, as data/dataset.toml states it (the test follows the file).
    for name in ("Tests", "Sanctions", "Talks"):
        month = datetime.strptime(dataset.complete_to[name.lower()], "%Y-%m").strftime("%B %Y")
        assert field(embed, name).endswith(f"complete to {month}"), field(embed, name)


async def test_a_huge_fact_with_mentions_and_markdown_is_clipped_and_never_pings(watch: WatchEnv) -> None:
    from bot.facts.model.fact import parse_fact
    from bot.moderation.store import Editor, FactEditStore
    from tests.conftest import fact_record

    hostile = fact_record(
        "hostile-fact",
        title="@everyone " + "T" * 190,
        summary="@here **bold** <@&123456789012345678> " + "s" * 200,
        body="_x_ " * 740,
        aliases=["hostile"],
    )
    await FactEditStore(watch.bot.db).add_fact(parse_fact(hostile), Editor(None, "test"))
    resp = await watch.member("alice").slash("fact", fact="hostile-fact")
    card = resp.embeds[0]
    assert embed_total(card) <= 6000
    assert len(card["description"]) <= 4096
    assert "@everyone" not in card["description"]
    watch.emulator.assert_no_pings()


async def test_the_paginator_disables_its_buttons_when_it_times_out(
    watch: WatchEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paginator, "PAGE_TIMEOUT_SECONDS", 0.2)
    resp = await watch.member("alice").slash("tests", kind="missile")
    assert not resp.buttons[-1]["disabled"]
    await resp.wait_for_edit()
    assert all(button["disabled"] for button in resp.buttons)


async def test_a_fact_card_button_still_works_after_a_restart(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    resp = await alice.slash("search", query="Hwasong-15")
    labels = [b["label"] for b in resp.buttons]
    await watch.restart()
    opened = await resp.click(labels[1])
    assert opened.ephemeral
    assert opened.embeds


async def test_card_buttons_belong_to_the_lookup_extension(watch: WatchEnv) -> None:
    """The card's buttons work without the moderation extension, and stop with the extension that renders them."""
    alice = watch.member("alice")
    await watch.bot.unload_extension("cogs.moderation")
    card = await alice.slash("fact", fact="nuclear-test-6")
    form = await card.click("Suggest a correction")
    thanks = await form.submit_modal({"suggestion": "The yield range should cite the latest estimate."})
    assert "is in the moderators' queue" in thanks.content
    await watch.bot.unload_extension("cogs.lookup")
    with pytest.raises(InteractionNotAnswered):
        await alice.click(card, "Suggest a correction")
