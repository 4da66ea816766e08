"""The real `python -m bot` process stopped with SIGTERM or SIGINT (systemd, Docker, Ctrl-C): it closes
the bot, the database and the instance lock within a few seconds and exits with status 0."""

from __future__ import annotations

import asyncio
import shutil
import signal
from pathlib import Path

import pytest

from bot.db.instance_lock import instance_lock
from tests.app.test_reliability_process import start_bot_process
from tests.emulator.emulator import DiscordEmulator

STOPPED_WITHIN = 10.0  # seconds; a clean close takes well under one


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_stop_signal_closes_the_bot_cleanly(
    emulator: DiscordEmulator, tmp_path: Path, seeded_database_template: Path, stop: signal.Signals
) -> None:
    database = tmp_path / "bot.db"
    shutil.copyfile(seeded_database_template, database)
    guild = emulator.add_guild("DPRK Watch HQ", channels=("general",))
    bot = await start_bot_process(emulator, database)
    try:
        answered = await emulator.member(guild, "alice").slash("about")
        assert "About DPRK Watch" in answered.embeds[0]["title"]

        bot.process.send_signal(stop)
        status = await asyncio.wait_for(bot.process.wait(), STOPPED_WITHIN)
        assert bot.reader is not None
        await bot.reader
    finally:
        await bot.kill()
    output = "\n".join(bot.lines)
    assert status == 0, output
    assert f"Received {stop.name}: closing" in output
    assert "Stopped: the database is closed and the instance lock released" in output
    assert "Traceback" not in output
    # The bot left the gateway, and the lock is free for the next process.
    session = emulator.gateway.session
    assert session is not None
    assert session.connection is None
    with instance_lock(database):
        pass
