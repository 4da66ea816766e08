"""The fact model: categories, kinds, dates with a precision, typed figures and their validation.

Plain Python with no Discord and no SQL, shared by the dataset loader, imports and moderator edits,
so a fact is judged by the same rules wherever it comes from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date as Date
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from bot.facts.model.dates import (  # noqa: F401  (re-exported: the model's date types)
    MONTH_NAMES,
    DatePrecision,
    FactDate,
    display_date_range,
    month_of,
    parse_checked,
)
from bot.facts.model.figures import MAX_LIST_ITEMS, MAX_SOURCE_TEXT, validate_figures


class Category(StrEnum):
    TESTS = "tests"
    SANCTIONS = "sanctions"
    TALKS = "talks"


KIND_CATEGORY: dict[str, Category] = {
    "nuclear_test": Category.TESTS,
    "missile_launch": Category.TESTS,
    "satellite_launch": Category.TESTS,
    "un_resolution": Category.SANCTIONS,
    "un_draft": Category.SANCTIONS,
    "un_body": Category.SANCTIONS,
    "unilateral": Category.SANCTIONS,
    "agreement": Category.TALKS,
    "multilateral": Category.TALKS,
    "summit": Category.TALKS,
    "bilateral": Category.TALKS,
    "withdrawal": Category.TALKS,
}

KIND_LABELS: dict[str, str] = {
    "nuclear_test": "Nuclear test",
    "missile_launch": "Missile launch",
    "satellite_launch": "Satellite launch",
    "un_resolution": "UN Security Council resolution",
    "un_draft": "Failed UN draft resolution",
    "un_body": "UN sanctions body",
    "unilateral": "Unilateral sanctions",
    "agreement": "Agreement or declaration",
    "multilateral": "Multilateral talks",
    "summit": "Summit",
    "bilateral": "Bilateral meeting",
    "withdrawal": "Withdrawal or breakdown",
}


# The fields of a fact record, in the order exports write them (dataset files, JSON and CSV).
RECORD_FIELDS = (
    "id", "kind", "title", "date", "end_date", "checked", "summary", "body", "aliases", "tags", "related",
    "responds_to", "date_uncertain", "note", "figures", "sources",
)  # fmt: skip

# Text limits, chosen so a fact card always fits Discord's embed limits after formatting.
MAX_ID = 64
MAX_TITLE = 200
MAX_SUMMARY = 300
MAX_BODY = 3000
MAX_ALIAS = 100
MAX_NOTE = 1000
MAX_URL = 500
FACT_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class InvalidFact(ValueError):
    """A fact record breaks the format; `problems` lists every reason at once."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Source:
    url: str
    publisher: str
    title: str = ""
    date: str | None = None


@dataclass(frozen=True)
class Fact:
    """One typed, sourced fact as the store holds it."""

    id: str
    kind: str
    title: str
    summary: str
    body: str
    date: FactDate
    end_date: FactDate | None = None
    figures: Mapping[str, Any] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    responds_to: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    date_uncertain: bool = False
    note: str = ""
    # When someone last verified the fact against its sources (a month or a day); None for a fact
    # added before the field existed, or imported without it.
    checked: FactDate | None = None
    # Store bookkeeping: not part of a fact's content.
    retired: bool = False
    retired_reason: str = ""
    origin: str = "dataset"
    revision: int = 0

    @property
    def category(self) -> Category:
        return KIND_CATEGORY[self.kind]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def date_text(self) -> str:
        return display_date_range(self.date, self.end_date)

    def content(self) -> dict[str, Any]:
        """The fact's content as a plain record in the dataset/export schema."""
        record: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "date": self.date.iso(),
            "summary": self.summary,
            "body": self.body,
        }
        if self.end_date is not None:
            record["end_date"] = self.end_date.iso()
        if self.checked is not None:
            record["checked"] = self.checked.iso()
        record.update(
            aliases=list(self.aliases),
            tags=list(self.tags),
            related=list(self.related),
            responds_to=list(self.responds_to),
            date_uncertain=self.date_uncertain,
            note=self.note,
            figures=dict(self.figures),
            sources=[
                {k: v for k, v in vars(s).items() if v not in (None, "")} | {"url": s.url}
                for s in self.sources
            ],
        )
        return record


# --- Records -------------------------------------------------------------------------------------


def _text(record: Mapping[str, Any], key: str, limit: int, problems: list[str], required: bool = True) -> str:
    value = record.get(key, "")
    if not isinstance(value, str):
        problems.append(f"{key} must be text")
        return ""
    value = value.strip()
    if required and not value:
        problems.append(f"{key} is missing")
    elif len(value) > limit:
        problems.append(f"{key} is {len(value):,} characters long; the limit is {limit:,}")
    return value


def _strings(record: Mapping[str, Any], key: str, limit: int, problems: list[str]) -> tuple[str, ...]:
    value = record.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{key} must be a list of text")
        return ()
    cleaned = tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
    if len(cleaned) > MAX_LIST_ITEMS:
        problems.append(f"{key} has {len(cleaned)} entries; the limit is {MAX_LIST_ITEMS}")
    problems.extend(
        f"{key} entry {v[:40]!r}… is longer than {limit} characters" for v in cleaned if len(v) > limit
    )
    return cleaned


