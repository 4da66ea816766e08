"""/chain (cause and effect from the record's links) and /onthisday (a day of the year in past years)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.facts.model.days import nearby_days, parse_day
from tests.conftest import WatchEnv


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09-03", (9, 3)),
        ("2017-09-03", (9, 3)),
        ("3 September", (9, 3)),
        ("Sep 3", (9, 3)),
        ("02-29", (2, 29)),
    ],
)
def test_a_day_is_read_in_the_ways_people_write_it(text: str, expected: tuple[int, int]) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["02-30", "13-01", "someday", "3 Smarch", "2017-02-30"])
def test_an_impossible_day_is_refused_with_advice(text: str) -> None:
    with pytest.raises(ValueError, match="not a day"):
        parse_day(text)


def test_nearby_days_cross_month_ends_nearest_first() -> None:
    assert nearby_days(3, 1, spread=2) == ["02-29", "03-02", "02-28", "03-03"]


async def test_chain_follows_a_test_to_what_answered_it(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    resp = await alice.slash("chain", fact="nuclear-test-6")
    assert not resp.ephemeral
    embed = resp.embeds[0]
    lines = embed["description"].splitlines()
    assert "Sixth nuclear test" in lines[0]
    steps = lines[1:]
    assert any("Resolution 2375" in line for line in steps)
    # What answered the test, by the record's links, in date order.
    detail = await watch.bot.fact_store.get_fact_detail("nuclear-test-6")
    assert detail is not None
    assert len(steps) >= len(detail.responses)
    dates = [r.date.iso() for r in sorted(detail.responses, key=lambda r: r.date.iso())]
    assert dates == sorted(dates)
    # Starting from a response walks back to the same root.
    from_resolution = await alice.slash("chain", fact="unsc-2375")
    assert from_resolution.embeds[0]["description"].splitlines()[0] == lines[0]
    opened = await resp.select("Open a step", ["unsc-2375"])
    assert opened.ephemeral
    assert opened.embeds[0]["title"].startswith("Resolution 2375")


async def test_on_this_day_lists_past_years_newest_first(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    resp = await alice.slash("onthisday", date="09-03")
    embed = resp.embeds[0]
    assert embed["title"] == "On this day: 3 September"
    years = [int(line[2:6]) for line in embed["description"].split("\n\n")]
    assert years == sorted(years, reverse=True)
    assert 2017 in years  # the sixth nuclear test
    facts = await watch.bot.fact_store.facts_on_days(["09-03"])
    assert len(years) == min(len(facts), 12)


async def test_on_this_day_defaults_to_today_in_korea(watch: WatchEnv) -> None:
    # 23:30 UTC on 2 September is already 3 September in Korea.
    watch.clock.set(datetime(2026, 9, 2, 23, 30, tzinfo=UTC))
    resp = await watch.member("alice").slash("onthisday")
    assert resp.embeds[0]["title"] == "On this day: 3 September"


async def test_on_this_day_offers_the_nearest_days_and_refuses_a_bad_date(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    empty_days = [f"12-{d:02d}" for d in range(1, 32)]
    found = {f.date.iso()[5:] for f in await watch.bot.fact_store.facts_on_days(empty_days)}
    quiet = next(day for day in empty_days if day not in found)
    resp = await alice.slash("onthisday", date=quiet)
    assert resp.embeds[0]["title"].startswith("Nothing on ")
    bad = await alice.slash("onthisday", date="2017-02-30")
    assert bad.ephemeral
    assert "not a day" in bad.content
