"""Moderator drafts: the text a moderator types in Discord's modals, turned into a fact record and back.

Three forms: the text form (title, date, summary, body, reason), the details form (figures as
`Label: value` lines in plain words, sources as `URL | publisher | title | date` lines, aliases one per
line, the month checked) and the links-and-notes form (related facts, what it responds to, tags, the
note, whether the date is uncertain). The draft keeps exactly what was typed, so a refused submission
can be reopened pre-filled.

A fact written into a draft and read back is the same fact, field for field (tests check every fact of
the dataset): an edit changes only what the moderator changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from bot.facts.model.fact import Fact, InvalidFact, parse_fact
from bot.facts.model.figures import FIGURE_SCHEMA
from bot.moderation.model.wording import figure_label, figure_name

DATE_RANGE_SEPARATORS = (" to ", " – ", " - ", "..")
# A source line's last column is its date when it reads as one (2017, 2017-09 or 2017-09-03).
_SOURCE_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
NEW_SOURCE_URL = "https://…"  # in a source line copied from a similar fact: the address still to type
LIST_ITEM = "- "  # a list figure whose items hold commas is written one item a line


@dataclass(frozen=True)
class Draft:
    """What the moderator typed, field by field (all text)."""

    kind: str
    fact_id: str = ""
    title: str = ""
    dates: str = ""  # "2018-06-12" or "2018-06-12 to 2018-06-13"
    summary: str = ""
    body: str = ""
    reason: str = ""
    figures: str = ""
    sources: str = ""
    aliases: str = ""
    links: str = ""  # related ids, one per line or comma-separated
    checked: str = ""  # the month the fact was last verified against its sources (YYYY-MM)
    responds_to: str = ""  # ids it answers, one per line or comma-separated
    tags: str = ""  # one per line or comma-separated
    note: str = ""
    date_uncertain: str = ""  # "yes" or "no" (empty: no)
    extra: Mapping[str, Any] = field(default_factory=dict)  # fields no form shows
    suggestion_id: int | None = None  # the member's suggestion this edit answers: accepted when saved

    def to_json(self) -> str:
        return json.dumps(vars(self) | {"extra": dict(self.extra)}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Draft:
        data = json.loads(text)
        # A draft kept before the links-and-notes form held these in `extra`: move them to their fields.
        extra = dict(data.get("extra") or {})
        for name in ("responds_to", "tags", "note", "date_uncertain"):
            if name in extra and name not in data:
                data[name] = _field_text(extra.pop(name))
        return cls(**data | {"extra": extra})

    def with_text(self, **values: str) -> Draft:
        """A copy with some typed fields replaced."""
        return replace(self, **values)  # type: ignore[arg-type]


def _field_text(value: Any) -> str:
    """A record value as a form shows it: lists one item a line, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value or "")


def _split_items(text: str) -> list[str]:
    """Items one per line, or comma-separated (ids, systems: names without commas)."""
    parts = [p.strip() for line in text.splitlines() for p in line.split(",")]
    return [p for p in parts if p]


