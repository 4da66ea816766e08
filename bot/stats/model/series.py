"""Counts behind the /stats chart: per year (or per month for a range of one or two years) and group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.facts.model.fact import Fact

# The class that best describes a launch day with several systems: the longest-range one.
CLASS_ORDER = ("ICBM", "IRBM", "SLBM", "HGV", "MRBM", "SRBM", "SLV", "Unknown")
ISSUER_GROUPS = {
    "un": "UN",
    "us": "US",
    "japan": "Japan",
    "south_korea": "South Korea",
    "eu": "EU",
    "other": "Other",
}
TALK_KINDS = {
    "agreement": "Agreement",
    "multilateral": "Multilateral talks",
    "summit": "Summit",
    "bilateral": "Bilateral meeting",
    "withdrawal": "Withdrawal or breakdown",
}
CATEGORIES = ("tests", "sanctions", "talks")
UNITS = {"tests": "launch days", "sanctions": "measures", "talks": "events"}
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def leading_class(classes: Sequence[str]) -> str:
    ranked = [c for c in CLASS_ORDER if c in classes]
    return ranked[0] if ranked else "Unknown"


def group_of(fact: Fact) -> tuple[str, str] | None:
    """(category, group) a fact is counted under, or None when no panel counts it.

    Tests count launch days (nuclear tests are drawn as lines); sanctions count measures (a resolution is
    the UN's, a unilateral measure its issuer's; vetoed drafts and sanctions bodies are not measures)."""
    if fact.kind in ("missile_launch", "satellite_launch"):
        return "tests", leading_class(fact.figures.get("system_classes", ()))
    if fact.kind == "un_resolution":
        return "sanctions", "UN"
    if fact.kind == "unilateral":
        return "sanctions", ISSUER_GROUPS.get(str(fact.figures.get("issuer")), "Other")
    if fact.kind in TALK_KINDS:
        return "talks", TALK_KINDS[fact.kind]
    return None


GROUPS = {
    "tests": CLASS_ORDER,
    "sanctions": tuple(ISSUER_GROUPS.values()),
    "talks": tuple(TALK_KINDS.values()),
}


@dataclass(frozen=True)
class Panel:
    """One category's stacked bars: for each group, its count in each bucket."""

    category: str
    counts: dict[str, tuple[int, ...]]

    @property
    def unit(self) -> str:
        return UNITS[self.category]

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups with at least one count, in stacking order."""
        return tuple(g for g in GROUPS[self.category] if any(self.counts.get(g, ())))

    def totals(self) -> tuple[int, ...]:
        columns = zip(*self.counts.values(), strict=True)
        return tuple(sum(column) for column in columns)

    def total(self, group: str | None = None) -> int:
        if group is not None:
            return sum(self.counts.get(group, ()))
        return sum(self.totals())


@dataclass(frozen=True)
class Marker:
    """A dated event drawn on the time axis: `position` is in bucket units (bucket 0 spans 0 to 1)."""

    position: float
    label: str
    year: int


@dataclass(frozen=True)
class StatsSeries:
    """Everything the /stats chart draws: the buckets, one panel per category, the markers."""

    first_year: int
    last_year: int
    by_month: bool
    panels: tuple[Panel, ...]
    nuclear_tests: tuple[Marker, ...]
    resolutions: tuple[Marker, ...]
    partial: int | None  # the bucket still running (the clock's year, or month), if it is shown
    undated: int  # facts known only to the year, left out of a chart drawn by month

    @property
    def bucket_count(self) -> int:
        return (self.last_year - self.first_year + 1) * (12 if self.by_month else 1)

    def bucket_label(self, index: int) -> str:
        if not self.by_month:
            return str(self.first_year + index)
        year, month = divmod(index, 12)
        return f"{MONTH_NAMES[month]} {self.first_year + year}"

    def panel(self, category: str) -> Panel:
        return next(p for p in self.panels if p.category == category)

    @property
    def span(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


def _position(fact: Fact, first_year: int, by_month: bool) -> float | None:
    """Where a fact's date falls in bucket units, or None if the chart is by month and the month is unknown."""
    date = fact.date
    if by_month:
        if date.month is None:
            return None
        day = (date.day or 15) - 1
        return (date.year - first_year) * 12 + date.month - 1 + day / 31
    month = (date.month or 7) - 1
    day = (date.day or 15) - 1
    return date.year - first_year + (month + day / 31) / 12


