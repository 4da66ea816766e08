"""Figures 1 and 2 (command latency and /search throughput, against the null command) and the emulator
measured alone (the same measurements against a client without discord.py)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import sqlite3
import time
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import ChildBot, World, copy_for_new_emulator, cpu_seconds, emulator_world, seeded_template
from bench.report import FigureResult, percentile
from bench.sizes import Sizes
from bench.store_scale import QUESTIONS
from tests.emulator.components import iter_components
from tests.emulator.interactions import InteractionRecord
from tests.emulator.load import dispatch, prepare_click, prepare_slash, response, wait_acknowledged
from tests.emulator.messages import Message

DEADLINE = 3.0  # Discord's acknowledgement deadline
WAIT = 10.0  # how long to wait for answers before calling an interaction lost
# /search asks natural questions in turn (the 98 of the search-quality tuning set), so the bot finds,
# ranks and draws answers for many questions, and answers repeated ones from memory as it would for a
# server; a second bot that remembers nothing shows what every answer costs when drawn afresh.
# /search rotates through every question set, on-topic and off-topic, as members ask them.
SEARCH_QUESTIONS = tuple(
    q["question"]
    for path in sorted(QUESTIONS.parent.glob("search_*.toml"))
    for q in tomllib.loads(path.read_text())["q"]
    if len(q["question"]) <= 300  # Discord's option limit: a longer one never reaches the bot
)
SINGLE_FLIGHT_MARGIN_MS = 2.0
BURST_P99_RATIO = 2.0
THROUGHPUT_SHARE = 0.5
EMULATOR_HEADROOM = 2.0
# How /search's private "not in the record" answer begins (bot.facts.model.answering).
REFUSAL = "That is not in the DPRK Watch record"
# Member-facing refusals that mean the benchmark measured an error path, not the command.
ERROR_MARKERS = ("Thank you for the enthusiasm", "Something went wrong", "belong to the person")


@dataclass
class Scenario:
    """One kind of interaction: how to build the i-th one, and what a correct answer looks like."""

    name: str
    prepare: Callable[[int], InteractionRecord]
    public: bool = True
    # Private answers that are right all the same: /search says privately that the record does not hold
    # what an off-topic question asks (issue #15), which is not an error.
    private_answers: tuple[str, ...] = ()


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)  # seconds, answered ones
    lost: int = 0  # never answered
    late: int = 0  # answered after the deadline (or refused as too late)
    errors: int = 0  # answered with an error message
    bot_cpu_ms_each: float | None = None  # the bot process's CPU time per interaction, when measured

    @property
    def count(self) -> int:
        return len(self.latencies) + self.lost + self.late

    def p(self, share: float) -> float:
        return percentile(self.latencies, share) * 1000

    def summary(self) -> dict[str, float | int]:
        return {
            "count": self.count,
            "p50_ms": round(self.p(0.5), 3),
            "p99_ms": round(self.p(0.99), 3),
            "max_ms": round(max(self.latencies, default=float("nan")) * 1000, 3),
            "lost": self.lost,
            "late": self.late,
            "errors": self.errors,
        } | ({"bot_cpu_ms_each": round(self.bot_cpu_ms_each, 3)} if self.bot_cpu_ms_each is not None else {})


def _collect(world: World, records: list[InteractionRecord], scenario: Scenario, sample: Sample) -> None:
    for index, record in enumerate(records):
        latency = record.ack_latency
        if latency is None:
            # Answered after the deadline (Discord refused it: 10062), or never answered at all.
            if any(error.code == 10062 for error in record.rejections):
                sample.late += 1
            else:
                sample.lost += 1
            continue
        sample.latencies.append(latency)
        if latency > DEADLINE:
            sample.late += 1
        seen = response(world.member(index), record)
        content = seen.content or ""
        if any(marker in content for marker in ERROR_MARKERS) or (
            scenario.public and seen.ephemeral and not content.startswith(scenario.private_answers)
        ):
            sample.errors += 1


async def single_flight(world: World, scenario: Scenario, count: int, offset: int = 0) -> Sample:
    sample = Sample()
    for index in range(offset, offset + count):
        record = scenario.prepare(index)
        dispatch(world.emulator, [record])
        await wait_acknowledged([record], WAIT)
        _collect(world, [record], scenario, sample)
    return sample


async def burst(
    world: World, scenario: Scenario, size: int, offset: int = 0, bot_pid: int | None = None
) -> Sample:
    """`size` interactions sent at once. With `bot_pid`, also the bot's CPU time per interaction: on a
    busy machine the burst's wall-clock figures move with the neighbours, its CPU cost much less."""
    records = [scenario.prepare(index) for index in range(offset, offset + size)]
    bot_cpu = cpu_seconds(bot_pid) if bot_pid is not None else 0.0
    dispatch(world.emulator, records)
    await wait_acknowledged(records, WAIT)
    await _settle(records)
    sample = Sample()
    if bot_pid is not None:
        sample.bot_cpu_ms_each = (cpu_seconds(bot_pid) - bot_cpu) * 1000 / size
    _collect(world, records, scenario, sample)
    await asyncio.sleep(0.3)  # let follow-up work (edits, fetches) drain before the next measurement
    return sample


