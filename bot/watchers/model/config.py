"""The operator's watch file: which feeds the bot reads, in what format, how often.

Only the operator (who sets WATCH_FILE) names the URLs the bot fetches: no command takes a URL.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

FORMATS = ("cns-json", "rss")
_DURATION = re.compile(r"^(\d+)\s*(s|m|h)$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}
MIN_EVERY_SECONDS = 10
DEFAULT_TIMEOUT_SECONDS = 20.0


class WatchFileError(ValueError):
    """The watch file cannot be used; the message names the feed and the field."""


@dataclass(frozen=True)
class Feed:
    """One watched source: `every` and `timeout` in seconds; `keywords` select RSS items (case-insensitive)."""

    name: str
    url: str
    format: str
    every: float
    keywords: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    # Items dated before this day are never offered (ISO date), e.g. a CNS file's days from before the
    # record's own coverage, whose dates may differ from the record's by a day.
    since: str | None = None


def parse_duration(text: Any, *, field: str) -> float:
    """Seconds in "10s", "30m" or "1h"."""
    match = _DURATION.match(str(text).strip().lower()) if isinstance(text, str) else None
    if match is None:
        raise WatchFileError(f'{field} must be a duration such as "10s", "30m" or "1h", not {text!r}')
    return float(int(match[1]) * _UNIT_SECONDS[match[2]])


def load_watch_file(path: Path) -> tuple[Feed, ...]:
    """The feeds of a watch file; raise WatchFileError naming the first problem."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as error:
        raise WatchFileError(f"cannot read {path}: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise WatchFileError(f"{path} is not valid TOML: {error}") from None
    return parse_feeds(data)


def parse_feeds(data: dict[str, Any]) -> tuple[Feed, ...]:
    unknown = set(data) - {"feed"}
    if unknown:
        raise WatchFileError(f"unknown table {sorted(unknown)[0]!r}: only [[feed]] tables are read")
    tables = data.get("feed", [])
    if not isinstance(tables, list):
        raise WatchFileError("feeds are written as [[feed]] tables")
    feeds: list[Feed] = []
    for position, table in enumerate(tables, start=1):
        feeds.append(_feed(table, f"feed {position}"))
    names = [f.name for f in feeds]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate is not None:
        raise WatchFileError(f"two feeds are named {duplicate!r}: names must be unique")
    return tuple(feeds)


def _feed(table: Any, where: str) -> Feed:
    if not isinstance(table, dict):
        raise WatchFileError(f"{where} is not a table")
    unknown = set(table) - {"name", "url", "format", "every", "keywords", "timeout", "since"}
    if unknown:
        raise WatchFileError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    name = table.get("name")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 60:
        raise WatchFileError(f"{where}: name must be text of 1 to 60 characters")
    where = f"feed {name.strip()!r}"
    url = table.get("url")
    if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
        raise WatchFileError(f"{where}: url must be an http:// or https:// address, not {url!r}")
    feed_format = table.get("format")
    if feed_format not in FORMATS:
        raise WatchFileError(f"{where}: format must be one of {', '.join(FORMATS)}, not {feed_format!r}")
    every = parse_duration(table.get("every"), field=f"{where}: every")
    if every < MIN_EVERY_SECONDS:
        raise WatchFileError(f"{where}: every must be at least {MIN_EVERY_SECONDS}s")
    timeout = parse_duration(table.get("timeout", "20s"), field=f"{where}: timeout")
    if not 1 <= timeout <= 120:
        raise WatchFileError(f"{where}: timeout must be from 1s to 120s")
    keywords = table.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
        raise WatchFileError(f"{where}: keywords must be a list of words or phrases")
    if feed_format == "rss" and not keywords:
        raise WatchFileError(f"{where}: an rss feed needs keywords (what makes an item worth a look)")
    return Feed(
        name=name.strip(),
        url=url,
        format=feed_format,
        every=every,
        keywords=tuple(k.strip() for k in keywords),
        timeout=timeout,
        since=_since(table.get("since"), where),
    )


def _since(value: Any, where: str) -> str | None:
    """A TOML date (since = 2026-05-01) or the same as text, checked to be a real day."""
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    try:
        return date.fromisoformat(value).isoformat() if isinstance(value, str) else _bad_since(value, where)
    except ValueError:
        return _bad_since(value, where)


def _bad_since(value: Any, where: str) -> NoReturn:
    raise WatchFileError(f"{where}: since must be a day such as 2026-05-01, not {value!r}")