def build_series(
    facts: Sequence[Fact],
    categories: Sequence[str],
    from_year: int | None,
    to_year: int | None,
    today_year: int,
    today_month: int,
) -> StatsSeries:
    """Count `facts` (current ones) per bucket and group for each of `categories`, between the years given
    (by default the first and last year in the record). One or two years are counted by month."""
    chosen = [f for f in facts if (counted := group_of(f)) is not None and counted[0] in categories]
    nuclear = [f for f in facts if f.kind == "nuclear_test"] if "tests" in categories else []
    years = [f.date.year for f in [*chosen, *nuclear]]
    first = from_year if from_year is not None else min(years, default=today_year)
    last = to_year if to_year is not None else max(years, default=first)
    by_month = last - first <= 1
    size = (last - first + 1) * (12 if by_month else 1)
    counts = {c: {g: [0] * size for g in GROUPS[c]} for c in categories}
    undated = 0
    for fact in chosen:
        if not first <= fact.date.year <= last:
            continue
        position = _position(fact, first, by_month)
        if position is None:
            undated += 1
            continue
        category, group = group_of(fact) or ("", "")
        counts[category][group][int(position)] += 1

    def markers(kind: str, label_figure: str, prefix: str) -> tuple[Marker, ...]:
        found = []
        for fact in facts if kind != "nuclear_test" else nuclear:
            if fact.kind != kind or not first <= fact.date.year <= last:
                continue
            position = _position(fact, first, by_month)
            if position is not None:
                found.append(
                    Marker(position, f"{prefix}{fact.figures.get(label_figure, '')}", fact.date.year)
                )
        return tuple(sorted(found, key=lambda m: m.position))

    current = (today_year - first) * 12 + today_month - 1 if by_month else today_year - first
    return StatsSeries(
        first_year=first,
        last_year=last,
        by_month=by_month,
        panels=tuple(
            Panel(c, {g: tuple(n) for g, n in counts[c].items()}) for c in CATEGORIES if c in categories
        ),
        nuclear_tests=markers("nuclear_test", "test_number", "#") if "tests" in categories else (),
        resolutions=markers("un_resolution", "resolution_number", "") if "tests" in categories else (),
        partial=current if 0 <= current < size else None,
        undated=undated,
    )


def alt_text(series: StatsSeries) -> str:
    """One sentence (or a few) with the key numbers, for screen readers: the attachment's description."""
    parts = []
    for panel in series.panels:
        totals = panel.totals()
        busiest = max(range(len(totals)), key=lambda i: (totals[i], -i)) if totals else 0
        groups = ", ".join(f"{g} {panel.total(g)}" for g in panel.groups)
        text = f"{panel.total()} {panel.unit} ({groups})" if groups else f"no {panel.unit}"
        if panel.total():
            text += f", most in {series.bucket_label(busiest)} ({totals[busiest]})"
        parts.append(f"{panel.category}: {text}")
    if series.nuclear_tests:
        tests = ", ".join(f"{m.label} in {m.year}" for m in series.nuclear_tests)
        parts.append(f"nuclear tests {tests}")
    if series.resolutions:
        parts.append(f"{len(series.resolutions)} UN Security Council resolutions")
    per = "month" if series.by_month else "year"
    sentence = f"Bar chart per {per}, {series.span}: " + "; ".join(parts) + "."
    if series.partial is not None:
        sentence += f" {series.bucket_label(series.partial)} is still running, so its count is partial."
    return sentence[:1024]
