"""What /map draws: launch sites sized by launch days and the flights as great-circle arcs."""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.facts.model.fact import Fact
from bot.stats.model.series import leading_class

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
# North Korea's part of the peninsula, with a margin: every launch site must lie inside it.
DPRK_BOUNDS = {"lat": (37.5, 43.1), "lon": (124.1, 130.8)}


@dataclass(frozen=True)
class Facility:
    """A launch site with its coordinates (decimal degrees) and the source of them."""

    id: str
    name: str
    lat: float
    lon: float
    source: str


@dataclass(frozen=True)
class Facilities:
    by_name: dict[str, Facility]
    unlocated: frozenset[str]


def load_facilities(path: Path) -> Facilities:
    """The launch sites in `data/facilities.toml`, by the name launch facts use."""
    data = tomllib.loads(path.read_text("utf-8"))
    sites = [
        Facility(str(f["id"]), str(f["name"]), float(f["lat"]), float(f["lon"]), str(f["source"]))
        for f in data.get("facility", [])
    ]
    return Facilities({s.name: s for s in sites}, frozenset(data.get("unlocated", [])))


def site_names(facility_figure: str) -> list[str]:
    """The sites a launch's `facility` figure names ("A / B" names two)."""
    return [name.strip() for name in facility_figure.split(" / ") if name.strip()]


def destination(lat: float, lon: float, bearing_deg: float, distance_km: float) -> tuple[float, float]:
    """The point reached from (lat, lon) going `distance_km` along the great circle at `bearing_deg`."""
    phi1, lambda1 = math.radians(lat), math.radians(lon)
    theta, delta = math.radians(bearing_deg), distance_km / EARTH_RADIUS_KM
    phi2 = math.asin(math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta))
    lambda2 = lambda1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1), math.cos(delta) - math.sin(phi1) * math.sin(phi2)
    )
    return math.degrees(phi2), (math.degrees(lambda2) + 540) % 360 - 180


def great_circle(
    lat: float, lon: float, bearing_deg: float, distance_km: float, steps: int = 24
) -> list[tuple[float, float]]:
    """Points (lat, lon) along the flight, from the site to the end point."""
    return [destination(lat, lon, bearing_deg, distance_km * i / steps) for i in range(steps + 1)]


@dataclass(frozen=True)
class Site:
    """A launch site on the map: its launch days in the range, by leading class."""

    facility: Facility
    days_by_class: dict[str, int]

    @property
    def days(self) -> int:
        return sum(self.days_by_class.values())

    @property
    def main_class(self) -> str:
        return max(self.days_by_class.items(), key=lambda item: (item[1], item[0]))[0]


@dataclass(frozen=True)
class Arc:
    """One launch day's farthest flight: from its site along its bearing for its distance."""

    fact_id: str
    system_class: str
    start: tuple[float, float]
    end: tuple[float, float]
    bearing_deg: float
    distance_km: float


@dataclass(frozen=True)
class LaunchMap:
    sites: tuple[Site, ...]
    arcs: tuple[Arc, ...]
    launch_days: int
    unplaced: int  # launch days with no located site


def build_map(facts: Sequence[Fact], facilities: Facilities) -> LaunchMap:
    """Sites and arcs for these launch facts. A day from several sites counts once at each; its arc
    starts at the first site named."""
    launches = [f for f in facts if f.kind in ("missile_launch", "satellite_launch")]
    by_site: dict[str, Counter[str]] = {}
    arcs: list[Arc] = []
    unplaced = 0
    for fact in launches:
        system_class = leading_class(fact.figures.get("system_classes", ()))
        located = [
            facilities.by_name[name]
            for name in site_names(str(fact.figures.get("facility", "")))
            if name in facilities.by_name
        ]
        if not located:
            unplaced += 1
            continue
        for site in located:
            by_site.setdefault(site.name, Counter())[system_class] += 1
        bearing, distance = fact.figures.get("bearing_deg"), fact.figures.get("distance_km")
        if bearing is not None and distance:
            start = located[0]
            arcs.append(
                Arc(
                    fact.id,
                    system_class,
                    (start.lat, start.lon),
                    destination(start.lat, start.lon, bearing, distance),
                    float(bearing),
                    float(distance),
                )
            )
    sites = tuple(
        sorted(
            (Site(facilities.by_name[name], dict(days)) for name, days in by_site.items()),
            key=lambda s: (-s.days, s.facility.name),
        )
    )
    return LaunchMap(sites, tuple(arcs), len(launches), unplaced)
