"""The /stats chart: stacked bars per year (or month) for each category, on one shared time axis.

matplotlib's Agg canvas, no display; callers run `render_stats` in a worker thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.stats import theme
from bot.stats.model.series import UNITS, StatsSeries

if TYPE_CHECKING:
    from matplotlib.axes import Axes

BAR_WIDTH = 0.8
PANEL_HEIGHT_INCHES = 3.0
MARKER_ROW_INCHES = 0.55
MAX_TICK_LABELS = 22


def _ticks(series: StatsSeries) -> tuple[list[float], list[str]]:
    count = series.bucket_count
    if series.by_month:
        step = 1 if count <= 12 else 2
    else:
        step = next(s for s in (1, 2, 5, 10, 20, 50) if count / s <= MAX_TICK_LABELS)
    indexes = [i for i in range(count) if i % step == 0 or (series.partial == i)]
    labels = [series.bucket_label(i) + ("*" if i == series.partial else "") for i in indexes]
    return [i + 0.5 for i in indexes], labels


def _bars(axes: Axes, series: StatsSeries, category: str) -> None:
    from matplotlib.ticker import MaxNLocator

    panel = series.panel(category)
    positions = [i + 0.5 for i in range(series.bucket_count)]
    bottom = [0] * series.bucket_count
    for group in panel.groups:
        heights = panel.counts[group]
        # Only the buckets with a count: an empty bar is still a patch to lay out and draw, and most of a
        # forty-year panel's group-by-year cells are empty.
        drawn = [i for i, height in enumerate(heights) if height] or [0]
        axes.bar(
            [positions[i] for i in drawn],
            [heights[i] for i in drawn],
            bottom=[bottom[i] for i in drawn],
            width=BAR_WIDTH,
            color=theme.COLOURS[group],
            label=f"{group} ({panel.total(group)})",
            linewidth=0,
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    top = max(bottom, default=0) or 1
    axes.set_ylim(0, top * 1.18)
    per = "month" if series.by_month else "year"
    axes.set_ylabel(f"{UNITS[category].capitalize()} per {per}", fontsize=9)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", color=theme.GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    if panel.groups:
        legend = axes.legend(fontsize=7, loc="upper left", frameon=False, ncol=min(4, len(panel.groups)))
        for text in legend.get_texts():
            text.set_color(theme.TEXT)
    if category == "tests":
        for marker in series.nuclear_tests:
            axes.axvline(marker.position, color=theme.NUCLEAR_LINE, linewidth=1.1, linestyle="--")
            axes.text(
                marker.position,
                top * 1.16,
                marker.label,
                color=theme.NUCLEAR_LINE,
                fontsize=7,
                ha="center",
                va="top",
                bbox={"facecolor": theme.PANEL, "edgecolor": "none", "pad": 0.5},
            )


def _resolution_row(axes: Axes, series: StatsSeries) -> None:
    positions = [m.position for m in series.resolutions]
    axes.scatter(positions, [0.5] * len(positions), marker="v", s=26, color=theme.RESOLUTION_MARKER, zorder=3)
    axes.set_ylim(0, 1)
    axes.set_yticks([])
    axes.set_ylabel("UNSC\nresolutions", fontsize=7, rotation=0, ha="right", va="center")


def _mark_partial(axes: Axes, series: StatsSeries, label: bool) -> None:
    if series.partial is None:
        return
    axes.axvspan(
        series.partial, series.partial + 1, facecolor="none", edgecolor=theme.MUTED, hatch="///", linewidth=0
    )
    if label:
        axes.text(
            series.partial + 0.5, 0.98, "partial", transform=axes.get_xaxis_transform(),
            color=theme.MUTED, fontsize=7, ha="center", va="top",
        )  # fmt: skip


def render_stats(series: StatsSeries, title: str) -> bytes:
    """A PNG 1600 px wide: one panel of stacked bars per category, sharing the time axis; in the tests
    panel the nuclear tests as numbered dashed lines, and the UNSC resolutions on a row of their own."""
    from matplotlib.figure import Figure

    categories = [p.category for p in series.panels]
    rows: list[str] = (["resolutions"] if "tests" in categories else []) + categories
    heights = [MARKER_ROW_INCHES if row == "resolutions" else PANEL_HEIGHT_INCHES for row in rows]
    figure = Figure(figsize=(theme.WIDTH_INCHES, sum(heights) + 0.9), dpi=theme.DPI)
    figure.patch.set_facecolor(theme.BACKGROUND)
    grid = figure.add_gridspec(len(rows), 1, height_ratios=heights, hspace=0.12)
    first: Axes | None = None
    axes_list: list[Axes] = []
    for index, row in enumerate(rows):
        axes = figure.add_subplot(grid[index], sharex=first)
        first = first or axes
        axes_list.append(axes)
        theme.style_axes(axes)
        if row == "resolutions":
            _resolution_row(axes, series)
        else:
            _bars(axes, series, row)
            if len(categories) > 1:
                axes.set_title(row.capitalize(), fontsize=9, loc="right", color=theme.MUTED, pad=2)
        _mark_partial(axes, series, label=index == len(rows) - 1)
        if index < len(rows) - 1:
            axes.tick_params(labelbottom=False)
    last = axes_list[-1]
    ticks, labels = _ticks(series)
    last.set_xticks(ticks, labels, rotation=45 if series.by_month or len(labels) > 12 else 0, ha="right")
    last.set_xlim(0, series.bucket_count)
    figure.suptitle(title, color=theme.TEXT, fontsize=12)
    if series.partial is not None:
        figure.text(0.99, 0.005, "* still running: partial count", color=theme.MUTED, fontsize=7, ha="right")
    figure.subplots_adjust(left=0.11, right=0.98, top=1 - 0.55 / (sum(heights) + 0.9), bottom=0.1)
    return theme.png(figure)