def valid_url(url: str) -> bool:
    """An absolute http(s) URL with a host, without spaces or control characters."""
    if len(url) > MAX_URL or any(c.isspace() or ord(c) < 32 for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "." in (parts.hostname or "")


def _sources(record: Mapping[str, Any], problems: list[str]) -> tuple[Source, ...]:
    raw = record.get("sources")
    if not isinstance(raw, list) or not raw:
        problems.append("at least one source is required")
        return ()
    sources = []
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            problems.append(f"source {position} must be a table with url and publisher")
            continue
        where: list[str] = []
        url = _text(item, "url", MAX_URL, where)
        publisher = _text(item, "publisher", MAX_SOURCE_TEXT, where)
        title = _text(item, "title", MAX_SOURCE_TEXT, where, required=False)
        date = item.get("date")
        if url and not valid_url(url):
            where.append(f"url {url!r} is not a well-formed http(s) URL")
        if date is not None:
            try:
                date = FactDate.parse(str(date)).iso()
            except ValueError as error:
                where.append(f"date: {error}")
        problems.extend(f"source {position}: {p}" for p in where)
        if not where:
            sources.append(Source(url=url, publisher=publisher, title=title, date=date))
    return tuple(sources)


def parse_fact(record: Mapping[str, Any], *, today: Date | None = None) -> Fact:
    """Build a Fact from a plain record (dataset, import or edit), or raise InvalidFact with every
    problem found. With `today`, a `checked` date after it is refused (new records are judged
    against today; stored revisions are parsed without it)."""
    if not isinstance(record, Mapping):
        raise InvalidFact(["a fact must be a table of fields"])
    problems: list[str] = []
    known = {"category", *RECORD_FIELDS}
    problems += [f"unknown field {k!r}" for k in record if k not in known]

    fact_id = _text(record, "id", MAX_ID, problems)
    if fact_id and not FACT_ID_PATTERN.match(fact_id):
        problems.append(f"id {fact_id!r} must be lowercase letters and digits joined by '-'")
    kind = record.get("kind")
    if kind not in KIND_CATEGORY:
        problems.append(f"unknown kind {kind!r} (known: {', '.join(KIND_CATEGORY)})")
    elif "category" in record and record["category"] != KIND_CATEGORY[kind].value:
        problems.append(
            f"kind {kind!r} belongs to category {KIND_CATEGORY[kind].value!r}, not {record['category']!r}"
        )
    title = _text(record, "title", MAX_TITLE, problems)
    summary = _text(record, "summary", MAX_SUMMARY, problems)
    body = _text(record, "body", MAX_BODY, problems, required=False)
    note = _text(record, "note", MAX_NOTE, problems, required=False)

    date = end_date = None
    try:
        date = FactDate.parse(str(record.get("date", "")))
    except ValueError as error:
        problems.append(f"date: {error}")
    if record.get("end_date") not in (None, ""):
        try:
            end_date = FactDate.parse(str(record["end_date"]))
        except ValueError as error:
            problems.append(f"end_date: {error}")
    if date and end_date and end_date.iso() < date.iso()[: len(end_date.iso())]:
        problems.append(f"end_date {end_date} is before date {date}")
    checked = None
    if record.get("checked") not in (None, ""):
        try:
            checked = parse_checked(record["checked"], today)
        except ValueError as error:
            problems.append(f"checked: {error}")

    figures = record.get("figures", {})
    if not isinstance(figures, Mapping):
        problems.append("figures must be a table")
    elif kind in KIND_CATEGORY:
        problems += validate_figures(kind, figures)
    uncertain = record.get("date_uncertain", False)
    if not isinstance(uncertain, bool):
        problems.append("date_uncertain must be true or false")

    fact = Fact(
        id=fact_id,
        kind=kind if isinstance(kind, str) else "",
        title=title,
        summary=summary,
        body=body,
        date=date or FactDate(1900),
        end_date=end_date,
        figures=dict(figures) if isinstance(figures, Mapping) else {},
        aliases=_strings(record, "aliases", MAX_ALIAS, problems),
        tags=_strings(record, "tags", MAX_ALIAS, problems),
        related=_strings(record, "related", MAX_ID, problems),
        responds_to=_strings(record, "responds_to", MAX_ID, problems),
        sources=_sources(record, problems),
        date_uncertain=bool(uncertain),
        note=note,
        checked=checked,
    )
    if fact_id and (fact_id in fact.related or fact_id in fact.responds_to):
        problems.append("a fact cannot link to itself")
    if problems:
        raise InvalidFact(problems)
    return fact


def dangling_links(facts: Iterable[Fact], known_ids: set[str]) -> list[str]:
    """Problems for links that name no known fact."""
    return [
        f"{fact.id}: {field_name} names unknown id {target!r}"
        for fact in facts
        for field_name in ("related", "responds_to")
        for target in getattr(fact, field_name)
        if target not in known_ids
    ]
