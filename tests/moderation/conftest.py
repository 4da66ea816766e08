"""Moderation tests' emulator also serves direct messages: a member is told what became of a suggestion."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.emulator.emulator import DiscordEmulator
from tests.moderation.direct_messages import DirectMessages, with_direct_messages


@pytest.fixture
async def emulator(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordEmulator]:
    """A started emulator with direct messages (`emulator.direct_messages`, see direct_messages.py)."""
    book = DirectMessages()
    with_direct_messages(monkeypatch, book)
    emu = DiscordEmulator()
    emu.direct_messages = book  # type: ignore[attr-defined]
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()
    emu.check()
