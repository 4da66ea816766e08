"""Figure 3: search and autocomplete on the real dataset and on a synthetic store of N facts, through
the same code the commands call (FactService.answer, what /search calls; FactStore.autocomplete)."""

from __future__ import annotations

import gc
import time
import tomllib
from dataclasses import replace
from pathlib import Path

from bench.report import FigureResult, percentile
from bench.sizes import Sizes
from bench.synthetic import synthetic_facts
from bot.app.settings import DEFAULT_DATASET_DIR, PROJECT_ROOT
from bot.dataset.loader import load_dataset
from bot.db.database import Database
from bot.facts.service import FactService
from bot.facts.store import FactStore

QUESTIONS = PROJECT_ROOT / "tests" / "data" / "search_questions.toml"
SEARCH_P99_MS = 20.0
AUTOCOMPLETE_P99_MS = 10.0


def synthetic_store_path(directory: Path, count: int) -> Path:
    return directory / f"synthetic-{count}.db"


async def build_synthetic_store(directory: Path, count: int) -> Path:
    """The real dataset plus variants up to `count` facts (built once per run, reused by figure 5)."""
    path = synthetic_store_path(directory, count)
    if path.exists():
        return path
    dataset = load_dataset(DEFAULT_DATASET_DIR)
    facts = [*dataset.facts, *synthetic_facts(dataset.facts, max(0, count - len(dataset.facts)))]
    known = {fact.id for fact in facts}
    # The last batch of variants may be partial: drop links to variants that were not made.
    facts = [
        replace(
            fact,
            related=tuple(t for t in fact.related if t in known),
            responds_to=tuple(t for t in fact.responds_to if t in known),
        )
        for fact in facts
    ]
    building = path.with_suffix(".building")
    async with Database.open(building) as db:
        await FactStore(db).seed(facts, f"{dataset.version}+synthetic{count}")
    building.rename(path)  # only a complete store is ever reused
    return path


def _questions() -> list[dict[str, str]]:
    return list(tomllib.loads(QUESTIONS.read_text())["q"])


def _workload(titles: list[str], count: int) -> tuple[list[str], list[str]]:
    questions = [q["question"] for q in _questions()]
    searches = [questions[i % len(questions)] for i in range(count)]
    # What people type into /fact: the first 1 to 8 letters of a title.
    typed = [titles[i % len(titles)][: 1 + i % 8] for i in range(count)]
    return searches, typed


async def _measure(path: Path, searches: list[str], typed: list[str]) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"search": [], "autocomplete": []}
    # As the bot does once set up (bot.app.client: gc.freeze after setup_hook), what was loaded before the
    # first question (modules, the dataset) is kept out of the collector's full passes; what answering
    # builds (the store's caches, vocabularies) is not, as in the bot.
    gc.collect()
    gc.freeze()
    try:
        return await _measure_store(path, searches, typed, timings)
    finally:
        gc.unfreeze()


async def _measure_store(
    path: Path, searches: list[str], typed: list[str], timings: dict[str, list[float]]
) -> dict[str, list[float]]:
    async with Database.open(path) as db:
        store = FactStore(db)
        service = FactService(store)
        for text in searches[:5] + typed[:5]:  # warm the page cache, statements and the vocabularies
            await service.answer(text)
            await store.autocomplete(text, limit=25)
        for text in searches:
            started = time.perf_counter()
            await service.answer(text)
            timings["search"].append(time.perf_counter() - started)
        for text in typed:
            started = time.perf_counter()
            await store.autocomplete(text, limit=25)
            timings["autocomplete"].append(time.perf_counter() - started)
    return timings


async def _top3_share(path: Path) -> float:
    """Share of the natural questions whose fact (or, in the synthetic store, one of its variants, which
    carry the same words) is among the first three results: what bounding the ranking costs in answers."""
    questions = _questions()
    hits = 0
    async with Database.open(path) as db:
        service = FactService(FactStore(db))
        for item in questions:
            ids = [fact.id for fact in (await service.answer(item["question"])).facts[:3]]
            hits += any(i == item["fact"] or i.startswith(item["fact"] + "-v") for i in ids)
    return hits / len(questions)


async def run(sizes: Sizes, directory: Path) -> FigureResult:
    figure = FigureResult("store", f"3. Store at scale ({sizes.synthetic_facts:,} synthetic facts)")
    dataset = load_dataset(DEFAULT_DATASET_DIR)
    real_path = directory / "store-real.db"
    async with Database.open(real_path) as db:
        await FactService(FactStore(db)).seed_from_dataset(DEFAULT_DATASET_DIR)
    started = time.perf_counter()
    synthetic_path = await build_synthetic_store(directory, sizes.synthetic_facts)
    figure.details["synthetic_build_seconds"] = round(time.perf_counter() - started, 2)
    searches, typed = _workload([fact.title for fact in dataset.facts], sizes.store_queries)
    real = await _measure(real_path, searches, typed)
    synthetic = await _measure(synthetic_path, searches, typed)
    targets = {"search": SEARCH_P99_MS, "autocomplete": AUTOCOMPLETE_P99_MS}
    for operation, limit in targets.items():
        for share, label in ((0.5, "p50"), (0.99, "p99")):
            value = percentile(synthetic[operation], share) * 1000
            reference = percentile(real[operation], share) * 1000
            figure.add(
                f"{operation} {label}, {sizes.synthetic_facts:,} facts",
                value,
                "ms",
                reference=reference,
                reference_name=f"{len(dataset.facts)} real facts",
                target=f"< {limit:g} ms" if label == "p99" else "",
                met=value < limit if label == "p99" else None,
            )
    figure.add(
        f"search top-3 answers, {sizes.synthetic_facts:,} facts",
        await _top3_share(synthetic_path) * 100,
        "%",
        reference=await _top3_share(real_path) * 100,
        reference_name=f"{len(dataset.facts)} real facts",
    )
    figure.details["queries"] = sizes.store_queries
    return figure
