"""How long answering one question takes with nothing remembered: a quick figure to work with, beside the
full `python -m bench` (which measures the bot end to end through the emulator).

    python -m bench.answer_speed                      # the real dataset, every question of tests/data
    python -m bench.answer_speed --facts 100000       # a synthetic store (built once into --directory)
    python -m bench.answer_speed --profile 25         # and cProfile's top 25 functions of one round
    python -m bench.answer_speed --set search_questions --slowest 10   # one set; its slowest questions

Each question of every set is answered in turn, `--rounds` times, after a first round (reported apart)
that reads the vocabularies and each word's matches: by FactService.answer (finding and ranking), and by SearchAnswers with no
memory (what /search does with SEARCH_CACHE_SIZE=0: the answer, its linked facts and its embeds). Time is
wall-clock and this process's CPU (which includes aiosqlite's thread, where SQLite runs).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import pstats
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.answer_identity import question_sets
from bench.report import percentile
from bench.store_scale import build_synthetic_store
from bot.app.settings import DEFAULT_DATASET_DIR
from bot.db.database import Database
from bot.facts.answers import SearchAnswers
from bot.facts.model.query import MAX_QUERY_LENGTH, QueryError
from bot.facts.service import FactService
from bot.facts.store import FactStore

DEFAULT_DIRECTORY = Path("bench/results/stores")


async def _timed(
    questions: list[str], ask: Callable[[str], Awaitable[object]]
) -> tuple[list[float], float, float]:
    """Wall-clock seconds per question, and CPU seconds for them all: the whole process's and this thread's
    (the rest is aiosqlite's thread, running SQLite)."""
    wall: list[float] = []
    cpu_started, thread_started = time.process_time(), time.thread_time()
    for text in questions:
        started = time.perf_counter()
        with contextlib.suppress(QueryError):
            await ask(text)
        wall.append(time.perf_counter() - started)
    return wall, time.process_time() - cpu_started, time.thread_time() - thread_started


def _line(name: str, wall: list[float], cpu: float, thread: float) -> str:
    count = len(wall)
    return (
        f"{name:<22} mean {sum(wall) / count * 1000:6.3f} ms  p50 {percentile(wall, 0.5) * 1000:6.3f} ms"
        f"  p99 {percentile(wall, 0.99) * 1000:7.3f} ms  CPU {cpu / count * 1000:6.3f} ms"
        f" (SQLite's thread {(cpu - thread) / count * 1000:5.3f} ms)"
    )


def _questions(sets: list[str]) -> list[tuple[str, str]]:
    """(set[index], question) of the sets named (all if none), as long as Discord lets through."""
    return [
        (f"{name}[{index}]", text)
        for name, texts in question_sets().items()
        if not sets or name in sets
        for index, text in enumerate(texts)
        if len(text) <= MAX_QUERY_LENGTH
    ]


async def run(path: Path, options: argparse.Namespace) -> None:
    named = _questions(options.set)
    questions = [text for _, text in named]
    rounds, profile = options.rounds, options.profile
    async with Database.open(path) as db:
        store = FactStore(db)
        service = FactService(store)
        drawn = SearchAnswers(db, store, service, size=0)
        print(f"{len(questions)} questions, {rounds} rounds, {path.name}")
        # The first round reads the vocabularies, builds facts and reads each word's matches: reported
        # apart, then every round after it is timed.
        print(_line("first round", *await _timed(questions, service.answer)))
        await _timed(questions, lambda text: drawn.answer(text, None))
        for name, ask in (
            ("FactService.answer", service.answer),
            ("/search drawn afresh", lambda text: drawn.answer(text, None)),
        ):
            wall: list[float] = []
            cpu = thread = 0.0
            for _ in range(rounds):
                round_wall, round_cpu, round_thread = await _timed(questions, ask)
                wall += round_wall
                cpu += round_cpu
                thread += round_thread
            print(_line(name, wall, cpu, thread))
            if options.slowest:
                # By set and position, never by text: some sets are held out and must not be read.
                per_question = [sum(wall[i :: len(questions)]) / rounds for i in range(len(questions))]
                slowest = sorted(range(len(questions)), key=lambda i: -per_question[i])[: options.slowest]
                print(
                    "  slowest: "
                    + ", ".join(f"{named[i][0]} {per_question[i] * 1000:.1f} ms" for i in slowest)
                )
        if profile:
            profiler = cProfile.Profile(time.process_time)  # CPU: the machine may be shared
            profiler.enable()
            await _timed(questions, service.answer)
            profiler.disable()
            for order in ("tottime", "cumtime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(profile)
                print(out.getvalue())


async def main_async(options: argparse.Namespace) -> None:
    if options.facts:
        options.directory.mkdir(parents=True, exist_ok=True)
        await run(await build_synthetic_store(options.directory, options.facts), options)
        return
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "facts.db"
        async with Database.open(path) as db:
            await FactService(FactStore(db)).seed_from_dataset(DEFAULT_DATASET_DIR)
        await run(path, options)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.answer_speed", description=__doc__)
    parser.add_argument("--facts", type=int, default=0, help="a synthetic store of this many facts")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds over every question")
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N functions")
    parser.add_argument("--set", action="append", default=[], help="only this question set (repeatable)")
    parser.add_argument("--slowest", type=int, default=0, help="name the N slowest questions")
    parser.add_argument(
        "--directory", type=Path, default=DEFAULT_DIRECTORY, help="where synthetic stores are kept"
    )
    options = parser.parse_args()
    asyncio.run(main_async(options))


if __name__ == "__main__":
    main()