def _lines(text: str) -> list[str]:
    """Items one per line (aliases may hold commas: "29 May, 1993")."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _figure_value(kind: str, name: str, raw: str) -> Any:
    expected = FIGURE_SCHEMA[kind].get(name, ("text", False))[0]
    raw = raw.strip()
    if expected == "integer":
        try:
            return int(raw.replace(",", ""))
        except ValueError:
            return raw  # left as text so validation names the figure and the expected type
    if expected == "number":
        try:
            return float(raw.replace(",", "")) if "." in raw else int(raw.replace(",", ""))
        except ValueError:
            return raw
    if expected == "true/false":
        lowered = raw.lower()
        return True if lowered in ("yes", "true", "y") else False if lowered in ("no", "false", "n") else raw
    if expected == "list of text":
        return _split_items(raw)
    return raw


def parse_figures(kind: str, text: str) -> tuple[dict[str, Any], list[str]]:
    """Figures from `Label: value` lines; a line may name a figure by its label ("Class"), its unit
    label ("Apogee (km)") or its stored name ("system_classes"). A line with no value is left out."""
    figures: dict[str, Any] = {}
    problems: list[str] = []
    listing: str | None = None  # the list figure whose `- item` lines follow
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if listing is not None and line.lstrip().startswith(LIST_ITEM):
            figures[listing].append(line.lstrip()[len(LIST_ITEM) :].strip())
            continue
        listing = None
        typed, colon, raw = line.partition(":")
        name = figure_name(kind, typed)
        if not colon:
            problems.append(f"figures line {number} ({line.strip()[:40]!r}) needs the form `name: value`")
            continue
        if raw.strip():
            figures[name] = _figure_value(kind, name, raw)
        elif FIGURE_SCHEMA[kind].get(name, ("text", False))[0] == "list of text":
            listing = name
            figures[listing] = []
    # A list label left empty ("Systems: " in the template, no `- item` lines after it) was not filled in.
    return {name: value for name, value in figures.items() if value != []}, problems


def parse_sources(text: str) -> tuple[list[dict[str, str]], list[str]]:
    sources, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[1]:
            problems.append(
                f"sources line {number} needs the form `URL | publisher | title | date` (title and date optional)"
            )
            continue
        source = {"url": parts[0], "publisher": parts[1]}
        rest = parts[2:]
        if rest and _SOURCE_DATE.match(rest[-1]):
            source["date"] = rest.pop()
        if " | ".join(rest).strip():
            source["title"] = " | ".join(rest).strip()
        sources.append(source)
    return sources, problems


def _split_dates(text: str) -> tuple[str, str | None]:
    for separator in DATE_RANGE_SEPARATORS:
        if separator in text.strip():
            start, end = text.strip().split(separator, 1)
            return start.strip(), end.strip() or None
    return text.strip(), None


def draft_to_fact(draft: Draft, *, today: date | None = None) -> Fact:
    """Validate a draft as a whole; raise InvalidFact listing every problem. With `today`, a `checked`
    month after it is refused."""
    figures, problems = parse_figures(draft.kind, draft.figures)
    sources, source_problems = parse_sources(draft.sources)
    problems += source_problems
    start, end = _split_dates(draft.dates)
    record: dict[str, Any] = dict(draft.extra) | {
        "id": draft.fact_id,
        "kind": draft.kind,
        "title": draft.title,
        "date": start,
        "summary": draft.summary,
        "body": draft.body,
        "figures": figures,
        "sources": sources,
        "aliases": _lines(draft.aliases),
        "related": _split_items(draft.links),
        "responds_to": _split_items(draft.responds_to),
        "tags": _split_items(draft.tags),
        "note": draft.note,
    }
    uncertain = draft.date_uncertain.strip().lower()
    if uncertain in ("yes", "true", "y"):
        record["date_uncertain"] = True
    elif uncertain in ("", "no", "false", "n"):
        record["date_uncertain"] = False
    else:
        problems.append("date_uncertain must be yes or no")
    if end:
        record["end_date"] = end
    if draft.checked.strip():
        record["checked"] = draft.checked.strip()
    try:
        fact = parse_fact(record, today=today)
    except InvalidFact as error:
        raise InvalidFact(problems + error.problems) from None
    if problems:
        raise InvalidFact(problems)
    return fact


def draft_from_fact(fact: Fact) -> Draft:
    """A draft pre-filled with a fact's current values (for editing)."""
    dates = fact.date.iso() + (f" to {fact.end_date.iso()}" if fact.end_date else "")
    figure_lines = []
    for name, value in fact.figures.items():
        if isinstance(value, list) and any("," in item for item in value):
            figure_lines += [f"{figure_label(name)}:", *(f"{LIST_ITEM}{item}" for item in value)]
            continue
        figure_lines.append(f"{figure_label(name)}: {_figure_text(value)}")
    source_lines = [_source_line(s.url, s.publisher, s.title, s.date) for s in fact.sources]
    return Draft(
        kind=fact.kind,
        fact_id=fact.id,
        title=fact.title,
        dates=dates,
        summary=fact.summary,
        body=fact.body,
        figures="\n".join(figure_lines),
        sources="\n".join(source_lines),
        aliases="\n".join(fact.aliases),
        links="\n".join(fact.related),
        checked=fact.checked.iso() if fact.checked else "",
        responds_to="\n".join(fact.responds_to),
        tags="\n".join(fact.tags),
        note=fact.note,
        date_uncertain="yes" if fact.date_uncertain else "no",
    )


def _source_line(url: str, publisher: str, title: str, date: str | None) -> str:
    """`URL | publisher | title | date`; an empty title keeps its column when a date follows."""
    if date:
        return f"{url} | {publisher} | {title} | {date}"
    return " | ".join(p for p in (url, publisher, title) if p)


def figures_template(kind: str, like: Mapping[str, Any] | None = None) -> str:
    """The figures form pre-filled with the labels a kind takes (required ones first), and the values
    of a similar fact's figures when there is one."""
    schema = FIGURE_SCHEMA[kind]
    ordered = sorted(schema, key=lambda name: not schema[name][1])
    like = like or {}
    lines = []
    for name in ordered:
        value = like.get(name)
        if value is None:
            lines.append(f"{figure_label(name)}: ")
        elif isinstance(value, list) and any("," in item for item in value):
            lines += [f"{figure_label(name)}:", *(f"{LIST_ITEM}{item}" for item in value)]
        else:
            lines.append(f"{figure_label(name)}: {_figure_text(value)}")
    return "\n".join(lines)


def _figure_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return "yes" if value is True else "no" if value is False else str(value)


def draft_like(kind: str, similar: Fact) -> Draft:
    """A new draft of `kind` pre-filled from a similar fact: its title to change, its figures (those the
    kind takes), its sources' publishers (each with a placeholder address to replace: the new fact has
    its own reports) and its tags. The date, summary and body are the new fact's own."""
    publishers = dict.fromkeys(s.publisher for s in similar.sources)
    return Draft(
        kind=kind,
        title=similar.title,
        figures=figures_template(kind, similar.figures),
        sources="\n".join(f"{NEW_SOURCE_URL} | {publisher}" for publisher in publishers),
        tags="\n".join(similar.tags),
    )
