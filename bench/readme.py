"""`python -m bench.readme [RESULTS] [--readme README.md]`: write the README's benchmark table from a
results file (default bench/results/latest.json), between its `<!-- bench-table -->` markers.

The table is never pasted by hand, so it always shows one run's figures together with the machine
they were measured on.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from bench.report import machine_line, results_from_json, table

DEFAULT_RESULTS = Path("bench/results/latest.json")
MARKERS = re.compile(r"(<!-- bench-table -->\n).*?(<!-- /bench-table -->)", re.S)


def rendered_table(document: dict) -> str:
    """The README block: the run's mode and machine, then the table."""
    mode = "Full run" if document["mode"] == "full" else "Smoke run (tiny sizes, not for comparison)"
    return f"{mode}: {machine_line(document)}.\n\n```\n{table(results_from_json(document))}\n```\n"


def update_readme(readme: Path, document: dict) -> bool:
    """Replace the block between the markers; False when the README has no markers."""
    text = readme.read_text("utf-8")
    if not MARKERS.search(text):
        return False
    block = rendered_table(document)
    readme.write_text(MARKERS.sub(lambda m: m[1] + block + m[2], text, count=1), "utf-8")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.readme", description=__doc__)
    parser.add_argument("results", nargs="?", type=Path, default=DEFAULT_RESULTS)
    parser.add_argument("--readme", type=Path, default=Path("README.md"))
    options = parser.parse_args()
    try:
        document = json.loads(options.results.read_text("utf-8"))
    except (OSError, ValueError) as error:
        print(f"cannot read {options.results}: {error} (run `python -m bench` first)")
        return 2
    if not update_readme(options.readme, document):
        print(f"{options.readme} has no <!-- bench-table --> ... <!-- /bench-table --> markers")
        return 2
    print(f"{options.readme}: benchmark table written from {options.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
