"""The counts behind the /stats chart, checked against the store they come from."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.facts.model.fact import Fact
from bot.facts.service import FactService
from bot.facts.store import FactStore
from bot.stats.model import series

TODAY = (2026, 11)


@pytest.fixture
async def facts(seeded_service: FactService, fact_store: FactStore) -> list[Fact]:
    return await fact_store.all_facts()


def per_year(facts: list[Fact], kinds: set[str], first: int, last: int) -> list[int]:
    counted = Counter(f.date.year for f in facts if f.kind in kinds)
    return [counted[year] for year in range(first, last + 1)]


@pytest.mark.parametrize(
    ("category", "kinds"),
    [
        ("tests", {"missile_launch", "satellite_launch"}),
        ("sanctions", {"un_resolution", "unilateral"}),
        ("talks", {"agreement", "multilateral", "summit", "bilateral", "withdrawal"}),
    ],
)
async def test_bars_per_year_add_up_to_the_store(
    facts: list[Fact], fact_store: FactStore, category: str, kinds: set[str]
) -> None:
    counted = series.build_series(facts, (category,), 2000, 2025, *TODAY)
    assert not counted.by_month
    assert counted.panel(category).totals() == tuple(per_year(facts, kinds, 2000, 2025))
    # the store's own count of the same facts, by the query /stats checks the range with
    points = await fact_store.stat_points(None, 2000, 2025)
    assert counted.panel(category).total() == sum(1 for p in points if p.kind in kinds)


async def test_launch_days_stack_by_leading_class(facts: list[Fact]) -> None:
    counted = series.build_series(facts, ("tests",), 2017, 2017, *TODAY)
    panel = counted.panel("tests")
    launches_2017 = [f for f in facts if f.date.year == 2017 and f.kind == "missile_launch"]
    icbm_days = [f for f in launches_2017 if "ICBM" in f.figures["system_classes"]]
    assert panel.total("ICBM") == len(icbm_days) == 3  # 4 July, 28 July, 29 November 2017
    assert panel.total() == len(launches_2017)


async def test_sanctions_stack_by_issuer(facts: list[Fact]) -> None:
    counted = series.build_series(facts, ("sanctions",), 2016, 2017, *TODAY)
    panel = counted.panel("sanctions")
    in_range = [f for f in facts if 2016 <= f.date.year <= 2017]
    assert panel.total("UN") == sum(f.kind == "un_resolution" for f in in_range) >= 6  # 2270 ... 2397
    assert panel.total("US") == sum(f.kind == "unilateral" and f.figures["issuer"] == "us" for f in in_range)


async def test_a_one_year_range_is_counted_by_month(facts: list[Fact]) -> None:
    counted = series.build_series(facts, ("tests",), 2022, 2022, *TODAY)
    assert counted.by_month
    assert counted.bucket_count == 12
    expected = Counter(
        f.date.month
        for f in facts
        if f.date.year == 2022 and f.kind in ("missile_launch", "satellite_launch")
    )
    assert counted.panel("tests").totals() == tuple(expected[m] for m in range(1, 13))
    assert counted.bucket_label(10) == "Nov 2022"
    assert counted.partial is None  # 2022 is over


async def test_nuclear_tests_are_numbered_lines_at_their_years(facts: list[Fact]) -> None:
    counted = series.build_series(facts, series.CATEGORIES, None, None, *TODAY)
    lines = [(m.label, m.year) for m in counted.nuclear_tests]
    assert lines == [("#1", 2006), ("#2", 2009), ("#3", 2013), ("#4", 2016), ("#5", 2016), ("#6", 2017)]
    for marker in counted.nuclear_tests:  # drawn inside its year's bar
        assert int(marker.position) == marker.year - counted.first_year
    assert len(counted.resolutions) == sum(f.kind == "un_resolution" for f in facts)


async def test_the_running_year_and_month_are_partial(facts: list[Fact]) -> None:
    yearly = series.build_series(facts, ("tests",), 2020, 2026, *TODAY)
    assert yearly.partial == 6
    assert yearly.bucket_label(6) == "2026"
    monthly = series.build_series(facts, ("tests",), 2026, 2026, *TODAY)
    assert monthly.partial == 10  # November 2026
    assert series.build_series(facts, ("tests",), 2010, 2020, *TODAY).partial is None


async def test_alt_text_states_the_numbers(facts: list[Fact]) -> None:
    counted = series.build_series(facts, ("tests",), 2017, 2017, *TODAY)
    text = series.alt_text(counted)
    total = counted.panel("tests").total()
    assert f"tests: {total} launch days" in text
    assert "ICBM 3" in text
    assert "#6 in 2017" in text
    assert text.startswith("Bar chart per month, 2017")
