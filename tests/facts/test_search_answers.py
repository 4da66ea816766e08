"""Remembered /search answers: the same question is answered from memory until anything is written,
by this process at once or by another process within a second."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from bot.app.settings import Settings, SettingsError
from bot.db import database as database_module
from bot.db.database import Database
from bot.facts.answers import SearchAnswers
from bot.facts.model.fact import Category, parse_fact
from bot.facts.model.search import QueryError
from bot.facts.service import FactService
from bot.facts.store import FactStore
from bot.moderation.store import Editor, FactEditStore
from tests.conftest import fact_record

MOD = Editor(42, "mod")
QUESTION = "when was the sixth nuclear test?"


@pytest.fixture
def answers(database: Database, seeded_service: FactService) -> SearchAnswers:
    return SearchAnswers(database, seeded_service.facts, seeded_service, size=3)


async def test_the_same_question_is_answered_from_memory(answers: SearchAnswers) -> None:
    first = await answers.answer(QUESTION, None)
    assert first is not None
    assert first.best_id == "nuclear-test-6"
    assert (first.embeds[0].title or "").startswith("Sixth nuclear test")
    assert first.kind == "fact"
    assert len(first.embeds) == 1
    assert first.others  # the other matches, offered in a menu
    # Spacing and capitals do not make a new question; a category does.
    assert await answers.answer("  When was the SIXTH nuclear   test? ", None) is first
    in_tests = await answers.answer(QUESTION, Category.TESTS)
    assert in_tests is not first
    assert in_tests is not None
    assert in_tests.best_id == "nuclear-test-6"


async def test_an_edit_in_this_process_shows_in_the_next_answer(
    database: Database, fact_store: FactStore, answers: SearchAnswers
) -> None:
    before = await answers.answer(QUESTION, None)
    assert before is not None
    fact = await fact_store.get_fact("nuclear-test-6")
    assert fact is not None
    edited = replace(fact, summary="A corrected summary of the sixth test.")
    await FactEditStore(database).edit_fact(edited, base_revision=fact.revision, editor=MOD, reason="fix")
    after = await answers.answer(QUESTION, None)
    assert after is not None
    assert after is not before
    assert "A corrected summary of the sixth test." in (after.embeds[0].description or "")


async def test_writes_that_change_no_fact_keep_the_answers(
    database: Database, answers: SearchAnswers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "OTHER_WRITERS_CHECK_SECONDS", 0.0)  # look every time
    first = await answers.answer(QUESTION, None)
    await database.set_meta("unrelated", "a write, but not to a fact")
    async with database.transaction() as tx:
        await tx.execute("INSERT INTO guild_settings (guild_id, updated_at) VALUES (1, 'now')")
    assert await answers.answer(QUESTION, None) is first


async def test_another_process_writing_is_noticed(
    database: Database, answers: SearchAnswers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "OTHER_WRITERS_CHECK_SECONDS", 0.0)
    before = await answers.answer(QUESTION, None)
    assert before is not None
    # Another connection to the same file is, to SQLite, another process.
    async with Database.open(database.path) as other:
        await FactEditStore(other).retire_fact("nuclear-test-6", editor=MOD, reason="test")
    after = await answers.answer(QUESTION, None)
    assert after is not None
    assert after.best_id != "nuclear-test-6"


async def test_only_the_most_recent_questions_are_kept(answers: SearchAnswers) -> None:
    questions = ["hwasong-15", "resolution 2397", "agreed framework", "first ICBM test"]
    first = await answers.answer(questions[0], None)
    for question in questions[1:]:
        await answers.answer(question, None)
    assert len(answers) == 3
    assert await answers.answer(questions[0], None) is not first  # dropped as the least recent


async def test_a_size_of_zero_remembers_nothing(database: Database, seeded_service: FactService) -> None:
    answers = SearchAnswers(database, seeded_service.facts, seeded_service, size=0)
    first = await answers.answer(QUESTION, None)
    assert first is not None
    assert await answers.answer(QUESTION, None) is not first
    assert len(answers) == 0
    assert (await answers.answer("zzzzqqq", None)).kind == "refused"


@pytest.mark.parametrize("value", ["-1", "lots", "1.5", "2000000"])
def test_a_bad_cache_size_is_a_clear_error(value: str) -> None:
    with pytest.raises(SettingsError, match="SEARCH_CACHE_SIZE must be a whole number"):
        Settings.from_environment({"SEARCH_CACHE_SIZE": value}, env_file=None)
    assert Settings.from_environment({"SEARCH_CACHE_SIZE": "0"}, env_file=None).search_cache_size == 0


async def test_members_asking_at_once_share_one_drawing(
    answers: SearchAnswers, monkeypatch: pytest.MonkeyPatch
) -> None:
    searches = 0
    real_search = answers.service.answer

    async def counted_search(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal searches
        searches += 1
        return await real_search(*args, **kwargs)

    monkeypatch.setattr(answers.service, "answer", counted_search)
    burst = await asyncio.gather(*(answers.answer(QUESTION, None) for _ in range(50)))
    assert searches == 1
    assert all(answer is burst[0] for answer in burst)
    assert burst[0] is not None


async def test_a_failed_answer_is_not_remembered(answers: SearchAnswers) -> None:
    for _ in range(2):
        with pytest.raises(QueryError):
            await answers.answer("x" * 400, None)
    assert len(answers) == 0


async def test_an_answer_fits_discords_limit_for_all_its_embeds(
    database: Database, fact_store: FactStore
) -> None:
    # Six long facts that all match: the card and the menu of the others stay within Discord's limits.
    records = [
        fact_record(
            f"zebra-{n}",
            title=f"Zebra crossing talks round {n} " + "with a very long title " * 7,
            summary="Zebra " + "summary words that go on " * 11,
            body="Zebra " + "a long body of text " * 140,
            sources=[{"url": f"https://example.org/{n}/{i}", "publisher": "Example " * 20} for i in range(6)],
        )
        for n in range(6)
    ]
    await fact_store.seed([parse_fact(r) for r in records], "v1")
    answers = SearchAnswers(database, fact_store, FactService(fact_store))
    answer = await answers.answer("zebra crossing talks", None)
    assert answer.kind == "fact"
    assert len(answer.others) == 5
    assert sum(len(embed) for embed in answer.embeds) <= 6000
    assert all(len(option.label) <= 100 and len(option.description or "") <= 100 for option in answer.others)