async def _settle(records: list[InteractionRecord], within: float = 120.0) -> None:
    """Wait until the bot has got to every interaction (answered, or answered too late and refused), so
    a backlog never spills into the next measurement."""

    deadline = time.perf_counter() + within
    while time.perf_counter() < deadline:
        pending = next((r for r in records if not _reached(r)), None)
        if pending is None:
            return
        with contextlib.suppress(TimeoutError):
            await pending.changes.wait_for(functools.partial(_reached, pending), 1.0, pending.name)


def _reached(record: InteractionRecord) -> bool:
    return record.acknowledged or bool(record.rejections)


@dataclass
class Load:
    """A sustained run: answers per second, and the CPU each side used for it."""

    per_second: float
    sample: Sample
    bot_cpu_ms_each: float  # the bot process's CPU time per answered interaction
    driver_busy: float  # share of one core the emulator and load driver (this process) used


async def throughput(world: World, scenario: Scenario, total: int, in_flight: int, bot_pid: int) -> Load:
    """Interactions answered per second with `in_flight` outstanding at all times."""
    sample = Sample()
    records = iter([scenario.prepare(index) for index in range(total)])  # built before the clock starts

    async def worker() -> None:
        for record in records:
            dispatch(world.emulator, [record])
            await wait_acknowledged([record], WAIT)
            _collect(world, [record], scenario, sample)

    started, bot_cpu, driver_cpu = time.perf_counter(), cpu_seconds(bot_pid), time.process_time()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    elapsed = time.perf_counter() - started
    answered = max(len(sample.latencies), 1)
    return Load(
        per_second=len(sample.latencies) / elapsed,
        sample=sample,
        bot_cpu_ms_each=(cpu_seconds(bot_pid) - bot_cpu) * 1000 / answered,
        driver_busy=(time.process_time() - driver_cpu) / elapsed,
    )


async def interleaved_throughput(
    world: World, reference: Scenario, measured: Scenario, sizes: Sizes, in_flight: int, bot_pid: int
) -> tuple[Load, Load]:
    """Both scenarios' throughput, taken in turns `sizes.throughput_rounds` times, and each one's median run:
    the machine's speed drifts, and turns keep the two comparable."""
    runs: tuple[list[Load], list[Load]] = ([], [])
    for _ in range(sizes.throughput_rounds):
        for scenario, loads in zip((reference, measured), runs, strict=True):
            loads.append(await throughput(world, scenario, sizes.throughput, in_flight, bot_pid))
    median = len(runs[0]) // 2
    first, second = (sorted(loads, key=lambda load: load.per_second)[median] for loads in runs)
    return first, second


# --- the scenarios ------------------------------------------------------------------------------------


