"""Drawing /stats and /map pictures off the event loop, remembered per options and facts version."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.clock import Clock
from bot.facts.model.fact import Fact
from bot.facts.store import FactStore
from bot.stats import theme
from bot.stats.chart import render_stats
from bot.stats.map import render_map
from bot.stats.model import geo, series
from bot.stats.model.series import CATEGORIES, StatsSeries

CACHE_SIZE = 64


@dataclass(frozen=True)
class StatsPicture:
    png: bytes
    alt: str
    series: StatsSeries


@dataclass(frozen=True)
class MapPicture:
    png: bytes
    alt: str
    launch_map: geo.LaunchMap


def map_alt_text(launch_map: geo.LaunchMap, span: str) -> str:
    """One sentence with the map's key numbers."""
    busiest = ", ".join(f"{s.facility.name} ({s.days})" for s in launch_map.sites[:3])
    text = (
        f"Map of North Korea's launch sites, {span}: {launch_map.launch_days} launch days from "
        f"{len(launch_map.sites)} sites"
        + (f", most from {busiest}" if busiest else "")
        + f"; {len(launch_map.arcs)} flights drawn as arcs along their bearing for their distance."
    )
    if launch_map.unplaced:
        text += f" {launch_map.unplaced} launch days have no located site."
    return text[:1024]


def load_drawing_tools() -> None:
    """Import matplotlib and draw a word with its font: the first picture after start-up would otherwise
    pay for both (about a third of a second). Runs in a worker thread at start-up."""
    import io

    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1), dpi=theme.DPI)
    figure.text(0.5, 0.5, "warm", fontsize=8)
    figure.savefig(io.BytesIO(), format="png")


class StatsService:
    """Counts and pictures for /stats and /map. A picture is drawn once per (options, facts version)."""

    def __init__(self, facts: FactStore, clock: Clock, facilities_path: Path) -> None:
        self.facts = facts
        self.clock = clock
        self.facilities_path = facilities_path
        self._facilities: geo.Facilities | None = None
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    async def _remembered(self, key: tuple[Any, ...], draw: Callable[[list[Fact]], Any]) -> Any:
        key = (*key, await self.facts.db.facts_version())
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        facts = await self.facts.all_facts()
        picture = await asyncio.to_thread(draw, facts)
        self._cache[key] = picture
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return picture

    async def stats(self, category: str | None, from_year: int | None, to_year: int | None) -> StatsPicture:
        """The chart of one category (or all three, aligned) between the years given."""
        today = self.clock.now()
        categories = (category,) if category else CATEGORIES

        def draw(facts: list[Fact]) -> StatsPicture:
            counted = series.build_series(facts, categories, from_year, to_year, today.year, today.month)
            what = {"tests": "launch days", "sanctions": "sanctions measures", "talks": "talks"}
            subject = what[category] if category else "tests, sanctions and talks"
            per = "month" if counted.by_month else "year"
            title = f"North Korea: {subject} per {per}, {counted.span}"
            return StatsPicture(render_stats(counted, title), series.alt_text(counted), counted)

        key = ("stats", category, from_year, to_year, today.year, today.month)
        picture: StatsPicture = await self._remembered(key, draw)
        return picture

    def facilities(self) -> geo.Facilities:
        if self._facilities is None:
            self._facilities = geo.load_facilities(self.facilities_path)
        return self._facilities

    async def launch_map(
        self, from_year: int | None, to_year: int | None, system_class: str | None
    ) -> MapPicture:
        """The launch sites and flights of the launch days between the years given, of one class or all."""
        facilities = self.facilities()

        def draw(facts: list[Fact]) -> MapPicture:
            chosen = [
                f
                for f in facts
                if f.kind in ("missile_launch", "satellite_launch")
                and (from_year is None or f.date.year >= from_year)
                and (to_year is None or f.date.year <= to_year)
                and (system_class is None or system_class in f.figures.get("system_classes", ()))
            ]
            years = [f.date.year for f in chosen]
            first, last = from_year or min(years, default=0), to_year or max(years, default=0)
            span = str(first) if first == last else f"{first}–{last}"
            launch_map = geo.build_map(chosen, facilities)
            what = f"{system_class} launch" if system_class else "launch"
            title = f"North Korea: {what} sites and flights, {span}"
            return MapPicture(render_map(launch_map, title), map_alt_text(launch_map, span), launch_map)

        picture: MapPicture = await self._remembered(("map", from_year, to_year, system_class), draw)
        return picture
