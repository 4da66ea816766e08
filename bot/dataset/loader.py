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

from bot.facts.model.fact import Fact, InvalidFact, dangling_links, parse_fact

# The dataset shipped with the code: data/ beside bot/.
DEFAULT_DATASET_DIR = Path(__file__).resolve().parents[2] / "data"


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


@dataclass(frozen=True)
class FactsFile:
    """What one file holds: its valid facts, every problem, and the ids of all its records (valid or
    not, so a duplicate id is caught even when one copy has other problems)."""

    facts: list[Fact]
    problems: list[str]
    ids: list[str]


def read_facts_file(path: Path) -> FactsFile:
    """Read one dataset file; problems are prefixed with the file name and the fact."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return FactsFile([], [f"{path.name}: cannot be read: {error}"], [])
    records = document.get("fact", [])
    if not isinstance(records, list):
        return FactsFile([], [f"{path.name}: facts must be written as [[fact]] tables"], [])
    result = FactsFile([], [], [])
    for position, record in enumerate(records, start=1):
        label = record.get("id") if isinstance(record, dict) else None
        if isinstance(label, str):
            result.ids.append(label)
        try:
            result.facts.append(parse_fact(record))
        except InvalidFact as error:
            result.problems.extend(
                f"{path.name}: fact {position} ({label or 'no id'}): {p}" for p in error.problems
            )
    return result


def check_across_files(files: list[FactsFile], check_links: bool = True) -> list[str]:
    """Problems across files: duplicate ids and (optionally) links to unknown ids."""
    counts = Counter(fact_id for f in files for fact_id in f.ids)
    problems = [f"duplicate id {fact_id!r} ({n} times)" for fact_id, n in counts.items() if n > 1]
    if check_links:
        problems += dangling_links([fact for f in files for fact in f.facts], set(counts))
    return problems


def load_dataset(dataset_dir: Path) -> Dataset:
    """Load and fully check the dataset; raise DatasetError listing every problem."""
    paths = fact_files(dataset_dir)
    files = [read_facts_file(path) for path in paths]
    problems = [] if paths else [f"no fact files found in {dataset_dir / 'facts'}"]
    problems += [p for f in files for p in f.problems]
    problems += check_across_files(files)
    version = "unversioned"
    try:
        version = str(tomllib.loads((dataset_dir / "dataset.toml").read_text("utf-8"))["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        problems.append(f"dataset.toml: no readable version ({error})")
    if problems:
        raise DatasetError(problems)
    return Dataset(version=version, facts=tuple(fact for f in files for fact in f.facts))


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] != "check":
        print("usage: python -m bot.dataset check [FILE ...]", file=sys.stderr)
        return 2
    if argv[1:]:
        files = [read_facts_file(Path(name)) for name in argv[1:]]
        facts = [fact for f in files for fact in f.facts]
        problems = [p for f in files for p in f.problems] + check_across_files(files, check_links=False)
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
