"""The store layer: the only code that holds SQL or imports aiosqlite."""

from bot.store.database import Database, StoreBusy, StoreError, latest_version
from bot.store.fact_store import (
    FactDetail,
    FactFilter,
    FactPage,
    FactRef,
    FactStore,
    ImportReport,
    SearchCandidate,
    SeedReport,
    StatPoint,
)

__all__ = [
    "Database",
    "FactDetail",
    "FactFilter",
    "FactPage",
    "FactRef",
    "FactStore",
    "ImportReport",
    "SearchCandidate",
    "SeedReport",
    "StatPoint",
    "StoreBusy",
    "StoreError",
    "latest_version",
]