async def _paginated_messages(world: World, count: int) -> list[Message]:
    """One /tests listing per member (a paginator only answers its owner), made in bursts of 100."""
    messages: list[Message] = []
    for start in range(0, count, 100):
        indexes = range(start, min(count, start + 100))
        records = [prepare_slash(world.member(i), "tests") for i in indexes]
        dispatch(world.emulator, records)
        await wait_acknowledged(records, WAIT)
        for index, record in zip(indexes, records, strict=True):
            message = response(world.member(index), record).message
            if message is None:
                raise RuntimeError(f"/tests gave member {index} no message")
            messages.append(message)
    await asyncio.sleep(0.5)
    return messages


async def _quiz_post(world: World) -> Message:
    quiz = world.guild.channel("quiz")
    await world.moderator.slash("quizadmin setup", channel=quiz, time="00:00", timezone="UTC")
    await world.moderator.slash("quizadmin post")
    return await world.emulator.wait_for_message(quiz, lambda m: bool(m.components), within=10.0)


def null_scenario(world: World) -> Scenario:
    return Scenario("/null", lambda i: prepare_slash(world.member(i), "null"))


def search_scenario(world: World) -> Scenario:
    return Scenario(
        "/search",
        lambda i: prepare_slash(world.member(i), "search", query=SEARCH_QUESTIONS[i % len(SEARCH_QUESTIONS)]),
        private_answers=(REFUSAL,),
    )


SCENARIOS = ("/null", "/search", "/fact", "/tests", "/timeline", "page click", "quiz answer")


