"""Moderator changes in the store: revisions in the same transaction, no lost updates, exact reverts."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.errors import Conflict, NotFound
from bot.db.database import Database
from bot.facts.model.fact import parse_fact
from bot.facts.store import FactStore
from bot.moderation.store import Editor, FactEditStore, StaleRevision
from tests.conftest import fact_record

MOD = Editor(42, "mod")


@pytest.fixture
async def edits(database: Database, fact_store: FactStore) -> FactEditStore:
    await fact_store.seed([parse_fact(fact_record("summit-x", summary="Original summary."))], "v1")
    return FactEditStore(database)


async def test_an_edit_writes_a_revision_and_survives_a_reseed(
    edits: FactEditStore, fact_store: FactStore
) -> None:
    change = await edits.edit_fact(
        parse_fact(fact_record("summit-x", summary="Corrected.")), base_revision=1, editor=MOD, reason="typo"
    )
    assert change.fact.revision == 2
    assert change.previous is not None
    assert change.previous.snapshot["summary"] == "Original summary."
    stored = await fact_store.get_fact("summit-x")
    assert stored is not None
    assert stored.summary == "Corrected."
    history = await edits.revisions("summit-x")
    assert [(r.revision, r.action, r.editor_name, r.reason) for r in history] == [
        (2, "edit", "mod", "typo"),
        (1, "seed", "dataset", "dataset v1"),
    ]
    report = await fact_store.seed([parse_fact(fact_record("summit-x", summary="Dataset v2."))], "v2")
    assert report.kept_edits == ("summit-x",)
    stored = await fact_store.get_fact("summit-x")
    assert stored is not None
    assert stored.summary == "Corrected."


async def test_an_edit_from_an_older_revision_is_refused_with_the_current_value(edits: FactEditStore) -> None:
    await edits.edit_fact(parse_fact(fact_record("summit-x", summary="First.")), base_revision=1, editor=MOD)
    with pytest.raises(StaleRevision) as caught:
        await edits.edit_fact(
            parse_fact(fact_record("summit-x", summary="Second.")), base_revision=1, editor=MOD
        )
    assert caught.value.current.summary == "First."
    assert caught.value.current.revision == 2


async def test_concurrent_edits_from_the_same_revision_one_wins(
    edits: FactEditStore, fact_store: FactStore
) -> None:
    attempts = [
        edits.edit_fact(
            parse_fact(fact_record("summit-x", summary=f"Edit {i}.")), base_revision=1, editor=MOD
        )
        for i in range(10)
    ]
    results = await asyncio.gather(*attempts, return_exceptions=True)
    winners = [r for r in results if not isinstance(r, BaseException)]
    assert len(winners) == 1
    assert all(isinstance(r, StaleRevision) for r in results if isinstance(r, BaseException))
    assert len(await edits.revisions("summit-x")) == 2


async def test_retire_hides_and_restore_brings_back(edits: FactEditStore, fact_store: FactStore) -> None:
    await edits.retire_fact("summit-x", editor=MOD, reason="duplicate")
    assert await fact_store.get_fact("summit-x") is None
    retired = await fact_store.get_fact("summit-x", include_retired=True)
    assert retired is not None
    assert retired.retired_reason == "duplicate"
    with pytest.raises(Conflict, match="already retired"):
        await edits.retire_fact("summit-x", editor=MOD, reason="again")
    await edits.restore_fact("summit-x", editor=MOD)
    assert await fact_store.get_fact("summit-x") is not None
    assert [r.action for r in await edits.revisions("summit-x")] == ["restore", "retire", "seed"]


async def test_revert_restores_a_revision_exactly_as_a_new_revision(
    edits: FactEditStore, fact_store: FactStore
) -> None:
    original = await fact_store.get_fact("summit-x")
    assert original is not None
    await edits.edit_fact(
        parse_fact(fact_record("summit-x", summary="Changed.", tags=["new"], related=[])),
        base_revision=1,
        editor=MOD,
    )
    await edits.retire_fact("summit-x", editor=MOD, reason="wrong")
    change = await edits.revert_fact("summit-x", 1, editor=MOD)
    assert change.fact.revision == 4
    restored = await fact_store.get_fact("summit-x")
    assert restored is not None
    assert restored.content() == original.content()
    history = await edits.revisions("summit-x")
    assert history[0].action == "revert"
    assert history[0].snapshot == {**history[-1].snapshot}
    with pytest.raises(NotFound, match="no revision 9"):
        await edits.revert_fact("summit-x", 9, editor=MOD)


async def test_add_refuses_an_existing_id(edits: FactEditStore, fact_store: FactStore) -> None:
    with pytest.raises(Conflict, match="already exists"):
        await edits.add_fact(parse_fact(fact_record("summit-x")), MOD)
    change = await edits.add_fact(parse_fact(fact_record("summit-y")), MOD, "new")
    assert change.fact.revision == 1
    stored = await fact_store.get_fact("summit-y")
    assert stored is not None
    assert stored.origin == "moderator"
