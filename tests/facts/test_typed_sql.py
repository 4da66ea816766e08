"""Typed answers selected, ordered and counted in SQL give the answers the old Python selection gave (kept as
tests/facts/typed_reference.py), on a store several times the record's size where every system, test and
talks round has many variants (so first / last / Nth, ties, narrowing and counts are not decided by one
fact), and the SQL pieces give what the facts say."""

from __future__ import annotations

import asyncio
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from bench.store_scale import build_synthetic_store
from bot.core.folding import tokens
from bot.db.database import Database
from bot.facts.model import answering, typed
from bot.facts.model.fact import Fact, parse_fact
from bot.facts.model.replies import Answer
from bot.facts.model.search import name_grams
from bot.facts.model.selection import LAUNCH_KINDS, TypedSelection
from bot.facts.model.typed import _IMPOSING, COUNTED_SHOWN
from bot.facts.service import FactService
from bot.facts.store import FactStore
from bot.moderation.store import Editor, FactEditStore
from tests.conftest import fact_record
from tests.facts.typed_reference import _imposes, next_to_before, response_before, typed_before

SYNTHETIC_FACTS = 1_500
TUNING_SET = Path(__file__).parents[1] / "data" / "search_questions.toml"
# Questions for every typed path: first / last / Nth, superlatives and their places, durations, counts and
# missile sums, classes, systems, flags, outcomes, participants, rounds, issuers, narrowing words, and
# what answered a test.
TYPED_QUESTIONS = [
    "first launch",
    "latest launch",
    "most recent missile launch in the record",
    "third launch of 2017",
    "first ICBM launch",
    "latest ICBM launch",
    "first satellite launch",
    "third attempt to put a satellite in orbit",
    "first Hwasong-15 launch",
    "latest Hwasong-14 test",
    "second Musudan test",
    "first solid-fuel ICBM Hwasong-18",
    "first launch over Japan",
    "how many times has a missile flown over japan",
    "how many failed launches",
    "first failed launch 2016",
    "how many launches in 2022",
    "how many missiles were fired in 2017",
    "how many missiles in 2022",
    "on how many days did NK test the Musudan",
    "largest number of missiles on one day",
    "biggest salvo of 2024",
    "highest-flying launch of the hwasong-15",
    "greatest distance of an ICBM launch",
    "highest apogee",
    "how many nuclear tests",
    "most powerful nuclear test",
    "second biggest nuclear test",
    "smallest nuclear test",
    "third nuclear test",
    "what was the yield of the 6th nuclear test?",
    "last nuclear test",
    "first round of the six-party talks",
    "fourth round of six party talks",
    "how many rounds of six party talks",
    "second summit between the leaders of the two koreas",
    "how many summits between Trump and Kim",
    "first summit",
    "longest summit",
    "longest talks",
    "how many UN resolutions",
    "first UN resolution",
    "latest resolution",
    "how many vetoed drafts",
    "how many distinct japanese sanctions packages",
    "first US sanctions",
    "latest EU sanctions",
    "Security Council resolution after the sixth nuclear test",
    "UN sanctions after the 2009 nuclear test",
    "Japan import ban after the 2006 nuclear test",
    "what did Japan do after the first nuclear test",
    "resolution after the first ICBM launch",
    "sanctions after the 2017 launches",
    "what did the US do after the Hwasong-15 launches",
    # What answered a test of another date: the date is the answer's.
    "what did the UN ban in August 2017 after the Hwasong-14 tests",
    # The one before or after a fact named.
    "the resolution after 2375",
    "the nuclear test right before the 2017 one",
    "the first launch after the Singapore summit",
    "the launch before the Hanoi summit",
    "sanctions after the sixth nuclear test",
    # A year without a test or launch: the nearest.
    "did North Korea test a nuke in 2018",
    "did north korea launch a missile in 1995",
    # Sanctions asked for are resolutions that impose some.
    "the first UN sanctions",
    "the latest sanctions",
    "how many UN sanctions resolutions",
    # Korean and Japanese subjects, and their rare character pairs.
    "첫 번째 핵실험",
    "다국적제재모니터링팀 첫 보고서",
    "最後の核実験",
]


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("typed-sql")
    return asyncio.run(build_synthetic_store(directory, SYNTHETIC_FACTS))


def _questions() -> list[str]:
    tuning = [item["question"] for item in tomllib.loads(TUNING_SET.read_text("utf-8"))["q"]]
    return TYPED_QUESTIONS + tuning


def _shown(answer: Answer) -> tuple:
    # A count's lead says what the selection was narrowed to (test_count_lead), which the Python reference
    # has no selection to say: counts compare by what they counted.
    lead = answer.noun if answer.kind == "count" else answer.lead
    return (answer.kind, answer.count, lead, answer.confidence, [f.id for f in answer.facts])


