"""Statistics and the /stats chart: counts per year and kind, drawn without a display.

Plain Python and matplotlib's Agg backend; no Discord. Rendering takes tens of milliseconds, so
callers run `render_chart` in a worker thread.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.facts.model.fact import KIND_LABELS
from bot.facts.store import StatPoint

# The class that best describes a launch day with several systems: the longest-range one.
CLASS_ORDER = ("ICBM", "IRBM", "SLBM", "HGV", "MRBM", "SRBM", "SLV", "Unknown")
CLASS_COLOURS = {
    "ICBM": "#b2182b",
    "IRBM": "#ef8a62",
    "SLBM": "#67a9cf",
    "HGV": "#8c6bb1",
    "MRBM": "#fdb863",
    "SRBM": "#999999",
    "SLV": "#1b7837",
    "Unknown": "#d9d9d9",
}
CHART_SIZE_INCHES = (8.0, 4.5)
CHART_DPI = 100  # 800 x 450 px: legible at Discord's preview size


@dataclass(frozen=True)
class YearlyStats:
    """Counts per year and kind, plus the launch days per year by leading system class."""

    years: tuple[int, ...]
    by_kind: dict[str, Counter[int]]
    launch_days_by_class: dict[str, Counter[int]]
    nuclear_test_years: tuple[float, ...]
    resolution_years: tuple[float, ...]

    def total(self, kind: str) -> int:
        return sum(self.by_kind.get(kind, Counter()).values())


def leading_class(classes: Sequence[str]) -> str:
    ranked = [c for c in CLASS_ORDER if c in classes]
    return ranked[0] if ranked else "Unknown"


def _fractional_year(point: StatPoint) -> float:
    month = (point.date.month or 7) - 1
    day = (point.date.day or 15) - 1
    return point.date.year + (month + day / 31) / 12


def yearly_stats(
    points: Sequence[StatPoint], from_year: int | None = None, to_year: int | None = None
) -> YearlyStats:
    by_kind: dict[str, Counter[int]] = defaultdict(Counter)
    by_class: dict[str, Counter[int]] = defaultdict(Counter)
    for point in points:
        by_kind[point.kind][point.date.year] += 1
        if point.kind in ("missile_launch", "satellite_launch"):
            by_class[leading_class(point.system_classes)][point.date.year] += 1
    observed = [p.date.year for p in points]
    first = from_year if from_year is not None else min(observed, default=2000)
    last = to_year if to_year is not None else max(observed, default=first)
    return YearlyStats(
        years=tuple(range(first, last + 1)),
        by_kind=dict(by_kind),
        launch_days_by_class=dict(by_class),
        nuclear_test_years=tuple(_fractional_year(p) for p in points if p.kind == "nuclear_test"),
        resolution_years=tuple(_fractional_year(p) for p in points if p.kind == "un_resolution"),
    )


def summary_lines(stats: YearlyStats) -> list[str]:
    """One line per kind with its total, in the order of KIND_LABELS."""
    return [f"{KIND_LABELS[kind]}: **{stats.total(kind):,}**" for kind in KIND_LABELS if stats.total(kind)]


def _on_bar(fractional_year: float) -> float:
    """Where in its year's bar (centred on the year, 0.8 wide) a date falls."""
    year = int(fractional_year)
    return year - 0.4 + 0.8 * (fractional_year - year)


def render_chart(stats: YearlyStats, title: str) -> bytes:
    """A PNG: launch days per year stacked by system class, nuclear tests and UNSC resolutions marked."""
    # matplotlib is half the bot's memory: imported when the first chart is drawn, not at start-up.
    # Figure draws with the Agg canvas itself (no pyplot, no display).
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    figure = Figure(figsize=CHART_SIZE_INCHES, dpi=CHART_DPI)
    axes = figure.add_subplot()
    years = list(stats.years)
    bottom = [0] * len(years)
    handles: list[Patch | Line2D] = []
    for system_class in reversed(CLASS_ORDER):
        counts = stats.launch_days_by_class.get(system_class)
        if not counts:
            continue
        heights = [counts.get(year, 0) for year in years]
        axes.bar(years, heights, bottom=bottom, color=CLASS_COLOURS[system_class], width=0.8, linewidth=0)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        handles.insert(0, Patch(color=CLASS_COLOURS[system_class], label=system_class))
    top = max(bottom, default=0) or 1
    for x in stats.nuclear_test_years:
        axes.axvline(_on_bar(x), color="black", linewidth=1.2, linestyle="--")
    if stats.nuclear_test_years:
        handles.append(Line2D([], [], color="black", linestyle="--", label="Nuclear test"))
    if stats.resolution_years:
        axes.scatter(
            [_on_bar(x) for x in stats.resolution_years],
            [top * 1.05] * len(stats.resolution_years),
            marker="v",
            color="#2166ac",
            zorder=3,
            s=28,
        )
        handles.append(Line2D([], [], color="#2166ac", marker="v", linestyle="", label="UNSC resolution"))
    axes.set_ylim(0, top * 1.15)
    if years:
        axes.set_xlim(years[0] - 0.8, years[-1] + 0.8)
    axes.set_title(title, fontsize=12)
    axes.set_ylabel("Launch days per year")
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    if handles:
        axes.legend(handles=handles, fontsize=8, loc="upper left", frameon=False, ncol=2)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
