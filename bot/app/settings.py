"""Settings read once at startup from the environment and an optional `.env` file."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from bot.core.shards import EVERY_SHARD, MAX_SHARD_COUNT, ShardPlan, parse_shard_ids
from bot.dataset.loader import DEFAULT_DATASET_DIR
from bot.watchers.model import Feed, WatchFileError, load_watch_file

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_PATH = PROJECT_ROOT / "data" / "dprk-watch.db"
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class SettingsError(ValueError):
    """A setting has a value the bot cannot use; the message names it and says why."""


@dataclass(frozen=True)
class Settings:
    """Typed settings. `discord_token` is a secret: it is kept out of `repr` and logs."""

    discord_token: str | None = field(default=None, repr=False)
    database_path: Path = DEFAULT_DATABASE_PATH
    dataset_dir: Path = DEFAULT_DATASET_DIR
    dev_guild_id: int | None = None
    home_guild_id: int | None = None
    log_level: str = "INFO"
    # Distinct /search questions whose answers are remembered until the record changes (0: none).
    search_cache_size: int = 1_024
    # Where discord.py sends REST calls and opens the gateway; only tests and proxies change these.
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    # The operator's feeds (WATCH_FILE), read and checked at start-up; none: no watching.
    watch_file: Path | None = None
    watch_feeds: tuple[Feed, ...] = ()
    # The gateway shards this process runs (SHARD_COUNT, SHARD_IDS); by default all, as many as Discord
    # recommends.
    shard_plan: ShardPlan = EVERY_SHARD

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
    ) -> Settings:
        """Read settings from `environ` (default: the process environment) over an optional `.env`.

        The process environment wins over `.env`, as in most twelve-factor tools.
        """
        values: dict[str, str] = {}
        if env_file is not None and env_file.is_file():
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ if environ is None else environ)

        def text(name: str) -> str | None:
            value = values.get(name, "").strip()
            return value or None

        log_level = (text("LOG_LEVEL") or "INFO").upper()
        if log_level not in LOG_LEVELS:
            raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")
        watch_file = Path(path) if (path := text("WATCH_FILE")) else None
        return cls(
            discord_token=text("DISCORD_TOKEN"),
            database_path=Path(text("DATABASE_PATH") or DEFAULT_DATABASE_PATH),
            dataset_dir=Path(text("DATASET_DIR") or DEFAULT_DATASET_DIR),
            dev_guild_id=_snowflake("DEV_GUILD_ID", text("DEV_GUILD_ID")),
            home_guild_id=_snowflake("HOME_GUILD_ID", text("HOME_GUILD_ID")),
            log_level=log_level,
            search_cache_size=_count("SEARCH_CACHE_SIZE", text("SEARCH_CACHE_SIZE"), default=1_024),
            discord_api_base=_url("DISCORD_API_BASE", text("DISCORD_API_BASE"), ("http://", "https://")),
            discord_gateway_url=_url("DISCORD_GATEWAY_URL", text("DISCORD_GATEWAY_URL"), ("ws://", "wss://")),
            watch_file=watch_file,
            watch_feeds=_watch_feeds(watch_file),
            shard_plan=_shard_plan(text("SHARD_COUNT"), text("SHARD_IDS")),
        )

    def configure_logging(self) -> None:
        """Configure the root logger once, at the level the settings ask for."""
        logging.basicConfig(
            level=self.log_level,
            format="%(asctime)s %(levelname)-8s %(name)s: %(message)s",
        )


def _count(name: str, value: str | None, *, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or int(value) > 1_000_000:
        raise SettingsError(f"{name} must be a whole number from 0 to 1000000, not {value!r}")
    return int(value)


def _snowflake(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or not 15 <= len(value) <= 20:
        raise SettingsError(
            f"{name} must be a Discord server id (a number of 15 to 20 digits), not {value!r}"
        )
    return int(value)


def _url(name: str, value: str | None, schemes: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if not value.startswith(schemes):
        raise SettingsError(f"{name} must start with {' or '.join(schemes)}, not {value!r}")
    return value.rstrip("/")


def _shard_plan(count_text: str | None, ids_text: str | None) -> ShardPlan:
    if count_text is None:
        if ids_text is not None:
            raise SettingsError(
                "SHARD_IDS needs SHARD_COUNT, the number of shards in all processes together "
                f"(e.g. SHARD_COUNT=2 SHARD_IDS={ids_text})"
            )
        return EVERY_SHARD
    if not count_text.isdigit() or not 1 <= int(count_text) <= MAX_SHARD_COUNT:
        raise SettingsError(
            f"SHARD_COUNT must be a whole number from 1 to {MAX_SHARD_COUNT}, not {count_text!r}"
        )
    count = int(count_text)
    if ids_text is None:
        return ShardPlan(count)
    try:
        return ShardPlan(count, parse_shard_ids(ids_text, count))
    except ValueError as error:
        raise SettingsError(f"SHARD_IDS: {error}") from None


def _watch_feeds(path: Path | None) -> tuple[Feed, ...]:
    if path is None:
        return ()
    try:
        return load_watch_file(path)
    except WatchFileError as error:
        raise SettingsError(f"WATCH_FILE: {error}") from None
