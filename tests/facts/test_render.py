"""Fact cards always fit Discord's limits and never carry live markdown or mentions."""

from __future__ import annotations

import discord

from bot.facts import render
from bot.facts.model.fact import parse_fact
from bot.facts.store import FactDetail, FactRef
from tests.conftest import fact_record


def long_fact():
    return parse_fact(
        fact_record(
            "long-fact",
            kind="un_resolution",
            title="T" * 200,
            summary="@everyone look " + "s" * 280,
            body="**bold** _it_ <@&123456789012345678> @here " + ("word " * 590),
            note="n" * 999,
            figures={
                "resolution_number": 1,
                "votes_for": 15,
                "votes_against": 0,
                "abstentions": 0,
                "measures": [("measure " * 30).strip() for _ in range(40)],
            },
            sources=[
                {"url": f"https://example.org/{i}", "publisher": "P" * 300, "title": "t" * 300}
                for i in range(40)
            ],
        )
    )


def test_a_huge_fact_is_clipped_to_fit_every_limit() -> None:
    fact = long_fact()
    refs = tuple(FactRef(f"ref-{i}", "R" * 200, "summit", fact.date) for i in range(60))
    embed = render.fact_card(FactDetail(fact, refs, refs, refs))
    assert render.embed_size(embed) <= render.EMBED_TOTAL_LIMIT
    assert len(embed.title or "") <= render.TITLE_LIMIT
    assert len(embed.description or "") <= render.DESCRIPTION_LIMIT
    assert len(embed.fields) <= render.FIELD_COUNT_LIMIT
    for field in embed.fields:
        assert 0 < len(field.value or "") <= render.FIELD_VALUE_LIMIT
        assert len(field.name or "") <= render.FIELD_NAME_LIMIT
    assert embed.fields[0].name == "Date"


def test_markdown_and_mentions_in_fact_text_are_shown_literally() -> None:
    embed = render.fact_card(long_fact())
    description = embed.description or ""
    assert "@everyone" not in description
    assert "@here" not in description
    assert "\\*\\*bold\\*\\*" in description
    assert "<@&123456789012345678>" not in description


def test_dates_honour_precision_on_the_card() -> None:
    month = parse_fact(fact_record("m", date="2017-09"))
    assert render.fact_card(month).fields[0].value == "September 2017"
    ranged = parse_fact(fact_record("r", date="2005-07-26", end_date="2005-09-19"))
    assert render.fact_card(ranged).fields[0].value == "26 July – 19 September 2005"


def test_clip_marks_the_cut() -> None:
    assert render.clip("short", 10) == "short"
    clipped = render.clip("a" * 50, 10)
    assert len(clipped) == 10
    assert clipped.endswith("…")


def test_fit_trims_an_embed_over_6000_characters() -> None:
    embed = discord.Embed(title="t", description="d" * 4000)
    for _ in range(10):
        embed.add_field(name="n", value="v" * 1000)
    render.fit(embed)
    assert render.embed_size(embed) <= 6000


def test_a_bearing_is_shown_in_degrees() -> None:
    assert render.figure_value("bearing_deg", 76) == "76°"
    assert render.figure_value("resolution_number", 2397) == "2397"  # never "2,397"
