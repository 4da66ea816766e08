"""Results: rows of (figure, value, reference, ratio, target, met), the printed table, and the JSON file
with the machine it ran on."""

from __future__ import annotations

import json
import math
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ("discord.py", "aiohttp", "aiosqlite", "matplotlib", "rapidfuzz")


def percentile(values: list[float], share: float) -> float:
    """The `share` (0..1) percentile by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class Row:
    """One measured value beside its reference (measured in the same run) and its target.

    `ratio` is value / reference unless the target is a difference (then `difference` is set too).
    `met` is None when there is no target (reported only).
    """

    figure: str
    name: str
    value: float
    unit: str
    reference: float | None = None
    reference_name: str = ""
    target: str = ""
    met: bool | None = None
    difference: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.reference is None or self.reference == 0:
            return None
        return self.value / self.reference

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"ratio": self.ratio}


@dataclass
class FigureResult:
    """The rows of one figure, and anything worth keeping beside them (counts, lost interactions)."""

    name: str
    title: str
    rows: list[Row] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def add(self, name: str, value: float, unit: str, **kwargs: Any) -> Row:
        row = Row(self.name, name, value, unit, **kwargs)
        self.rows.append(row)
        return row

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "rows": [row.as_json() for row in self.rows],
            "details": self.details,
            "error": self.error,
        }


def machine_info() -> dict[str, Any]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    versions: dict[str, str | None] = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "sqlite": __import__("sqlite3").sqlite_version,
        "packages": versions,
    }


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if value != value:  # NaN
        return "n/a"
    if unit == "MiB":
        return f"{value:,.1f} MiB"
    if unit in ("ms", "s"):
        return f"{value:,.3g} {unit}" if abs(value) < 100 else f"{value:,.0f} {unit}"
    if unit:
        return f"{value:,.4g} {unit}"
    return f"{value:,.4g}"


def table(results: list[FigureResult]) -> str:
    """The printed table: figure, value, reference, ratio, target, met?"""
    header = ("figure", "value", "reference", "ratio", "target", "met?")
    lines: list[tuple[str, ...]] = []
    for result in results:
        if result.error:
            lines.append((f"{result.title}: FAILED", result.error.splitlines()[-1][:60], "", "", "", "no"))
        for row in result.rows:
            ratio = row.ratio
            reference = _number(row.reference, row.unit)
            if row.reference_name and row.reference is not None:
                reference = f"{reference} ({row.reference_name})"
            met = "-" if row.met is None else ("yes" if row.met else "NO")
            lines.append(
                (
                    row.name,
                    _number(row.value, row.unit),
                    reference,
                    "-" if ratio is None else f"{ratio:.2f}",
                    row.target or "(report)",
                    met,
                )
            )
    widths = [max(len(header[i]), *(len(line[i]) for line in lines)) for i in range(len(header))]
    rule = "  ".join("-" * width for width in widths)
    out = ["  ".join(text.ljust(width) for text, width in zip(header, widths, strict=True)), rule]
    out += ["  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)) for line in lines]
    return "\n".join(out)


def write_json(path: Path, mode: str, results: list[FigureResult], elapsed: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "format": "dprk-watch-bench",
        "version": 1,
        "mode": mode,
        "elapsed_seconds": round(elapsed, 3),
        "machine": machine_info(),
        "figures": {result.name: result.as_json() for result in results},
    }
    path.write_text(json.dumps(_finite(document), indent=2, allow_nan=False) + "\n")


def _finite(value: Any) -> Any:
    """NaN and infinities (a figure with no samples) become null: strict JSON has no NaN."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def results_from_json(document: dict[str, Any]) -> list[FigureResult]:
    """The figures of a results file, as the suite measured them (for tables drawn later)."""
    results = []
    for name, figure in document["figures"].items():
        rows = [
            Row(**{key: value for key, value in row.items() if key != "ratio"} | {"figure": name})
            for row in figure["rows"]
        ]
        results.append(FigureResult(name, figure["title"], rows, figure["details"], figure["error"]))
    return results


def machine_line(document: dict[str, Any]) -> str:
    """One line naming the machine and versions a results file was measured on."""
    machine = document["machine"]
    packages = machine.get("packages", {})
    parts = [
        f"{machine.get('cores')}-core {machine.get('cpu') or 'unknown CPU'}",
        f"Python {machine.get('python')}",
        f"SQLite {machine.get('sqlite')}",
        *(f"{name} {version}" for name, version in packages.items() if version),
    ]
    return ", ".join(parts)
