"""Moderator forms: typed text to a fact and back, every problem named, and readable diffs."""

from __future__ import annotations

import pytest

from bot.facts.model.fact import InvalidFact, parse_fact
from bot.moderation.model.drafts import Draft, draft_from_fact, draft_to_fact, figures_template, parse_sources
from bot.moderation.model.revisions import describe_changes
from tests.conftest import fact_record

LAUNCH = Draft(
    kind="missile_launch",
    fact_id="launch-2030-01-02",
    title="Test launch",
    dates="2030-01-02",
    summary="A launch.",
    body="Body.",
    figures="systems: Hwasong-20, KN-99\nsystem_classes: ICBM\nmissiles: 1\noutcome: success\napogee_km: 6,000\n"
    "overflew_japan: no",
    sources="https://example.org/a | Example Agency | A title",
    aliases="HS-20\nHwasong 20",
)


def test_a_complete_draft_becomes_a_typed_fact() -> None:
    fact = draft_to_fact(LAUNCH)
    assert fact.figures == {
        "systems": ["Hwasong-20", "KN-99"],
        "system_classes": ["ICBM"],
        "missiles": 1,
        "outcome": "success",
        "apogee_km": 6000,
        "overflew_japan": False,
    }
    assert fact.sources[0].publisher == "Example Agency"
    assert fact.aliases == ("HS-20", "Hwasong 20")


def test_every_problem_in_a_draft_is_named() -> None:
    bad = LAUNCH.with_text(
        dates="2017-02-30", figures="missiles: many\nnonsense line", sources="not a url | P"
    )
    with pytest.raises(InvalidFact) as caught:
        draft_to_fact(bad)
    problems = "\n".join(caught.value.problems)
    assert "February 2017 has 28 days" in problems
    assert "figures line 2" in problems
    assert "'missiles' must be integer" in problems
    assert "not a well-formed http(s) URL" in problems
    assert "'systems' is required" in problems


def test_a_date_range_is_typed_with_to() -> None:
    fact = draft_to_fact(LAUNCH.with_text(dates="2030-01-02 to 2030-01-03"))
    assert fact.end_date is not None
    assert fact.end_date.iso() == "2030-01-03"


def test_a_fact_round_trips_through_its_draft() -> None:
    fact = parse_fact(
        fact_record(
            "round-trip",
            date="2018-06-12",
            end_date="2018-06-13",
            aliases=["A", "B"],
            tags=["t"],
            note="n",
            figures={"participants": ["US", "DPRK"], "venue": "Sentosa"},
        )
    )
    assert draft_to_fact(draft_from_fact(fact)).content() == fact.content()


def test_the_figures_template_lists_required_names_first() -> None:
    lines = figures_template("missile_launch").splitlines()
    assert lines[:4] == ["systems: ", "system_classes: ", "missiles: ", "outcome: "]


def test_diffs_read_like_a_changelog() -> None:
    old = parse_fact(fact_record("d", summary="Old.", aliases=["A"])).content()
    new = parse_fact(
        fact_record("d", summary="New.", aliases=["B"], figures={"participants": ["US"], "venue": "Hanoi"})
    ).content()
    lines = describe_changes(old, new)
    assert "~ summary: Old. → New." in lines
    assert "- aliases: A" in lines
    assert "+ aliases: B" in lines
    assert "~ participants: ['US', 'DPRK'] → ['US']" in lines
    assert "~ venue: — → Hanoi" in lines
    assert describe_changes(None, new)[0].startswith("+ created `d`")


def test_every_dataset_fact_survives_an_unchanged_edit(dataset) -> None:  # type: ignore[no-untyped-def]
    """Opening the forms and saving without touching anything changes nothing, for every fact: source
    dates, aliases with commas ("29 May, 1993"), list figures whose items hold commas, notes, tags and
    links all come back exactly."""
    changed = []
    for fact in dataset.facts:
        back = draft_to_fact(draft_from_fact(fact))
        if back.content() != fact.content():
            differing = [k for k, v in fact.content().items() if back.content().get(k) != v]
            changed.append(f"{fact.id}: {differing}")
    assert not changed, changed


def test_a_source_date_and_a_title_with_a_bar_round_trip() -> None:
    sources, problems = parse_sources(
        "https://a.example/1 | Publisher | A | B title | 2019-06-30\nhttps://b.example/2 | Other |  | 2019\n"
        "https://c.example/3 | Third | Title only"
    )
    assert not problems
    assert sources == [
        {
            "url": "https://a.example/1",
            "publisher": "Publisher",
            "title": "A | B title",
            "date": "2019-06-30",
        },
        {"url": "https://b.example/2", "publisher": "Other", "date": "2019"},
        {"url": "https://c.example/3", "publisher": "Third", "title": "Title only"},
    ]
