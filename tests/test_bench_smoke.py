"""`python -m bench --smoke` keeps working: it completes and writes valid JSON with every figure.

Never asserts on time: the figures are measured on shared machines and only compared within a run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.__main__ import FIGURES
from bot.app.settings import PROJECT_ROOT

SMOKE_TIMEOUT_SECONDS = 180


def test_smoke_run_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT_SECONDS,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    document = json.loads(out.read_text())
    assert document["format"] == "dprk-watch-bench"
    assert document["mode"] == "smoke"
    assert {"cpu", "cores", "python", "packages"} <= set(document["machine"])
    assert set(document["figures"]) == set(FIGURES)
    for name, figure in document["figures"].items():
        assert figure["error"] is None, f"{name}: {figure['error']}"
        assert figure["rows"], f"{name} has no rows"
        for row in figure["rows"]:
            assert {"name", "value", "unit", "reference", "ratio", "target", "met"} <= set(row)
            assert isinstance(row["value"], int | float)
    assert "ratio" in completed.stdout  # the table was printed


def test_the_readme_table_is_written_from_a_results_file(tmp_path: Path) -> None:
    from bench.readme import update_readme
    from bench.report import FigureResult, Row, machine_info, write_json

    figure = FigureResult("latency", "Latency")
    figure.rows.append(
        Row("latency", "/search p50, single flight", 0.7, "ms", 0.4, "/null", "≤ /null + 2 ms", True)
    )
    results = tmp_path / "latest.json"
    write_json(results, "full", [figure], 1.0)
    readme = tmp_path / "README.md"
    readme.write_text("# T\n<!-- bench-table -->\nold table\n<!-- /bench-table -->\nafter\n")
    assert update_readme(readme, json.loads(results.read_text()))
    text = readme.read_text()
    assert "old table" not in text
    assert text.endswith("<!-- /bench-table -->\nafter\n")
    row = next(line for line in text.splitlines() if line.startswith("/search p50"))
    assert "0.7 ms" in row
    assert "0.4 ms (/null)" in row
    assert "1.75" in row
    assert row.rstrip().endswith("yes")
    assert f"Python {machine_info()['python']}" in text


def test_the_readme_has_the_generated_table_markers() -> None:
    text = (PROJECT_ROOT / "README.md").read_text()
    assert text.count("<!-- bench-table -->") == 1
    assert text.count("<!-- /bench-table -->") == 1