async def test_sql_answers_match_the_python_selection(
    synthetic_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Database.open(synthetic_store) as db:
        service = FactService(FactStore(db))
        now = {text: await service.answer(text) for text in _questions()}
        monkeypatch.setattr(answering, "response", response_before)
        monkeypatch.setattr(answering, "typed", typed_before)
        monkeypatch.setattr(typed, "_next_to", next_to_before)
        before = {text: await service.answer(text) for text in _questions()}
    typed_kinds = 0
    for text, answer in now.items():
        was = before[text]
        if was.kind == "count" and was.count is not None and len(was.facts) > COUNTED_SHOWN:
            # A count lists its newest COUNTED_SHOWN facts, in the order the full list had them.
            assert answer.count == was.count, text
            assert [f.id for f in answer.facts] == [f.id for f in was.facts[:COUNTED_SHOWN]], text
            typed_kinds += 1
            continue
        assert _shown(answer) == _shown(was), text
        typed_kinds += answer.kind == "count" or answer.confidence == 1.0
    assert typed_kinds >= len(TYPED_QUESTIONS) // 2  # most of them answered from the typed figures


async def test_counts_firsts_and_superlatives_come_from_the_figures(synthetic_store: Path) -> None:
    async with Database.open(synthetic_store) as db:
        store = FactStore(db)
        launches = sorted(
            (f for f in await store.all_facts() if f.kind in LAUNCH_KINDS), key=lambda f: (f.date.iso(), f.id)
        )
        everything = TypedSelection(LAUNCH_KINDS)
        assert await store.typed_count(everything) == len(launches)
        assert await store.typed_ids(everything, limit=1) == [launches[0].id]
        assert await store.typed_ids(everything, newest_first=True, limit=1) == [launches[-1].id]
        assert await store.typed_ids(everything, offset=4, limit=1) == [launches[4].id]
        missiles = sum(int(f.figures.get("missiles") or 0) for f in launches)
        assert await store.typed_missiles(everything) == missiles

        icbm = TypedSelection(LAUNCH_KINDS, launch_classes=frozenset({"ICBM"}))
        with_class = [f for f in launches if "ICBM" in (f.figures.get("system_classes") or ())]
        assert await store.typed_ids(icbm) == [f.id for f in with_class]
        over_japan = TypedSelection(LAUNCH_KINDS, flags=frozenset({"overflew_japan"}))
        flown = [f.id for f in launches if f.figures.get("overflew_japan") is True]
        assert flown
        assert await store.typed_ids(over_japan) == flown

        def apogee(fact):  # the highest first, the earliest of equals first
            return -float(fact.figures["apogee_km"]), fact.date.iso()

        valued = sorted(
            (f for f in launches if isinstance(f.figures.get("apogee_km"), int | float)), key=apogee
        )
        assert await store.typed_best(everything, "apogee_km", largest=True) == valued[0].id
        assert await store.typed_best(everything, "apogee_km", largest=True, place=3) == valued[2].id


async def test_narrowing_finds_a_word_in_names_text_or_figures(synthetic_store: Path) -> None:
    async with Database.open(synthetic_store) as db:
        store = FactStore(db)
        launches = TypedSelection(LAUNCH_KINDS)
        rowids = {
            row[1]: int(row[0])
            for row in await db.fetch_all("SELECT rowid, id FROM facts WHERE kind IN (?, ?)", LAUNCH_KINDS)
        }
        facts = [f for f in await store.all_facts() if f.kind in LAUNCH_KINDS]
        for word in ("musudan", "japan", "success", "icbm", "true", "화성"):
            expected = set()
            for fact in facts:
                figures = " ".join(str(v) for v in fact.figures.values())
                text = " ".join([fact.id, fact.title, fact.summary, *fact.aliases, *fact.tags, figures])
                if word in _words(text):
                    expected.add(rowids[fact.id])
            assert await store.typed_holding(launches, [word]) == expected, word


def _words(text: str) -> set[str]:
    return set(tokens(text))


async def test_the_classes_and_flags_index_follows_edits(fact_store: FactStore) -> None:
    def launch(fact_id: str, classes: list[str], **flags: bool) -> Fact:
        figures = {"systems": ["Hwasong-14"], "system_classes": classes, "missiles": 1, "outcome": "success"}
        figures |= flags
        return parse_fact(fact_record(fact_id, kind="missile_launch", date="2017-07-04", figures=figures))

    await fact_store.seed([launch("a", ["ICBM"], overflew_japan=True), launch("b", ["IRBM"])], "v1")
    icbm = TypedSelection(LAUNCH_KINDS, launch_classes=frozenset({"ICBM"}))
    over_japan = TypedSelection(LAUNCH_KINDS, flags=frozenset({"overflew_japan"}))
    assert await fact_store.typed_ids(icbm) == ["a"]
    assert await fact_store.typed_ids(over_japan) == ["a"]

    edits, editor = FactEditStore(fact_store.db), Editor(None, "test")
    fact = await fact_store.get_fact("b")
    assert fact is not None
    moved = replace(fact, figures={**fact.figures, "system_classes": ["ICBM"], "overflew_japan": True})
    await edits.edit_fact(moved, base_revision=fact.revision, editor=editor)
    assert await fact_store.typed_ids(icbm) == ["a", "b"]
    assert await fact_store.typed_ids(over_japan) == ["a", "b"]
    await edits.retire_fact("a", editor=editor, reason="test")
    assert await fact_store.typed_ids(icbm) == ["b"]
    assert await fact_store.typed_count(over_japan) == 1


async def test_dates_links_and_measures_select_what_the_facts_say(synthetic_store: Path) -> None:
    async with Database.open(synthetic_store) as db:
        store = FactStore(db)
        facts = await store.all_facts()
        ordered = sorted(facts, key=lambda f: (f.date.iso(), f.id))
        resolutions = TypedSelection(("un_resolution",))
        listed = [f for f in ordered if f.kind == "un_resolution"]
        # Dated strictly before / after an ISO date, whatever its precision.
        for when in ("2017", "2017-09", "2016-12-31", listed[len(listed) // 2].date.iso()):
            before = await store.typed_ids(replace(resolutions, earlier_than=when))
            after = await store.typed_ids(replace(resolutions, later_than=when))
            assert before == [f.id for f in listed if f.date.iso() < when], when
            assert after == [f.id for f in listed if f.date.iso() > when], when
        # Resolutions that impose sanctions: one of their measures holds a word of a ban, a cap...
        imposing = await store.typed_ids(replace(resolutions, imposing=_IMPOSING))
        assert imposing == [f.id for f in listed if _imposes(f)]
        assert 0 < len(imposing) < len(listed)
        # What answered a test, and every fact but one.
        named = {test for f in listed for test in f.responds_to}
        answered = next(f for f in ordered if f.kind == "nuclear_test" and f.id in named)
        responding = await store.typed_ids(replace(resolutions, responding_to=answered.id))
        assert responding == [f.id for f in listed if answered.id in f.responds_to]
        assert responding
        others = await store.typed_ids(replace(resolutions, other_than=listed[0].id))
        assert others == [f.id for f in listed[1:]]


async def test_naming_finds_a_character_pair_in_names(synthetic_store: Path) -> None:
    async with Database.open(synthetic_store) as db:
        store = FactStore(db)
        rowids = {row[1]: int(row[0]) for row in await db.fetch_all("SELECT rowid, id FROM facts")}
        everything = TypedSelection(
            ("nuclear_test", "un_resolution", *LAUNCH_KINDS, "summit", "multilateral")
        )
        facts = [f for f in await store.all_facts() if f.kind in everything.kinds]
        for gram in ("핵실", "실험", "核実", "決議", "화성", "ガ\u3099"):
            expected = {rowids[f.id] for f in facts if gram in name_grams(f)}
            assert await store.typed_naming(everything, gram) == expected, gram
        assert await store.typed_naming(everything, "핵실")


async def test_a_measure_s_words_are_split_at_any_white_space(fact_store: FactStore) -> None:
    def resolution(fact_id: str, measure: str) -> Fact:
        figures = {
            "resolution_number": 9000 + len(fact_id),
            "votes_for": 15,
            "votes_against": 0,
            "abstentions": 0,
            "measures": [measure],
        }
        return parse_fact(fact_record(fact_id, kind="un_resolution", date="2017-08-05", figures=figures))

    written = {
        "a": "asset\u00a0freeze on listed entities",  # no-break space (a non-ASCII character in the JSON)
        "b": "calls on states to\tban coal",  # a tab (escaped in the JSON)
        "c": "a cap\u3000on refined petroleum",  # an ideographic space
        "d": "calls on banks to report",  # 'banks' is not 'ban'
        "e": "Ban\non luxury goods",  # upper case, a newline
        "f": "a ban on coal",
    }
    facts = [resolution(fact_id, measure) for fact_id, measure in written.items()]
    await fact_store.seed(facts, "v1")
    imposing = await fact_store.typed_ids(TypedSelection(("un_resolution",), imposing=_IMPOSING))
    assert imposing == [f.id for f in facts if _imposes(f)] == ["a", "b", "c", "e", "f"]
