"""Colours and sizes shared by the /stats chart and the /map picture.

Okabe-Ito's colour-blind-safe palette on a dark slate background with light text: the picture carries
its own background, so it reads the same on Discord's dark and light themes."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BACKGROUND = "#2b2d31"
PANEL = "#313338"
TEXT = "#ecedef"
MUTED = "#a9acb3"
GRID = "#4e525b"
LAND = "#4a4e57"
COAST = "#8a8f99"
# Okabe & Ito (2008), "Color Universal Design".
ORANGE, SKY_BLUE, GREEN, YELLOW = "#E69F00", "#56B4E9", "#009E73", "#F0E442"
BLUE, VERMILLION, PURPLE, GREY = "#0072B2", "#D55E00", "#CC79A7", "#999999"
BLUE_ON_DARK = "#3d9bd6"  # Okabe-Ito blue lightened to read on the dark background

COLOURS = {
    # launch classes
    "ICBM": VERMILLION,
    "IRBM": ORANGE,
    "SLBM": BLUE_ON_DARK,
    "HGV": PURPLE,
    "MRBM": YELLOW,
    "SRBM": SKY_BLUE,
    "SLV": GREEN,
    "Unknown": GREY,
    # sanctions issuers
    "UN": SKY_BLUE,
    "US": VERMILLION,
    "Japan": PURPLE,
    "South Korea": GREEN,
    "EU": YELLOW,
    "Other": GREY,
    # kinds of talks
    "Agreement": GREEN,
    "Multilateral talks": SKY_BLUE,
    "Summit": ORANGE,
    "Bilateral meeting": PURPLE,
    "Withdrawal or breakdown": VERMILLION,
}
NUCLEAR_LINE = TEXT
RESOLUTION_MARKER = SKY_BLUE

WIDTH_INCHES = 8.0
DPI = 200  # drawn at 2x: 1600 px wide


def style_axes(axes: object) -> None:
    """Light text and ticks, no top or right frame, on the panel colour."""
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    axes.set_facecolor(PANEL)
    axes.tick_params(colors=TEXT, labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(GRID)
    axes.yaxis.label.set_color(TEXT)
    axes.xaxis.label.set_color(TEXT)
    axes.title.set_color(TEXT)


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor=BACKGROUND)
    return buffer.getvalue()
