"""Loading and checking the human-edited dataset in `data/facts/*.toml`.

`python -m bot.dataset check [FILE ...]` prints every problem at once; with files named, links to ids
in other files are not checked. The check also applies the source policy (bot.dataset.sources):
denylisted hosts and tag pages are problems, facts sourced only by a database landing page are
warnings. Loading for a seed applies the record rules only.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.dataset.sources import DENYLIST_FILE, SourcePolicy, check_sources
from bot.facts.model.fact import Category, Fact, FactDate, InvalidFact, dangling_links, parse_fact

# The dataset shipped with the code: data/ beside bot/.
DEFAULT_DATASET_DIR = Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True)
class Dataset:
    """Every fact of the dataset, with its version."""

    version: str
    facts: tuple[Fact, ...]
    complete_to: Mapping[str, str] = field(default_factory=dict)  # category -> YYYY-MM


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


def read_facts_file(path: Path, today: date | None = None) -> FactsFile:
    """Read one dataset file; problems are prefixed with the file name and the fact. Every dataset
    fact says when it was last `checked` against its sources, and not after `today` (UTC by default)."""
    today = today or datetime.now(UTC).date()
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
        problems = []
        if isinstance(record, dict) and record.get("checked") in (None, ""):
            problems.append('checked is missing (the month it was last checked: checked = "YYYY-MM")')
        try:
            fact = parse_fact(record, today=today)
        except InvalidFact as error:
            problems += error.problems
        else:
            if not problems:
                result.facts.append(fact)
        result.problems.extend(f"{path.name}: fact {position} ({label or 'no id'}): {p}" for p in problems)
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
    version, complete_to = "unversioned", dict[str, str]()
    try:
        meta = tomllib.loads((dataset_dir / "dataset.toml").read_text("utf-8"))
        version = str(meta["version"])
        # Optional (small datasets made for tests have none); when given, every category says its month.
        complete_to, coverage_problems = (
            _complete_to(meta["complete_to"]) if "complete_to" in meta else ({}, [])
        )
        problems += coverage_problems
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        problems.append(f"dataset.toml: no readable version ({error})")
    if problems:
        raise DatasetError(problems)
    return Dataset(version, tuple(fact for f in files for fact in f.facts), complete_to)


def _complete_to(table: Any) -> tuple[dict[str, str], list[str]]:
    """Each category's completeness month from dataset.toml's [complete_to], checked."""
    if not isinstance(table, Mapping):
        return {}, ['dataset.toml: [complete_to] must be a table of category = "YYYY-MM"']
    complete_to, problems = {}, []
    for category in Category:
        value = table.get(category.value)
        try:
            FactDate.parse(str(value))
            if not re.fullmatch(r"\d{4}-\d{2}", str(value)):
                raise ValueError
        except ValueError:
            problems.append(f'dataset.toml: complete_to.{category.value} must be a month like "2026-04"')
            continue
        complete_to[category.value] = str(value)
    return complete_to, problems


@dataclass(frozen=True)
class CheckReport:
    """What `python -m bot.dataset check` found: record problems and source refusals (both fail the
    check), landing-page warnings (reported only), and the facts refused by the source policy."""

    facts: tuple[Fact, ...]
    problems: tuple[str, ...]
    warnings: tuple[str, ...]
    source_offenders: tuple[str, ...]

    def lines(self) -> list[str]:
        lines = [*self.problems, *(f"warning: {w}" for w in self.warnings)]
        lines.append(
            f"{len(self.source_offenders)} fact(s) cite a denylisted host ({DENYLIST_FILE}) or a tag page"
        )
        lines.append(
            f"{len(self.facts)} facts checked, {len(self.problems)} problem(s), {len(self.warnings)} warning(s)"
        )
        return lines


def check_dataset(dataset_dir: Path, files: list[Path] | None = None) -> CheckReport:
    """The full check of the dataset in `dataset_dir` (or of some files, with the policy of
    `dataset_dir`, and without checking links to ids in other files)."""
    if files:
        read = [read_facts_file(path) for path in files]
        facts = [fact for f in read for fact in f.facts]
        problems = [p for f in read for p in f.problems] + check_across_files(read, check_links=False)
    else:
        try:
            facts, problems = list(load_dataset(dataset_dir).facts), []
        except DatasetError as error:
            # Still apply the source policy to every readable fact, so every problem shows at once.
            facts = [fact for path in fact_files(dataset_dir) for fact in read_facts_file(path).facts]
            problems = list(error.problems)
    sources = check_sources(facts, SourcePolicy.load(dataset_dir))
    return CheckReport(
        facts=tuple(facts),
        problems=(*problems, *sources.refusals),
        warnings=sources.warnings,
        source_offenders=sources.offenders,
    )


def main(argv: list[str], dataset_dir: Path = DEFAULT_DATASET_DIR) -> int:
    if len(argv) < 1 or argv[0] != "check":
        print("usage: python -m bot.dataset check [FILE ...]", file=sys.stderr)
        return 2
    report = check_dataset(dataset_dir, [Path(name) for name in argv[1:]])
    for line in report.lines():
        print(line)
    return 1 if report.problems else 0
