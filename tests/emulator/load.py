"""Load generation: build many interactions first, send them in one go, then wait for every answer.

`Actor.slash` and `Actor.click` build, dispatch and wait for one interaction at a time, which is right
for tests. A benchmark wants the building (the emulator's own work) out of the measured window, and a
burst to leave the gateway together:

    records = [prepare_slash(actor, "search", query="sixth nuclear test") for actor in members]
    dispatch(emulator, records)                  # one INTERACTION_CREATE each, back to back
    await wait_acknowledged(records, within=5.0)
    latencies = [r.ack_latency for r in records]  # seconds from dispatch to the bot's first answer

Nothing here changes how the emulator answers: the records are the ones `Actor` builds, and the bot's
callbacks are checked exactly as in tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable, Sequence
from typing import Any

from tests.emulator.actors import Actor, _message_of, _where
from tests.emulator.components import find_component
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.interactions import (
    APPLICATION_COMMAND,
    EmulatorUsageError,
    InteractionRecord,
)
from tests.emulator.messages import Message
from tests.emulator.options import command_data, find_command
from tests.emulator.responses import Response


def prepare_slash(actor: Actor, command: str, /, **options: Any) -> InteractionRecord:
    """The INTERACTION_CREATE `actor.slash(command, **options)` would send, not yet sent."""
    registered, subpath = find_command(actor.emulator.state.commands, command, actor.guild.id)
    invocation = actor._invocation(_where(registered, subpath, options, None), "en-US")
    actor._check_visible(registered, invocation)
    record = actor._new_record(APPLICATION_COMMAND, invocation, "/" + command)
    resolver = actor._resolver(invocation)
    record.payload["data"] = command_data(registered, subpath, options, resolver)
    record.uploads = resolver.uploads
    return record


def prepare_click(actor: Actor, message: Message | Response, which: str) -> InteractionRecord:
    """The INTERACTION_CREATE `actor.click(message, which)` would send, not yet sent."""
    target = _message_of(message)
    component = find_component(target, which, {2})
    record = actor._component_record(target, f"click on {which!r}")
    record.payload["data"] = {"custom_id": component["custom_id"], "component_type": 2}
    return record


def dispatch(emulator: DiscordEmulator, records: Iterable[InteractionRecord]) -> None:
    """Send every record's INTERACTION_CREATE now, back to back, each stamped as it leaves."""
    if emulator.gateway.session is None:
        raise EmulatorUsageError("no bot has connected to the emulator's gateway")
    for record in records:
        # Its age (for the acknowledgement deadline) counts from dispatch, not from when it was built.
        record.created_at = emulator.clock.monotonic()
        emulator.state.add_interaction(record)
        record.dispatched_at = time.perf_counter()
        emulator.gateway.dispatch("INTERACTION_CREATE", record.payload)


async def wait_acknowledged(records: Sequence[InteractionRecord], within: float) -> None:
    """Wait until every record is acknowledged or `within` seconds passed (unanswered ones stay so)."""

    async def one(record: InteractionRecord) -> None:
        with contextlib.suppress(TimeoutError):
            await record.changes.wait_for(lambda: record.acknowledged, within, record.name)

    await asyncio.gather(*(one(record) for record in records))


def response(actor: Actor, record: InteractionRecord) -> Response:
    """What `actor` sees for a record sent with `dispatch`."""
    return Response(actor, record)
