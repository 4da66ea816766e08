"""Command names, descriptions, options and choices in Korean and Japanese, through discord.py's
`app_commands.Translator`: at sync, discord.py asks it for every string of the tree in every locale
and sends what it answers as `name_localizations` and `description_localizations`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Location

from bot.i18n.catalog import catalogs, language_of

# The msgctxt of each kind of string in the catalogs: a command called "tests" and the choice "tests"
# are different words to a translator (a name must be one lowercase word; a choice is a label).
CONTEXTS = {
    Location.command_name: "command name",
    Location.group_name: "command name",
    Location.command_description: "command description",
    Location.group_description: "command description",
    Location.parameter_name: "option name",
    Location.parameter_description: "option description",
    Location.choice_name: "choice",
}


class CatalogTranslator(app_commands.Translator):
    """Reads the same catalogs as `_`; a string without a translation stays English (None)."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext[Any, Any],
    ) -> str | None:
        return catalogs().translate(language_of(locale), string.message, CONTEXTS.get(context.location))


class RecordingTranslator(app_commands.Translator):
    """Translates nothing and remembers what it was asked: every string a sync sends, with its msgctxt
    and where it is shown (for extraction, and for the test that every one of them is translated)."""

    def __init__(self) -> None:
        self.strings: dict[tuple[str | None, str], str] = {}

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext[Any, Any],
    ) -> str | None:
        self.strings.setdefault((CONTEXTS.get(context.location), string.message), _where(context))
        return None


def _where(context: app_commands.TranslationContext[Any, Any]) -> str:
    """A note for translators: which command or option shows the string."""
    data = context.data
    if isinstance(data, app_commands.ContextMenu):
        return f"Apps > {data.name}"
    if isinstance(data, app_commands.Command | app_commands.Group):
        return f"/{data.qualified_name}"
    if isinstance(data, app_commands.Parameter):
        return f"/{data.command.qualified_name} {data.name}:"
    if isinstance(data, app_commands.Choice):
        return f"a choice (value {data.value!r})"
    return context.location.name


async def tree_strings(
    tree: app_commands.CommandTree[Any],
    commands: Iterable[app_commands.Command[Any, ..., Any] | app_commands.Group | app_commands.ContextMenu],
) -> list[tuple[str | None, str, str]]:
    """(msgctxt, English, where) of every string `commands` send at sync, in tree order, each once."""
    recorder = RecordingTranslator()
    for command in commands:
        await command.get_translated_payload(tree, recorder)
    return [(context, message, where) for (context, message), where in recorder.strings.items()]
