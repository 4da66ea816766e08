"""Shared fixtures: temporary fact stores on real SQLite files, and the Discord emulator plugin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.dataset import load_dataset
from bot.service import FactService
from bot.settings import DEFAULT_DATASET_DIR
from bot.store import Database, FactStore

pytest_plugins = ["tests.emulator.plugin"]


def fact_record(fact_id: str = "test-fact", **overrides: Any) -> dict[str, Any]:
    """A valid dataset record; override any field."""
    record: dict[str, Any] = {
        "id": fact_id,
        "kind": "summit",
        "title": f"Title of {fact_id}",
        "date": "2018-06-12",
        "summary": "A one-line summary.",
        "body": "A longer body.",
        "aliases": [],
        "tags": [],
        "figures": {"participants": ["US", "DPRK"]},
        "sources": [{"url": "https://example.org/source", "publisher": "Example Publisher"}],
    }
    record.update(overrides)
    return record


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database.open(tmp_path / "facts.db") as db:
        yield db


@pytest.fixture
def fact_store(database: Database) -> FactStore:
    return FactStore(database)


@pytest.fixture(scope="session")
def dataset():
    return load_dataset(DEFAULT_DATASET_DIR)


@pytest.fixture
async def seeded_service(fact_store: FactStore, dataset) -> FactService:
    await fact_store.seed(dataset.facts, dataset.version)
    return FactService(fact_store)
