"""Fuzz: every lookup command's text and number options, through the emulator, with the real client.

Whatever a member types: an answer or a polite refusal (never an apology for a crash), every reply
within Discord's limits, nothing that could ping, and the record unchanged.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.facts.model.search import QueryError
from tests.conftest import WatchEnv
from tests.emulator.actors import Actor
from tests.emulator.interactions import EmulatorUsageError
from tests.fuzz_settings import (
    assert_answered_well,
    boundary_ints,
    database_digest,
    fuzz_settings,
    nasty_text,
    with_real_ids,
)

CATEGORIES = st.sampled_from([None, "tests", "sanctions", "talks"])
YEARS = st.one_of(st.none(), boundary_ints(1900, 2100))


class Members:
    """Fresh members for a test's examples, so per-member cooldowns never hide what is being fuzzed."""

    def __init__(self, watch: WatchEnv) -> None:
        self.watch = watch
        self.count = 0
        self.role = watch.guild.add_role("Pingable", permissions=0)

    def next(self) -> Actor:
        self.count += 1
        return self.watch.member(f"fuzzer{self.count}")

    def text(self, raw: str, limit: int) -> str:
        return with_real_ids(raw, self.role.id, limit=limit, user_id=self.watch.member("alice").id)


@pytest.fixture
def members(watch: WatchEnv) -> Members:
    return Members(watch)


@fuzz_settings(60)
@given(query=nasty_text(1, 300), category=CATEGORIES)
async def test_search_answers_any_query(
    watch: WatchEnv, members: Members, caplog: pytest.LogCaptureFixture, query: str, category: str | None
) -> None:
    before = database_digest(watch.settings.database_path)
    caplog.clear()
    options = {"query": members.text(query, 300)} | ({"category": category} if category else {})
    resp = await members.next().slash("search", options=options)
    assert_answered_well(watch.emulator, resp, caplog.records)
    assert database_digest(watch.settings.database_path) == before


@fuzz_settings(40)
@given(typed=nasty_text(1, 100))
async def test_fact_and_its_autocomplete_answer_any_text(
    watch: WatchEnv, members: Members, caplog: pytest.LogCaptureFixture, typed: str
) -> None:
    caplog.clear()
    member = members.next()
    text = members.text(typed, 100)
    choices = await member.autocomplete("fact", "fact", text)
    assert len(choices) <= 25
    assert all(1 <= len(c.name) <= 100 and 1 <= len(str(c.value)) <= 100 for c in choices)
    resp = await member.slash("fact", fact=text)
    assert_answered_well(watch.emulator, resp, caplog.records)


@fuzz_settings(40)
@given(
    system=st.one_of(st.none(), nasty_text(1, 60)),
    year=YEARS,
    start=st.one_of(st.none(), nasty_text(1, 10)),
    end=st.one_of(st.none(), nasty_text(1, 10)),
    number=boundary_ints(1, 9999),
)
async def test_listings_answer_any_filters(
    watch: WatchEnv,
    members: Members,
    caplog: pytest.LogCaptureFixture,
    system: str | None,
    year: int | None,
    start: str | None,
    end: str | None,
    number: int,
) -> None:
    before = database_digest(watch.settings.database_path)
    caplog.clear()
    member = members.next()
    tests = {k: v for k, v in {"system": system and members.text(system, 60), "year": year}.items() if v}
    timeline = {k: v for k, v in {"start": start, "end": end}.items() if v}
    for command, options in [
        ("tests", tests),
        ("sanctions", {"year": year} if year else {}),
        ("talks", {"year": year} if year else {}),
        ("timeline", timeline),
        ("resolution", {"number": number}),
    ]:
        resp = await member.slash(command, options=options)
        assert_answered_well(watch.emulator, resp, caplog.records)
        if resp.buttons and any(b["label"] == "Next" for b in resp.buttons):
            assert_answered_well(watch.emulator, await resp.click("Next"), caplog.records)
    assert database_digest(watch.settings.database_path) == before


@fuzz_settings(15)
@given(category=CATEGORIES, from_year=YEARS, to_year=YEARS)
async def test_stats_answers_any_year_range(
    watch: WatchEnv,
    members: Members,
    caplog: pytest.LogCaptureFixture,
    category: str | None,
    from_year: int | None,
    to_year: int | None,
) -> None:
    caplog.clear()
    options = {"category": category, "from_year": from_year, "to_year": to_year}
    resp = await members.next().slash("stats", options={k: v for k, v in options.items() if v})
    assert_answered_well(watch.emulator, resp, caplog.records)


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("search", {"query": ""}),
        ("search", {"query": "x" * 301}),
        ("search", {"query": "x" * 10_000}),
        ("fact", {"fact": "y" * 10_000}),
        ("resolution", {"number": 0}),
        ("resolution", {"number": 10_000}),
        ("resolution", {"number": 2**63}),
        ("stats", {"from_year": 1899}),
        ("tests", {"year": 2101}),
        ("timeline", {"start": "2017-01-01T00:00"}),
    ],
)
async def test_out_of_range_options_never_reach_the_bot(watch: WatchEnv, command: str, options: dict) -> None:
    """Discord's client refuses these before sending: the bot's declared ranges and lengths are real."""
    with pytest.raises(EmulatorUsageError):
        await watch.member("alice").slash(command, options=options)
    assert not watch.emulator.interactions


@fuzz_settings(150)
@given(text=st.one_of(nasty_text(0, 10_000), st.text(max_size=10_000)))
async def test_the_search_engine_takes_any_text_directly(watch: WatchEnv, text: str) -> None:
    """Below the command's 300 characters, the engine itself accepts anything (CLI `ask`, autocomplete)."""
    service = watch.bot.fact_service
    with contextlib.suppress(QueryError):  # "too common to search for": a polite refusal
        await service.search(text, limit=6)
    await service.did_you_mean(text)
    await watch.bot.fact_store.autocomplete(text, limit=25)
