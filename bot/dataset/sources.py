"""What the dataset may cite: hosts it must not cite, tag pages, and database landing pages.

Two lists kept in the dataset folder beside the facts, one entry a line, `#` starting a comment:

- `source-denylist.txt`: hosts (or host suffixes: `blogspot.com` covers `x.blogspot.com`) whose pages
  are not sources. A fact citing one is refused by `python -m bot.dataset check`.
- `landing-pages.txt`: the front pages of databases and fact sheets (an entry ending in `*` covers
  every page under it). Fine beside a source for the event itself; a fact citing nothing else is
  reported as a warning.

A URL whose path is a tag or category page (`/tag/`, `/tags/`, `/category/`) is refused too: it lists
articles, it is not one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot.facts.model.fact import Fact

DENYLIST_FILE = "source-denylist.txt"
LANDING_PAGES_FILE = "landing-pages.txt"
_TAG_PAGE = re.compile(r"/(?:tag|tags|category)/", re.IGNORECASE)


def read_list(path: Path) -> tuple[str, ...]:
    """The entries of a list file, lowercased, without comments and blank lines (none if no file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    entries = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return tuple(entry for entry in entries if entry)


def _page_key(url: str) -> str:
    """A URL compared loosely: no scheme, no `www.`, no query or fragment, no trailing slash."""
    parts = urlsplit(url.strip().lower())
    host = (parts.hostname or "").removeprefix("www.")
    return (host + parts.path).rstrip("/")


def is_tag_page(url: str) -> bool:
    return bool(_TAG_PAGE.search(urlsplit(url).path + "/"))


@dataclass(frozen=True)
class SourcePolicy:
    denied_hosts: tuple[str, ...] = ()
    landing_pages: tuple[str, ...] = ()

    @classmethod
    def load(cls, dataset_dir: Path) -> SourcePolicy:
        return cls(read_list(dataset_dir / DENYLIST_FILE), read_list(dataset_dir / LANDING_PAGES_FILE))

    def denied_entry(self, url: str) -> str | None:
        """The denylist entry a URL's host falls under, if any."""
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        for entry in self.denied_hosts:
            if host == entry or host.endswith("." + entry):
                return entry
        return None

    def is_landing_page(self, url: str) -> bool:
        key = _page_key(url)
        for entry in self.landing_pages:
            if entry.endswith("*"):
                prefix = _page_key(entry[:-1])
                if key.startswith(prefix) and key != prefix:
                    return True
            elif key == _page_key(entry):
                return True
        return False


@dataclass(frozen=True)
class SourceReport:
    """Refusals (a denylisted host or a tag page), by fact, and warnings (landing pages alone)."""

    refusals: tuple[str, ...]
    offenders: tuple[str, ...]  # ids of the facts refused
    warnings: tuple[str, ...]


def check_sources(facts: Iterable[Fact], policy: SourcePolicy) -> SourceReport:
    refusals: list[str] = []
    offenders: list[str] = []
    warnings: list[str] = []
    for fact in facts:
        found = []
        for position, source in enumerate(fact.sources, start=1):
            entry = policy.denied_entry(source.url)
            host = urlsplit(source.url).hostname
            if entry is not None:
                found.append(
                    f"{fact.id}: source {position} is on the denylisted host {host} "
                    f"({DENYLIST_FILE}: {entry}): {source.url}"
                )
            if is_tag_page(source.url):
                found.append(
                    f"{fact.id}: source {position} is a tag or category page, not a source: {source.url}"
                )
        if found:
            refusals += found
            offenders.append(fact.id)
        if fact.sources and all(policy.is_landing_page(s.url) for s in fact.sources):
            pages = ", ".join(s.url for s in fact.sources)
            warnings.append(
                f"{fact.id}: its only source is a database landing page ({pages}); "
                "cite a report of the event itself"
            )
    return SourceReport(tuple(refusals), tuple(offenders), tuple(warnings))
