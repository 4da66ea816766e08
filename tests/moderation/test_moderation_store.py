"""Settings, drafts and suggestions in the store."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.errors import Conflict, NotFound
from bot.db.database import Database
from bot.facts.model.fact import parse_fact
from bot.facts.store import FactStore
from bot.moderation.model.drafts import Draft
from bot.moderation.store import MAX_OPEN_SUGGESTIONS_PER_MEMBER, ModerationStore
from tests.conftest import fact_record


@pytest.fixture
async def moderation(database: Database, fact_store: FactStore) -> ModerationStore:
    await fact_store.seed([parse_fact(fact_record("summit-x"))], "v1")
    return ModerationStore(database)


async def test_settings_default_to_none_and_are_kept_per_server(moderation: ModerationStore) -> None:
    assert (await moderation.guild_settings(1)).moderator_role_id is None
    await moderation.set_moderator_role(1, 111)
    await moderation.set_audit_channel(1, 222)
    await moderation.set_moderator_role(2, 333)
    first = await moderation.guild_settings(1)
    assert (first.moderator_role_id, first.audit_channel_id) == (111, 222)
    assert (await moderation.guild_settings(2)).audit_channel_id is None


async def test_drafts_belong_to_their_author(moderation: ModerationStore) -> None:
    draft = Draft(kind="summit", title="Typed")
    draft_id = await moderation.save_draft(guild_id=1, user_id=7, draft=draft, base_revision=None)
    stored = await moderation.get_draft(draft_id, 7)
    assert stored.draft == draft
    assert stored.action == "add"
    with pytest.raises(NotFound):
        await moderation.get_draft(draft_id, 8)
    same = await moderation.save_draft(
        guild_id=1, user_id=7, draft=draft.with_text(title="Retyped"), base_revision=None, draft_id=draft_id
    )
    assert same == draft_id
    assert (await moderation.get_draft(draft_id, 7)).draft.title == "Retyped"
    await moderation.delete_draft(draft_id)
    with pytest.raises(NotFound):
        await moderation.get_draft(draft_id, 7)


async def test_a_suggestion_is_handled_once(moderation: ModerationStore) -> None:
    suggestion = await moderation.add_suggestion(
        fact_id="summit-x", guild_id=1, user_id=5, user_name="m", text="The date is wrong."
    )
    results = await asyncio.gather(
        moderation.close_suggestion(suggestion.id, status="accepted", handled_by=1),
        moderation.close_suggestion(suggestion.id, status="dismissed", handled_by=2),
        return_exceptions=True,
    )
    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert (await moderation.open_suggestions())[1] == 0


async def test_members_cannot_flood_the_queue(moderation: ModerationStore) -> None:
    for i in range(MAX_OPEN_SUGGESTIONS_PER_MEMBER):
        await moderation.add_suggestion(
            fact_id="summit-x", guild_id=1, user_id=5, user_name="m", text=f"Fix {i}"
        )
    with pytest.raises(Conflict, match="waiting"):
        await moderation.add_suggestion(fact_id="summit-x", guild_id=1, user_id=5, user_name="m", text="more")


async def test_a_pending_import_is_taken_once_by_its_uploader(moderation: ModerationStore) -> None:
    import_id = await moderation.save_pending_import(
        guild_id=1, user_id=5, filename="f.json", file_format="json", data=b"[]"
    )
    with pytest.raises(NotFound):
        await moderation.take_pending_import(import_id, 6)
    taken = await moderation.take_pending_import(import_id, 5)
    assert taken.data == b"[]"
    with pytest.raises(NotFound):
        await moderation.take_pending_import(import_id, 5)