def _correct_index(database: Path, message_id: int) -> int:
    """The right option of the quiz post on this message, read from the bot's database."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        row = connection.execute(
            "SELECT correct_index FROM quiz_posts WHERE message_id = ?", (message_id,)
        ).fetchone()
    if row is None:
        raise RuntimeError(f"no quiz post on message {message_id}")
    return int(row[0])


async def scenarios(
    world: World, paginated: int, database: Path, names: Collection[str] = SCENARIOS
) -> list[Scenario]:
    """The latency scenarios named (/null, the reference, always first), with what they need set up."""
    chosen = [null_scenario(world)]
    if "/search" in names:
        chosen.append(search_scenario(world))
    if "/fact" in names:
        chosen.append(
            Scenario("/fact", lambda i: prepare_slash(world.member(i), "fact", fact="nuclear-test-6"))
        )
    if "/tests" in names:
        chosen.append(Scenario("/tests", lambda i: prepare_slash(world.member(i), "tests")))
    if "/timeline" in names:
        chosen.append(
            Scenario(
                "/timeline", lambda i: prepare_slash(world.member(i), "timeline", start="2016", end="2018")
            )
        )
    if "page click" in names:
        messages = await _paginated_messages(world, paginated)
        chosen.append(
            Scenario(
                "page click",
                # A paginator answers only its owner: member k owns messages[k].
                lambda i: prepare_click(world.member(i % len(messages)), messages[i % len(messages)], "›"),
            )
        )
    if "quiz answer" in names:
        post = await _quiz_post(world)
        right = f":{_correct_index(database, post.id)}"
        right_answer = next(
            c["custom_id"] for c in iter_components(post.components) if c.get("custom_id", "").endswith(right)
        )
        # The right answer: its reply also carries the member's streak and rank, the most an answer does.
        chosen.append(
            Scenario(
                "quiz answer", lambda i: prepare_click(world.member(i), post, right_answer), public=False
            )
        )
    return chosen


# --- the figures --------------------------------------------------------------------------------------


async def run_latency_and_throughput(
    sizes: Sizes,
    directory: Path,
    profile: Path | None = None,
    *,
    names: Collection[str] = SCENARIOS,
    with_throughput: bool = True,
) -> tuple[FigureResult, FigureResult, dict[str, float]]:
    """Figures 1 and 2, on one bot process. Returns the null command's numbers for the emulator figure.

    `names`: the latency scenarios to measure (/null, their reference, always is); `with_throughput`:
    figure 2 too (it needs /search)."""
    latency = FigureResult("latency", "1. Command latency (bot-side, dispatch to callback)")
    rate = FigureResult("throughput", "2. /search throughput as a share of /null")
    template = await seeded_template(directory)
    async with emulator_world(directory, sizes.members) as world:
        database = copy_for_new_emulator(template, directory / "latency.db")
        bot = ChildBot(world.emulator, database, profile=profile)
        await bot.start()
        try:
            await bot.wait_connected()
            await bot.answer_probe(world.member(0), "null")
            all_scenarios = await scenarios(
                world, max(sizes.bursts), database, {*names, "/search"} if with_throughput else names
            )
            for scenario in all_scenarios:  # warm up every path (imports, caches, prepared statements)
                await single_flight(world, scenario, 3, offset=sizes.members // 2)
            null = all_scenarios[0]
            results: dict[str, dict[str, Sample]] = {}
            for scenario in all_scenarios:
                results[scenario.name] = {"single": await single_flight(world, scenario, sizes.single_flight)}
            for size in sizes.bursts:
                for scenario in all_scenarios:
                    results[scenario.name][f"burst {size}"] = await burst(
                        world, scenario, size, bot_pid=bot.pid
                    )
            _latency_rows(latency, results, sizes)
            reference: dict[str, float] = {}
            search = next((s for s in all_scenarios if s.name == "/search"), null)
            for in_flight in sizes.concurrency if with_throughput else ():
                null_load, search_load = await interleaved_throughput(
                    world, null, search, sizes, in_flight, bot.pid
                )
                reference[f"rate {in_flight}"] = null_load.per_second
                reference[f"driver busy {in_flight}"] = null_load.driver_busy
                share = search_load.per_second / null_load.per_second
                rate.add(
                    f"/search interactions/s, {in_flight} in flight",
                    search_load.per_second,
                    "/s",
                    reference=null_load.per_second,
                    reference_name="/null",
                    target=f"ratio ≥ {THROUGHPUT_SHARE}",
                    met=share >= THROUGHPUT_SHARE and search_load.sample.errors == 0,
                )
                rate.add(
                    f"bot CPU per /search, {in_flight} in flight",
                    search_load.bot_cpu_ms_each,
                    "ms",
                    reference=null_load.bot_cpu_ms_each,
                    reference_name="per /null",
                )
                # When the emulator cannot keep up with /null (figure 0), the rates above compare the
                # emulator's limit with the bot's; the CPU each answer costs the bot compares the bot alone.
                rate.add(
                    f"/search share by bot CPU (/null ÷ /search), {in_flight} in flight",
                    null_load.bot_cpu_ms_each / search_load.bot_cpu_ms_each,
                    "",
                )
                rate.details[f"{in_flight} in flight"] = {
                    name: load.sample.summary()
                    | {
                        "per_second": round(load.per_second, 1),
                        "bot_cpu_ms_each": round(load.bot_cpu_ms_each, 3),
                        "driver_busy": round(load.driver_busy, 3),
                    }
                    for name, load in (("/null", null_load), ("/search", search_load))
                }
            null_single = results["/null"]["single"]
            reference["p50"] = null_single.p(0.5)
            reference["p99"] = null_single.p(0.99)
            biggest = results["/null"][f"burst {max(sizes.bursts)}"]
            reference["burst p99"] = biggest.p(0.99)
        finally:
            await bot.stop()
    if with_throughput:
        cold_profile = profile.with_name(f"{profile.stem}-cold{profile.suffix}") if profile else None
        await _search_drawing_every_answer(rate, sizes, directory, template, cold_profile)
    latency.details["samples"] = {
        name: {kind: sample.summary() for kind, sample in kinds.items()} for name, kinds in results.items()
    }
    return latency, rate, reference


async def _search_drawing_every_answer(
    rate: FigureResult, sizes: Sizes, directory: Path, template: Path, profile: Path | None = None
) -> None:
    """/search on a bot that remembers no answer (SEARCH_CACHE_SIZE=0): reported beside the figures
    above, so the cost of drawing an answer is never hidden by answers remembered. With `profile`,
    that bot's cProfile goes there (`latency-cold.prof` beside `latency.prof`)."""
    async with emulator_world(directory, sizes.members) as world:
        database = copy_for_new_emulator(template, directory / "latency-cold.db")
        bot = ChildBot(world.emulator, database, extra_env={"SEARCH_CACHE_SIZE": "0"}, profile=profile)
        await bot.start()
        try:
            await bot.wait_connected()
            await bot.answer_probe(world.member(0), "null")
            null, search = null_scenario(world), search_scenario(world)
            for scenario in (null, search):
                await single_flight(world, scenario, 3, offset=sizes.members // 2)
            null_single = await single_flight(world, null, sizes.single_flight)
            search_single = await single_flight(world, search, sizes.single_flight)
            difference = search_single.p(0.5) - null_single.p(0.5)
            rate.add(
                "/search p50, single flight, nothing remembered",
                search_single.p(0.5),
                "ms",
                reference=null_single.p(0.5),
                reference_name="/null",
                target=f"≤ /null + {SINGLE_FLIGHT_MARGIN_MS:g} ms",
                met=difference <= SINGLE_FLIGHT_MARGIN_MS and search_single.errors == 0,
                difference=difference,
            )
            size = max(sizes.bursts)
            null_burst = await burst(world, null, size, offset=0)
            search_burst = await burst(world, search, size, offset=size)
            rate.add(
                f"/search p99, burst of {size:,}, nothing remembered "
                f"(lost {search_burst.lost}, late {search_burst.late})",
                search_burst.p(0.99),
                "ms",
                reference=null_burst.p(0.99),
                reference_name="/null",
                target=f"ratio ≤ {BURST_P99_RATIO:g}, none lost or late",
                met=search_burst.lost == 0
                and search_burst.late == 0
                and search_burst.errors == 0
                and search_burst.p(0.99) <= BURST_P99_RATIO * null_burst.p(0.99),
            )
            for in_flight in sizes.concurrency:
                null_load, search_load = await interleaved_throughput(
                    world, null, search, sizes, in_flight, bot.pid
                )
                rate.add(
                    f"/search interactions/s, {in_flight} in flight, nothing remembered",
                    search_load.per_second,
                    "/s",
                    reference=null_load.per_second,
                    reference_name="/null",
                    target=f"ratio ≥ {THROUGHPUT_SHARE:g}",
                    met=search_load.per_second >= THROUGHPUT_SHARE * null_load.per_second,
                )
                rate.add(
                    f"bot CPU per /search, {in_flight} in flight, nothing remembered",
                    search_load.bot_cpu_ms_each,
                    "ms",
                    reference=null_load.bot_cpu_ms_each,
                    reference_name="per /null",
                )
        finally:
            await bot.stop()


def _latency_rows(figure: FigureResult, results: dict[str, dict[str, Sample]], sizes: Sizes) -> None:
    null = results["/null"]
    biggest = f"burst {max(sizes.bursts)}"
    for name, kinds in results.items():
        single = kinds["single"]
        is_null = name == "/null"
        p50, null_p50 = single.p(0.5), null["single"].p(0.5)
        figure.add(
            f"{name} p50, single flight",
            p50,
            "ms",
            reference=None if is_null else null_p50,
            reference_name="/null",
            target="" if is_null else f"≤ /null + {SINGLE_FLIGHT_MARGIN_MS:g} ms",
            met=None if is_null else (p50 - null_p50 <= SINGLE_FLIGHT_MARGIN_MS and single.errors == 0),
            difference=None if is_null else p50 - null_p50,
        )
        figure.add(
            f"{name} p99, single flight",
            single.p(0.99),
            "ms",
            reference=None if is_null else null["single"].p(0.99),
            reference_name="/null",
        )
        for size in sizes.bursts:
            key = f"burst {size}"
            sample, null_sample = kinds[key], null[key]
            target, met = "", None
            if key == biggest:
                target = f"ratio ≤ {BURST_P99_RATIO:g}, none lost or late"
                met = (
                    sample.lost == 0
                    and sample.late == 0
                    and sample.errors == 0
                    and (is_null or sample.p(0.99) <= BURST_P99_RATIO * null_sample.p(0.99))
                )
            figure.add(
                f"{name} p99, burst of {size:,} (lost {sample.lost}, late {sample.late})",
                sample.p(0.99),
                "ms",
                reference=None if is_null else null_sample.p(0.99),
                reference_name="/null",
                target=target,
                met=met,
            )
            if key == biggest and sample.bot_cpu_ms_each is not None:
                figure.add(
                    f"{name} bot CPU per interaction, burst of {size:,}",
                    sample.bot_cpu_ms_each,
                    "ms",
                    reference=None if is_null else null_sample.bot_cpu_ms_each,
                    reference_name="/null",
                )


async def run_emulator_alone(sizes: Sizes, directory: Path, bot_null: dict[str, float]) -> FigureResult:
    """The same measurements against bench.null_client (no discord.py): the emulator's own cost."""
    figure = FigureResult("emulator", "0. The emulator alone (raw client, no discord.py)")
    async with emulator_world(directory, sizes.members) as world:
        client = ChildBot(world.emulator, directory / "null-client.db", module="bench.null_client")
        await client.start()
        try:
            await client.wait_connected()
            deadline = time.perf_counter() + 10
            while world.emulator.state.commands.find("null", world.guild.id) is None:
                if time.perf_counter() > deadline:
                    raise TimeoutError("the null client never registered /null")
                await asyncio.sleep(0.005)
            null = Scenario("raw /null", lambda i: prepare_slash(world.member(i), "null"))
            await single_flight(world, null, 20)
            single = await single_flight(world, null, sizes.single_flight)
            figure.add(
                "raw /null p50, single flight",
                single.p(0.5),
                "ms",
                reference=bot_null.get("p50"),
                reference_name="bot /null",
            )
            figure.add(
                "raw /null p99, single flight",
                single.p(0.99),
                "ms",
                reference=bot_null.get("p99"),
                reference_name="bot /null",
            )
            biggest = max(sizes.bursts)
            big = await burst(world, null, biggest)
            figure.add(
                f"raw /null p99, burst of {biggest:,} (lost {big.lost})",
                big.p(0.99),
                "ms",
                reference=bot_null.get("burst p99"),
                reference_name="bot /null",
            )
            for in_flight in sizes.concurrency:
                rounds = [
                    await throughput(world, null, sizes.throughput, in_flight, client.pid)
                    for _ in range(sizes.throughput_rounds)
                ]
                load = sorted(rounds, key=lambda run: run.per_second)[len(rounds) // 2]
                bot_rate = bot_null.get(f"rate {in_flight}")
                figure.add(
                    f"raw /null interactions/s, {in_flight} in flight",
                    load.per_second,
                    "/s",
                    reference=bot_rate,
                    reference_name="bot /null",
                    target=f"ratio ≥ {EMULATOR_HEADROOM:g} (not the bottleneck)",
                    met=None if bot_rate is None else load.per_second >= EMULATOR_HEADROOM * bot_rate,
                )
            # A second view of the same question: how busy the emulator's process (which also drives the
            # load) was while the bot answered /null as fast as it could.
            for in_flight in sizes.concurrency:
                busy = bot_null.get(f"driver busy {in_flight}")
                if busy is not None:
                    figure.add(
                        f"emulator CPU during bot /null, {in_flight} in flight", busy * 100, "% of a core"
                    )
            figure.details["single"] = single.summary()
            figure.details["burst"] = big.summary()
        finally:
            await client.stop()
    return figure
