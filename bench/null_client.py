"""`python -m bench.null_client`: the smallest client that answers interactions, to measure the emulator
alone. No discord.py: one gateway connection (IDENTIFY, then read events) and one HTTP session that
registers /null and answers every INTERACTION_CREATE with a constant message.

Whatever the emulator costs per interaction shows up here; what discord.py and the bot add does not.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from typing import Any

import aiohttp

NULL_COMMAND = {"name": "null", "description": "Benchmark reference: answers a constant", "type": 1}
ANSWER = {"type": 4, "data": {"content": "null"}}


async def serve(token: str, api_base: str, gateway_url: str) -> None:
    headers = {"Authorization": f"Bot {token}", "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as http, http.ws_connect(f"{gateway_url}?v=10&encoding=json") as ws:
        pending: set[asyncio.Task[None]] = set()

        async def answer(interaction: dict[str, Any]) -> None:
            url = f"{api_base}/interactions/{interaction['id']}/{interaction['token']}/callback"
            async with http.post(url, data=json.dumps(ANSWER), headers=headers) as response:
                await response.read()

        await ws.receive_json()  # HELLO
        identify = {
            "token": token,
            "intents": 1,
            "properties": {"os": "linux", "browser": "b", "device": "b"},
        }
        await ws.send_json({"op": 2, "d": identify})
        async for message in ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            event = json.loads(message.data)
            if event.get("t") == "READY":
                application_id = event["d"]["application"]["id"]
                url = f"{api_base}/applications/{application_id}/commands"
                async with http.put(url, data=json.dumps([NULL_COMMAND]), headers=headers) as response:
                    await response.read()
            elif event.get("t") == "INTERACTION_CREATE":
                task = asyncio.create_task(answer(event["d"]))
                pending.add(task)
                task.add_done_callback(pending.discard)


async def main() -> None:
    loop = asyncio.get_running_loop()
    task = asyncio.create_task(
        serve(os.environ["DISCORD_TOKEN"], os.environ["DISCORD_API_BASE"], os.environ["DISCORD_GATEWAY_URL"])
    )
    loop.add_signal_handler(signal.SIGTERM, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await task


if __name__ == "__main__":
    asyncio.run(main())
