"""One test over every slash command: names, descriptions and options within Discord's rules."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands

from bot.app.client import EXTENSIONS, DPRKWatch
from bot.app.settings import Settings
from bot.db.database import Database
from tests.conftest import PUBLIC_COMMANDS

NAME = re.compile(r"^[-_\w]{1,32}$")


@pytest.fixture
async def offline_bot(database: Database) -> AsyncIterator[DPRKWatch]:
    # Initialised (as `async with` does) but never logged in: enough to build the command tree.
    async with DPRKWatch(settings=Settings(), db=database) as bot:
        for extension in EXTENSIONS:
            await bot.load_extension(extension)
        yield bot


def walk(commands):
    for command in commands:
        yield command
        if isinstance(command, app_commands.Group):
            yield from walk(command.commands)


async def test_every_command_is_named_and_described_within_discords_limits(offline_bot: DPRKWatch) -> None:
    commands = list(walk(offline_bot.tree.get_commands(type=discord.AppCommandType.chat_input)))
    assert commands
    names = [c.qualified_name for c in commands]
    assert len(names) == len(set(names))
    for command in commands:
        assert NAME.match(command.name), command.name
        assert command.name == command.name.lower()
        assert 1 <= len(command.description) <= 100, command.qualified_name
        if isinstance(command, app_commands.Command):
            assert len(command.parameters) <= 25
            seen_optional = False
            for parameter in command.parameters:
                assert NAME.match(parameter.name)
                assert parameter.description, (command.name, parameter.name)
                assert parameter.description != "…", (command.name, parameter.name)
                assert len(parameter.description) <= 100
                assert len(parameter.choices) <= 25
                if not parameter.required:
                    seen_optional = True
                assert parameter.required is False or not seen_optional, "required options must come first"
        payload = command.to_dict(offline_bot.tree)
        assert payload["name"] == command.name


async def test_message_commands_are_named_within_discords_limits(offline_bot: DPRKWatch) -> None:
    menus = offline_bot.tree.get_commands(type=discord.AppCommandType.message)
    assert [menu.name for menu in menus] == ["Look up in DPRK Watch"]
    for menu in menus:
        assert 1 <= len(menu.name) <= 32
        payload = menu.to_dict(offline_bot.tree)
        assert payload["type"] == 3
        assert "description" not in payload or not payload["description"]


async def test_the_public_interface_is_present(offline_bot: DPRKWatch) -> None:
    names = {c.qualified_name for c in walk(offline_bot.tree.get_commands())}
    assert names >= PUBLIC_COMMANDS
    search = offline_bot.tree.get_command("search")
    assert isinstance(search, app_commands.Command)
    assert [p.name for p in search.parameters] == ["query", "category"]
    timeline = offline_bot.tree.get_command("timeline")
    assert isinstance(timeline, app_commands.Command)
    assert [p.name for p in timeline.parameters] == ["start", "end", "category"]
