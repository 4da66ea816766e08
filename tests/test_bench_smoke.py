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
