"""Facts in SQLite: the only code of the facts feature that holds SQL or imports aiosqlite."""

from bot.facts.store.facts import FactStore
from bot.facts.store.records import (
    FactDetail,
    FactFilter,
    FactPage,
    FactRef,
    ImportReport,
    SearchCandidate,
    SeedReport,
    StatPoint,
)

__all__ = [
    "FactDetail",
    "FactFilter",
    "FactPage",
    "FactRef",
    "FactStore",
    "ImportReport",
    "SearchCandidate",
    "SeedReport",
    "StatPoint",
]
