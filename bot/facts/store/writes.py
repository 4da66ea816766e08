"""Writing facts in bulk: seeding from the dataset and imports, each all in one transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace

from bot.db.database import Database
from bot.facts.model.fact import Fact, FactDate
from bot.facts.store.records import ImportReport, SeedReport
from bot.facts.store.rows import content_json, existing_state, insert_fact, update_fact, write_revision

SEED_EDITOR = "dataset"


class FactWrites:
    """Seeds and imports (a moderator's single edits are the moderation store's)."""

    db: Database

    async def seed(
        self, facts: Sequence[Fact], version: str, complete_to: Mapping[str, str] | None = None
    ) -> SeedReport:
        """Load dataset facts: add new ones, update unedited ones that changed, keep moderator edits;
        remember the dataset's version and how far each category is complete."""
        complete_to = complete_to or {}
        added = updated = unchanged = 0
        kept: list[str] = []
        async with self.db.transaction(changes_facts=True) as tx:
            existing = await existing_state(tx)
            for fact in facts:
                state = existing.get(fact.id)
                if state is None:
                    await insert_fact(tx, fact, origin="dataset")
                    await write_revision(
                        tx, fact.id, 1, "seed", fact, None, SEED_EDITOR, f"dataset {version}"
                    )
                    added += 1
                elif state.edited or state.origin != "dataset":
                    kept.append(fact.id)
                elif state.content != content_json(fact):
                    revision = state.revision + 1
                    await update_fact(tx, fact, revision=revision, edited=False)
                    await write_revision(
                        tx, fact.id, revision, "seed", fact, None, SEED_EDITOR, f"dataset {version}"
                    )
                    updated += 1
                else:
                    unchanged += 1
            for key, value in (("dataset_version", version), ("complete_to", json.dumps(dict(complete_to)))):
                await tx.execute(
                    "INSERT INTO store_meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
        return SeedReport(added, updated, unchanged, tuple(kept), version)

    async def import_facts(
        self, facts: Sequence[Fact], *, editor_id: int | None, editor_name: str, dry_run: bool
    ) -> ImportReport:
        """Add or replace facts all or nothing; a changed fact gets a revision and counts as edited.

        The caller has validated each record; links must resolve against the store plus the import.
        """
        added, changed, unchanged = [], [], []
        async with self.db.transaction(changes_facts=True) as tx:
            existing = await existing_state(tx)
            for fact in facts:
                state = existing.get(fact.id)
                if state is not None and fact.checked is None:
                    # A file without `checked` (written before the field existed) keeps the current one.
                    prior = json.loads(state.content).get("checked")
                    fact = replace(fact, checked=FactDate.parse(prior) if prior else None)
                if state is None:
                    added.append(fact.id)
                    if not dry_run:
                        await insert_fact(tx, fact, origin="import", edited=True)
                        await write_revision(tx, fact.id, 1, "import", fact, editor_id, editor_name, "import")
                elif state.content == content_json(fact):
                    unchanged.append(fact.id)
                else:
                    changed.append(fact.id)
                    if not dry_run:
                        await update_fact(tx, fact, revision=state.revision + 1, edited=True)
                        await write_revision(
                            tx, fact.id, state.revision + 1, "import", fact, editor_id, editor_name, "import"
                        )
        return ImportReport(tuple(added), tuple(changed), tuple(unchanged), (), applied=not dry_run)
