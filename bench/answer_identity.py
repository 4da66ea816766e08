"""What FactService.answer says for every question of tests/data/*.toml, to check that a speed change
leaves every answer as it was.

    python -m bench.answer_identity --out bench/results/answers-before.json
    python -m bench.answer_identity --compare bench/results/answers-before.json

Each question is answered against a freshly seeded temporary database; an answer is recorded as its kind,
count, first five fact ids, suggestions, lead line, whether it is a refusal, and its confidence to three
places, with the first five ids of the plain ranked list (FactService.search). Answers are keyed by set and position, never printed with their question (some sets are held
out: their questions must not be read while working on the engine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from bot.app.settings import DEFAULT_DATASET_DIR, PROJECT_ROOT
from bot.db.database import Database
from bot.facts.model.query import QueryError
from bot.facts.service import FactService
from bot.facts.store import FactStore

QUESTION_FILES = sorted((PROJECT_ROOT / "tests" / "data").glob("*.toml"))


def question_sets() -> dict[str, list[str]]:
    """Every question of every set, by set name (the file's stem), in file order."""
    return {
        path.stem: [item["question"] for item in tomllib.loads(path.read_text("utf-8"))["q"]]
        for path in QUESTION_FILES
    }


async def record(service: FactService, text: str) -> dict[str, Any]:
    try:
        answer = await service.answer(text)
    except QueryError as error:
        return {"error": type(error).__name__}
    try:  # the plain ranked list too (`python -m bot search`, the quality tests' first measure)
        ranked = [result.fact.id for result in await service.search(text, limit=5)]
    except QueryError as error:
        ranked = [type(error).__name__]
    return {
        "search": ranked,
        "kind": answer.kind,
        "count": answer.count,
        "top5": [fact.id for fact in answer.facts[:5]],
        "suggestions": [fact.id for fact in answer.suggestions],
        "lead": answer.lead,
        "refused": answer.refused,
        "confidence": round(answer.confidence, 3),
    }


async def answers() -> dict[str, list[dict[str, Any]]]:
    with tempfile.TemporaryDirectory() as directory:
        async with Database.open(Path(directory) / "facts.db") as db:
            service = FactService(FactStore(db))
            await service.seed_from_dataset(DEFAULT_DATASET_DIR)
            return {
                name: [await record(service, text) for text in questions]
                for name, questions in question_sets().items()
            }


def differences(before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]]) -> list[str]:
    """One line per answer that changed, named by set and position (never by its question)."""
    lines = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name, []), after.get(name, [])
        if len(old) != len(new):
            lines.append(f"{name}: {len(old)} answers before, {len(new)} now")
        for index, (was, now) in enumerate(zip(old, new, strict=False)):
            changed = {key for key in was.keys() | now.keys() if was.get(key) != now.get(key)}
            for key in sorted(changed):
                lines.append(f"{name}[{index}].{key}: {was.get(key)!r} -> {now.get(key)!r}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.answer_identity", description=__doc__)
    parser.add_argument("--out", type=Path, help="write the answers to this JSON file")
    parser.add_argument("--compare", type=Path, help="compare with answers written earlier")
    options = parser.parse_args()
    found = asyncio.run(answers())
    total = sum(len(v) for v in found.values())
    if options.out:
        options.out.parent.mkdir(parents=True, exist_ok=True)
        options.out.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"{total} answers written to {options.out}")
    if options.compare:
        lines = differences(json.loads(options.compare.read_text("utf-8")), found)
        print("\n".join(lines) if lines else f"all {total} answers identical to {options.compare}")
        return 1 if lines else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
