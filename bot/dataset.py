"""Loading and checking the human-edited dataset in `data/facts/*.toml`.

`python -m bot.dataset check [FILE ...]` prints every problem at once; with files named, links to ids
in other files are not checked.
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.facts import Fact, InvalidFact, dangling_links, parse_fact


@dataclass(frozen=True)
class Dataset:
    """Every fact of the dataset, with its version."""

    version: str
    facts: tuple[Fact, ...]


class DatasetError(ValueError):
    """The dataset has problems; `problems` lists each with its file and fact."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the dataset:\n" + "\n".join(problems))
        self.problems = problems


def fact_files(dataset_dir: Path) -> list[Path]:
    return sorted((dataset_dir / "facts").glob("*.toml"))


def read_facts_file(path: Path) -> tuple[list[Fact], list[str]]:
    """Facts in one file, and every problem found in it (prefixed with the file and fact)."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return [], [f"{path.name}: cannot be read: {error}"]
    records = document.get("fact", [])
    if not isinstance(records, list):
        return [], [f"{path.name}: facts must be written as [[fact]] tables"]
    facts, problems = [], []
    for position, record in enumerate(records, start=1):
        label = record.get("id") if isinstance(record, dict) else None
        try:
            facts.append(parse_fact(record))
        except InvalidFact as error:
            problems += [f"{path.name}: fact {position} ({label or 'no id'}): {p}" for p in error.problems]
    return facts, problems


def check_facts(facts: list[Fact], check_links: bool = True) -> list[str]:
    """Problems across facts: duplicate ids and (optionally) links to unknown ids."""
    counts = Counter(f.id for f in facts)
    problems = [f"duplicate id {fact_id!r} ({n} times)" for fact_id, n in counts.items() if n > 1]
    if check_links:
        problems += dangling_links(facts, set(counts))
    return problems


def load_dataset(dataset_dir: Path) -> Dataset:
    """Load and fully check the dataset; raise DatasetError listing every problem."""
    files = fact_files(dataset_dir)
    facts: list[Fact] = []
    problems = [] if files else [f"no fact files found in {dataset_dir / 'facts'}"]
    for path in files:
        file_facts, file_problems = read_facts_file(path)
        facts += file_facts
        problems += file_problems
    problems += check_facts(facts)
    version = "unversioned"
    try:
        version = str(tomllib.loads((dataset_dir / "dataset.toml").read_text("utf-8"))["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        problems.append(f"dataset.toml: no readable version ({error})")
    if problems:
        raise DatasetError(problems)
    return Dataset(version=version, facts=tuple(facts))


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] != "check":
        print("usage: python -m bot.dataset check [FILE ...]", file=sys.stderr)
        return 2
    from bot.settings import DEFAULT_DATASET_DIR

    if argv[1:]:
        facts, problems = [], []
        for name in argv[1:]:
            file_facts, file_problems = read_facts_file(Path(name))
            facts += file_facts
            problems += file_problems
        problems += check_facts(facts, check_links=False)
    else:
        try:
            facts = list(load_dataset(DEFAULT_DATASET_DIR).facts)
            problems = []
        except DatasetError as error:
            facts, problems = [], error.problems
    for problem in problems:
        print(problem)
    print(f"{len(facts)} facts checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
