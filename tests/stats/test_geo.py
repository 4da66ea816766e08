"""The map's data: facility coordinates as sourced facts, and flights from bearing and distance."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bot.dataset.loader import Dataset
from bot.stats import coastlines
from bot.stats.map import LABELLED_SITES, draw_map, extent, render_map
from bot.stats.model import geo

FACILITIES = Path(__file__).resolve().parents[2] / "data" / "facilities.toml"
CNS = "https://www.nti.org/analysis/articles/cns-north-korea-missile-test-database/"


@pytest.fixture(scope="module")
def facilities() -> geo.Facilities:
    return geo.load_facilities(FACILITIES)


def test_every_facility_lies_in_north_korea_and_has_a_source(facilities: geo.Facilities) -> None:
    problems = []
    for site in facilities.by_name.values():
        low, high = geo.DPRK_BOUNDS["lat"]
        west, east = geo.DPRK_BOUNDS["lon"]
        if not (low <= site.lat <= high and west <= site.lon <= east):
            problems.append(f"{site.name}: {site.lat}, {site.lon} is outside the peninsula's north")
        if not site.source.startswith("https://"):
            problems.append(f"{site.name}: no source URL")
    assert not problems
    assert len({s.id for s in facilities.by_name.values()}) == len(facilities.by_name)


def test_every_launch_site_is_located_or_listed_as_unlocated(
    facilities: geo.Facilities, dataset: Dataset
) -> None:
    named = {
        name
        for fact in dataset.facts
        if fact.kind in ("missile_launch", "satellite_launch")
        for name in geo.site_names(str(fact.figures.get("facility", "")))
    }
    missing = named - facilities.by_name.keys() - facilities.unlocated
    assert not missing, f"launch sites with no coordinates: {sorted(missing)}"


def test_destination_follows_the_great_circle() -> None:
    # Due east along the equator: a quarter of the circumference is 90 degrees of longitude.
    lat, lon = geo.destination(0, 0, 90, math.pi * geo.EARTH_RADIUS_KM / 2)
    assert (lat, lon) == pytest.approx((0, 90), abs=1e-9)
    # Due north from Sohae: 111.2 km is one degree of latitude.
    lat, lon = geo.destination(39.6596, 124.7057, 0, math.pi * geo.EARTH_RADIUS_KM / 180)
    assert (lat, lon) == pytest.approx((40.6596, 124.7057), abs=1e-9)


def test_the_arc_of_a_known_launch_ends_where_bearing_and_distance_say(
    facilities: geo.Facilities, dataset: Dataset
) -> None:
    # 29 November 2017, Hwasong-15 from Pyongyang International Airport: 950 km at 76 degrees (CNS).
    fact = next(f for f in dataset.facts if f.id == "launch-2017-11-29")
    assert (fact.figures["bearing_deg"], fact.figures["distance_km"]) == (76, 950)
    launch_map = geo.build_map([fact], facilities)
    (arc,) = launch_map.arcs
    site = facilities.by_name[fact.figures["facility"]]
    assert arc.start == (site.lat, site.lon)
    # the same point by the haversine check: 950 km from the start, at bearing 76 degrees
    lat1, lon1, lat2, lon2 = map(math.radians, (site.lat, site.lon, *arc.end))
    central = 2 * math.asin(
        math.sqrt(
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
    )
    assert central * geo.EARTH_RADIUS_KM == pytest.approx(950, abs=1e-6)
    bearing = math.degrees(
        math.atan2(
            math.sin(lon2 - lon1) * math.cos(lat2),
            math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1),
        )
    )
    assert bearing == pytest.approx(76, abs=1e-6)
    assert arc.end == pytest.approx((40.84, 136.85), abs=0.01)  # in the Sea of Japan, west of Aomori


def test_sites_count_launch_days_and_bearings_are_sourced(
    facilities: geo.Facilities, dataset: Dataset
) -> None:
    launches = [f for f in dataset.facts if f.kind in ("missile_launch", "satellite_launch")]
    launch_map = geo.build_map(launches, facilities)
    assert launch_map.launch_days == len(launches)
    assert sum(s.days for s in launch_map.sites) >= launch_map.launch_days - launch_map.unplaced
    with_both = [f for f in launches if "bearing_deg" in f.figures and f.figures.get("distance_km")]
    placed = [
        f
        for f in with_both
        if any(n in facilities.by_name for n in geo.site_names(f.figures.get("facility", "")))
    ]
    assert len(launch_map.arcs) == len(placed) > 100
    for fact in launches:
        if "bearing_deg" in fact.figures:
            assert any("nti.org" in s.url for s in fact.sources), f"{fact.id}: bearing without the CNS source"


def test_coastlines_hold_the_peninsula_and_japan() -> None:
    land = coastlines.land(33.0, 44.0)

    def holds(lat: float, lon: float) -> bool:
        from matplotlib.path import Path as Polygon

        return any(
            Polygon(list(zip(o.lons, o.lats, strict=True))).contains_point((lon, lat))
            for o in land
            if o.lons.min() <= lon <= o.lons.max() and o.lats.min() <= lat <= o.lats.max()
        )

    assert holds(39.02, 125.75)  # Pyongyang
    assert holds(35.68, 139.69)  # Tokyo
    assert not holds(40.0, 134.0)  # the Sea of Japan


def test_the_map_is_drawn_at_twice_the_size(facilities: geo.Facilities, dataset: Dataset) -> None:
    launches = [f for f in dataset.facts if f.kind == "missile_launch" and f.date.year == 2017]
    launch_map = geo.build_map(launches, facilities)
    west, east, south, north = extent(launch_map)
    assert west <= 124.7
    assert south <= 38
    assert east >= 136.6
    assert north >= 41
    png = render_map(launch_map, "2017")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") >= 1600


@pytest.mark.parametrize("years", [None, 2017, 2022])
def test_site_labels_neither_overlap_nor_cover_a_site(
    facilities: geo.Facilities, dataset: Dataset, years: int | None
) -> None:
    """The busiest sites cluster around Pyongyang: their labels must still read, one clear of another."""
    launches = [
        f
        for f in dataset.facts
        if f.kind in ("missile_launch", "satellite_launch") and (years is None or f.date.year == years)
    ]
    launch_map = geo.build_map(launches, facilities)
    figure = draw_map(launch_map, "labels")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    axes = figure.axes[0]
    labels = [t for t in axes.texts if t.get_text().endswith(")") and "(" in t.get_text()]
    assert len(labels) == min(LABELLED_SITES, len(launch_map.sites))
    boxes = [label.get_bbox_patch().get_window_extent(renderer) for label in labels]  # type: ignore[union-attr]
    for i, box in enumerate(boxes):
        for other in boxes[i + 1 :]:
            assert not box.overlaps(other), f"{labels[i].get_text()!r} overlaps another label"
    site_x = [axes.transData.transform((s.facility.lon, s.facility.lat))[0] for s in launch_map.sites]
    for label, box in zip(labels, boxes, strict=True):
        assert box.x1 < min(site_x), f"{label.get_text()!r} covers a launch site"
        assert axes.bbox.contains(box.x0, box.y0)
        assert axes.bbox.contains(box.x1, box.y1)
