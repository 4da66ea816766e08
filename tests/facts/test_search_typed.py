"""Typed answers (counts and superlatives over typed figures) and the refusal gate (a question must name
something the record holds)."""

from __future__ import annotations

import pytest

from bot.facts.model.topics import RecordTopics
from bot.facts.service import FactService


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("largest number of missiles on one day", "launch-2024-05-30"),
        ("second biggest nuclear test", "nuclear-test-5"),
        ("biggest salvo of 2024", "launch-2024-05-30"),
        ("second summit between the leaders of the two koreas", "inter-korean-summit-2007"),
        ("what was the yield of the 6th nuclear test?", "nuclear-test-6"),
        ("highest-flying launch of the hwasong-15", "launch-2022-03-24"),
        ("greatest distance of an ICBM launch", "launch-2022-03-24"),
        ("latest launch", "launch-2026-04-19"),
        ("most recent launch", "launch-2026-04-19"),
        ("most recent missile launch in the record", "launch-2026-04-19"),
        ("third attempt to put a satellite in orbit", "launch-2012-04-13"),
    ],
)
async def test_typed_figures_pick_the_fact(seeded_service: FactService, question: str, fact: str) -> None:
    answer = await seeded_service.answer(question)
    assert answer.kind == "fact"
    assert answer.best is not None
    assert answer.best.id == fact, [f.id for f in answer.facts[:3]]


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("how many times has a missile flown over japan", 9),
        ("on how many days did NK test the Musudan", 6),
        # 14 since the rounds of November and December 2017 and March 2023 joined the record
        ("how many distinct japanese sanctions packages", 14),
    ],
)
async def test_typed_figures_filter_counts(seeded_service: FactService, question: str, count: int) -> None:
    answer = await seeded_service.answer(question)
    assert answer.kind == "count"
    assert answer.count == count
    if "flown over" in question:
        assert all(f.figures.get("overflew_japan") is True for f in answer.facts)


async def test_meetings_naming_states_are_north_korea_s(seeded_service: FactService) -> None:
    # The record holds summits about North Korea without it (Lee and Xi, 2025 and 2026): a question naming
    # South Korea asks about inter-Korean summits, and counts only those North Korea took part in.
    about_it = [
        f for f in await seeded_service.search("Lee Xi summit", limit=5) if f.fact.id.startswith("lee-xi-")
    ]
    assert about_it, "the South Korea-China summits this test guards against are gone from the record"
    answer = await seeded_service.answer("How many inter-Korean summits have there been?")
    assert answer.kind == "count"
    assert all("DPRK" in f.figures["participants"] for f in answer.facts)
    assert answer.count == 5


@pytest.mark.parametrize(
    "question",
    [
        "i love you bot",
        "whats up",
        "are you a real person",
        "thanks!",
        "good morning",
        "When did World War II end?",
        "when did china test its first atomic bomb",
        "how big is china's arsenal",
        "india's nuclear arsenal",
    ],
)
async def test_questions_naming_nothing_of_the_record_are_refused(
    seeded_service: FactService, question: str
) -> None:
    answer = await seeded_service.answer(question)
    assert answer.refused, answer.best and answer.best.id
    assert answer.facts == ()


def test_the_record_names_come_from_titles_and_aliases(dataset) -> None:
    topics = RecordTopics.build(dataset.facts)
    assert {"hanoi", "kedo", "kaesong", "singapore"} <= topics.names
    assert not {"up", "real", "good", "world", "war", "first"} & topics.names
    assert {2397, 1718} <= topics.numbers
    assert {"US", "China", "South Korea"} <= topics.states


async def test_the_record_names_are_built_once_per_facts_version(
    seeded_service: FactService, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seeded_service.answer("sixth nuclear test")
    calls = []
    original = RecordTopics.build.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        RecordTopics, "build", classmethod(lambda cls, facts: calls.append(1) or original(cls, facts))
    )
    await seeded_service.answer("first icbm launch")
    await seeded_service.answer("resolution 2397")
    assert calls == []
