"""`python -m bench [--smoke] [--only NAME ...] [--scenario NAME ...] [--out FILE] [--profile DIR]`."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import time
import traceback
from collections.abc import Awaitable, Callable, Collection
from pathlib import Path

from bench import alert_fanout, fanout, interactions, processes, shards, store_scale
from bench.harness import scratch_directory, seeded_template
from bench.report import FigureResult, table, write_json
from bench.sizes import FULL, SMOKE, Sizes

FIGURES = (
    "emulator", "latency", "throughput", "store", "fanout", "alerts", "memory", "startup", "chart", "shards",
)  # fmt: skip
DEFAULT_OUT = Path("bench/results/latest.json")


async def run(
    sizes: Sizes, only: set[str], profile: Path | None, scenarios: Collection[str] = interactions.SCENARIOS
) -> list[FigureResult]:
    results: dict[str, FigureResult] = {}
    async with scratch_directory() as directory:

        async def guarded(
            names: tuple[str, ...], make: Callable[[], Awaitable[tuple[FigureResult, ...]]]
        ) -> None:
            if not only & set(names):
                return
            print(f"running {', '.join(names)} ...", flush=True)
            # Start each figure without the garbage of the last: a full collection over a big heap
            # would otherwise land in the middle of this figure's measurements.
            gc.collect()
            try:
                for result in await make():
                    if result.name in only:
                        results[result.name] = result
            except Exception:
                error = traceback.format_exc()
                print(error, flush=True)
                for name in names:
                    if name in only:
                        results[name] = FigureResult(name, name, error=error)

        bot_null: dict[str, float] = {}

        async def latency() -> tuple[FigureResult, ...]:
            figure_1, figure_2, reference = await interactions.run_latency_and_throughput(
                sizes,
                directory,
                profile / "latency.prof" if profile else None,
                names=scenarios,
                with_throughput=bool(only & {"throughput", "emulator"}),
            )
            bot_null.update(reference)
            return figure_1, figure_2

        async def emulator() -> tuple[FigureResult, ...]:
            return (await interactions.run_emulator_alone(sizes, directory, bot_null),)

        await guarded(("latency", "throughput", "emulator"), latency)
        await guarded(("emulator",), emulator)
        await guarded(("store",), lambda: _one(store_scale.run(sizes, directory)))
        await guarded(("fanout",), lambda: _one(fanout.run(sizes, directory, profile)))
        await guarded(("alerts",), lambda: _one(alert_fanout.run(sizes, directory, profile)))
        await guarded(("memory",), lambda: _one(processes.run_memory(sizes, directory)))
        await guarded(("startup",), lambda: _one(processes.run_startup(directory)))
        await guarded(("chart",), lambda: _one(processes.run_chart(sizes, directory)))
        await guarded(
            ("shards",), lambda: _one(_with_template(directory, lambda t: shards.run(sizes, directory, t)))
        )
    return [results[name] for name in FIGURES if name in results]


async def _one(result: Awaitable[FigureResult]) -> tuple[FigureResult, ...]:
    return (await result,)


async def _with_template(directory: Path, make: Callable[[Path], Awaitable[FigureResult]]) -> FigureResult:
    return await make(await seeded_template(directory))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the suite runs (seconds)")
    parser.add_argument("--only", action="append", choices=FIGURES, help="run only this figure (repeatable)")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=interactions.SCENARIOS,
        help="latency: only this command (repeatable; /null, the reference, is always measured)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON results (default {DEFAULT_OUT})")
    parser.add_argument("--profile", type=Path, help="write cProfile files of the bot processes here")
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if options.profile:
        options.profile.mkdir(parents=True, exist_ok=True)
        options.profile = options.profile.resolve()
    sizes = SMOKE if options.smoke else FULL
    only = set(options.only or FIGURES)
    started = time.perf_counter()
    results = asyncio.run(run(sizes, only, options.profile, options.scenario or interactions.SCENARIOS))
    elapsed = time.perf_counter() - started
    print()
    print(table(results))
    write_json(options.out, "smoke" if options.smoke else "full", results, elapsed)
    print(f"\n{'smoke' if options.smoke else 'full'} run in {elapsed:.1f} s; results in {options.out}")
    return 1 if any(result.error for result in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
