"""Alerts without Discord or SQL: what a subscription lets through, the changes it announces, and what
a correction changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.facts.model.fact import KIND_CATEGORY, KIND_LABELS, FactDate, display_date_range
from bot.facts.model.figures import FIGURE_LABELS

# Missile classes that make a launch "major" (besides every nuclear test and satellite launch).
MAJOR_CLASSES = frozenset({"ICBM", "IRBM"})
MAJOR_KINDS = frozenset({"nuclear_test", "satellite_launch", "un_resolution"})


class AlertFilter(StrEnum):
    """What a subscription is told about."""

    EVERYTHING = "everything"
    MAJOR = "major"
    TESTS = "tests"
    SANCTIONS = "sanctions"
    TALKS = "talks"

    def matches(self, kind: str, figures: Mapping[str, Any]) -> bool:
        """Whether a fact of this kind, with these figures, is announced under this filter."""
        if self is AlertFilter.EVERYTHING:
            return True
        if self is AlertFilter.MAJOR:
            classes = figures.get("system_classes") or ()
            return kind in MAJOR_KINDS or (
                kind == "missile_launch" and any(c in MAJOR_CLASSES for c in classes)
            )
        return KIND_CATEGORY.get(kind) == self.value


FILTER_LABELS = {
    AlertFilter.EVERYTHING: "every change",
    AlertFilter.MAJOR: "major events (nuclear tests, ICBM/IRBM and satellite launches, UN resolutions)",
    AlertFilter.TESTS: "tests",
    AlertFilter.SANCTIONS: "sanctions",
    AlertFilter.TALKS: "talks",
}


class ChangeKind(StrEnum):
    ADDED = "added"
    CORRECTED = "corrected"
    RETIRED = "retired"


@dataclass(frozen=True)
class Correction:
    """One thing a correction changed, as text."""

    what: str
    before: str
    after: str


@dataclass(frozen=True)
class FactEvent:
    """One announced change of one fact (a row of the outbox) with the fact's content after it and, for
    a correction, before it."""

    id: int
    batch: int
    fact_id: str
    change: ChangeKind
    action: str
    editor_name: str
    reason: str
    content: Mapping[str, Any]
    previous: Mapping[str, Any] | None = None

    @property
    def kind(self) -> str:
        return str(self.content.get("kind", ""))

    @property
    def figures(self) -> Mapping[str, Any]:
        figures = self.content.get("figures")
        return figures if isinstance(figures, Mapping) else {}

    @property
    def title(self) -> str:
        return str(self.content.get("title", self.fact_id))

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def date_text(self) -> str:
        return _date_text(self.content)

    def corrections(self) -> tuple[Correction, ...]:
        """What changed in the date, the title and the figures (empty unless a correction)."""
        if self.change is not ChangeKind.CORRECTED or self.previous is None:
            return ()
        found: list[Correction] = []
        before, after = _date_text(self.previous), _date_text(self.content)
        if before != after:
            found.append(Correction("Date", before, after))
        if self.previous.get("title") != self.content.get("title"):
            found.append(Correction("Title", str(self.previous.get("title")), self.title))
        old = self.previous.get("figures")
        old_figures: Mapping[str, Any] = old if isinstance(old, Mapping) else {}
        for name in sorted(set(old_figures) | set(self.figures), key=_figure_order):
            if old_figures.get(name) != self.figures.get(name):
                found.append(
                    Correction(
                        FIGURE_LABELS.get(name, name),
                        _figure_text(old_figures.get(name)),
                        _figure_text(self.figures.get(name)),
                    )
                )
        return tuple(found)


def _figure_order(name: str) -> int:
    labels = list(FIGURE_LABELS)
    return labels.index(name) if name in labels else len(labels)


def _figure_text(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def _date_text(content: Mapping[str, Any]) -> str:
    try:
        start = FactDate.parse(str(content["date"]))
        end = FactDate.parse(str(content["end_date"])) if content.get("end_date") else None
    except (KeyError, ValueError):
        return str(content.get("date", "?"))
    return display_date_range(start, end)


def relevant(events: Sequence[FactEvent], only: AlertFilter, since_event: int) -> list[FactEvent]:
    """The events of a batch a subscription announces: made after it, and let through by its filter."""
    return [e for e in events if e.id > since_event and only.matches(e.kind, e.figures)]


@dataclass(frozen=True)
class Subscription:
    """A channel that receives alerts."""

    id: int
    guild_id: int
    channel_id: int
    only: AlertFilter
    role_id: int | None
    thread: bool
    since_event: int
    failures: int
    last_error: str
    paused: bool


class DeliveryState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Delivery:
    """One batch of changes to post to one subscription, claimed by whoever posts it."""

    id: int
    batch: int
    state: DeliveryState
    attempts: int
    subscription: Subscription


@dataclass(frozen=True)
class FailureOutcome:
    """What a failed delivery did to its subscription: whether to report it (the first failure in a
    row) and whether the subscription is now paused."""

    failures: int
    report: bool
    paused: bool
