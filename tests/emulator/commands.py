"""Registered application commands: Discord's sync-time validation (localizations included), and the
registry tests inspect.

Bulk overwrites replace a scope (global, or one server) as Discord does, keeping the id of a command
whose name and type did not change, so ids the bot cached stay valid.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tests.emulator.clock import Snowflakes
from tests.emulator.errors import ApiError, FormErrors

CHAT_INPUT, USER, MESSAGE = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER_OPTION, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)

NAME = 32
DESCRIPTION = 100
OPTIONS = 25
CHOICES = 25
CHOICE_NAME = 100
CHOICE_STRING_VALUE = 100
COMMAND_SIZE = 4000
MAX_COMMANDS = {CHAT_INPUT: 100, USER: 15, MESSAGE: 15}
MAX_APPLICATION_COMMANDS = 30032
# ApplicationIntegrationType (who installed the app) and InteractionContextType (where a command runs):
# the values Discord's API description allows in a command's `integration_types` and `contexts`.
INTEGRATION_TYPES = {0, 1}  # GUILD_INSTALL, USER_INSTALL
CONTEXTS = {0, 1, 2}  # GUILD, BOT_DM, PRIVATE_CHANNEL
# The keys `name_localizations` and `description_localizations` may have: Discord's AvailableLocalesEnum
# (discord/discord-api-spec, specs/openapi.json); values follow the rules of the field they translate.
LOCALES = frozenset(
    "ar bg cs da de el en-GB en-US es-419 es-ES fi fr he hi hr hu id it ja ko lt nl no pl pt-BR ro ru "
    "sv-SE th tr uk vi zh-CN zh-TW".split()
)


@dataclass
class Scope:
    """The commands of one scope: global (`guild_id` None) or one server."""

    guild_id: int | None
    commands: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)


class CommandRegistry:
    """What the application registered, per scope, as Discord returns it (id, version, application_id)."""

    def __init__(self, application_id: int, ids: Snowflakes) -> None:
        self.application_id = application_id
        self._ids = ids
        self.global_scope = Scope(None)
        self.guild_scopes: dict[int, Scope] = {}
        self.sync_count = 0

    def scope(self, guild_id: int | None) -> Scope:
        """The global scope (None) or one server's, created empty on first use."""
        if guild_id is None:
            return self.global_scope
        return self.guild_scopes.setdefault(guild_id, Scope(guild_id))

    def registered(self, guild_id: int | None = None) -> list[dict[str, Any]]:
        """The registered commands of one scope, as `GET .../commands` returns them."""
        return list(self.scope(guild_id).commands.values())

    def names(self, guild_id: int | None = None) -> list[str]:
        """Sorted names of the commands registered in one scope."""
        return sorted(command["name"] for command in self.registered(guild_id))

    def bulk_overwrite(self, guild_id: int | None, payload: Any) -> list[dict[str, Any]]:
        """PUT .../commands: validate everything first, then replace the scope in one step."""
        if not isinstance(payload, list):
            raise ApiError(
                400, 50035, "Invalid Form Body", {"_errors": [_error("LIST_TYPE_CONVERT", "Must be a list")]}
            )
        errors = FormErrors()
        seen: set[tuple[str, int]] = set()
        for index, command in enumerate(payload):
            with errors.at(index):
                check_command(command, errors)
                key = (command.get("name"), command.get("type", CHAT_INPUT))
                if key in seen:
                    with errors.at("name"):
                        errors.add(
                            "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"
                        )
                seen.add(key)
        errors.raise_if_any()
        for kind, limit in MAX_COMMANDS.items():
            if sum(1 for command in payload if command.get("type", CHAT_INPUT) == kind) > limit:
                raise ApiError(
                    400,
                    MAX_APPLICATION_COMMANDS,
                    f"Maximum number of application commands reached ({limit}).",
                )
        scope = self.scope(guild_id)
        previous = scope.commands
        scope.commands = {}
        for command in payload:
            key = (command["name"], command.get("type", CHAT_INPUT))
            scope.commands[key] = self._stored(command, guild_id, previous.get(key))
        self.sync_count += 1
        return self.registered(guild_id)

    def upsert(self, guild_id: int | None, command: dict[str, Any]) -> dict[str, Any]:
        """POST .../commands: create or replace one command by name and type."""
        errors = FormErrors()
        check_command(command, errors)
        errors.raise_if_any()
        scope = self.scope(guild_id)
        key = (command["name"], command.get("type", CHAT_INPUT))
        scope.commands[key] = self._stored(command, guild_id, scope.commands.get(key))
        return scope.commands[key]

    def get(self, guild_id: int | None, command_id: int) -> tuple[tuple[str, int], dict[str, Any]]:
        """A registered command by id (with its key), or ApiError 404 10063."""
        for key, command in self.scope(guild_id).commands.items():
            if int(command["id"]) == command_id:
                return key, command
        raise ApiError(404, 10063, "Unknown application command")

    def delete(self, guild_id: int | None, command_id: int) -> None:
        """DELETE .../commands/{id}."""
        key, _ = self.get(guild_id, command_id)
        del self.scope(guild_id).commands[key]

    def find(self, name: str, guild_id: int | None, type: int = CHAT_INPUT) -> dict[str, Any] | None:
        """The command a member in `guild_id` would pick: that server's command first, then the global one."""
        if guild_id is not None and guild_id in self.guild_scopes:
            command = self.guild_scopes[guild_id].commands.get((name, type))
            if command is not None:
                return command
        return self.global_scope.commands.get((name, type))

    def _stored(
        self, command: dict[str, Any], guild_id: int | None, previous: dict[str, Any] | None
    ) -> dict[str, Any]:
        stored = {
            "type": CHAT_INPUT,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            **command,
            "id": previous["id"] if previous else str(self._ids.next()),
            "application_id": str(self.application_id),
            "version": str(self._ids.next()),
        }
        stored.pop("dm_permission", None)
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored


def _error(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def valid_chat_input_name(name: str) -> bool:
    """Discord's `^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`, lowercase where a lowercase exists."""
    if not 1 <= len(name) <= NAME or name != name.lower():
        return False
    for char in name:
        category = unicodedata.category(char)
        if char in "-_" or category[0] in "LN":
            continue
        if category in ("Mn", "Mc") and unicodedata.name(char, "").startswith(("DEVANAGARI", "THAI")):
            continue
        return False
    return True


def check_command(command: Any, errors: FormErrors) -> None:
    """One command definition, at the paths Discord reports (`0.options.2.name`, ...)."""
    if not isinstance(command, dict):
        errors.add("DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    kind = command.get("type", CHAT_INPUT)
    name = command.get("name")
    with errors.at("name"):
        if errors.required(name):
            errors.length_between(name, 1, NAME)
            if kind == CHAT_INPUT and not (isinstance(name, str) and valid_chat_input_name(name)):
                errors.add("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    _check_localizations(command, "name_localizations", errors, NAME, chat_input_name=kind == CHAT_INPUT)
    description = command.get("description")
    with errors.at("description"):
        if kind == CHAT_INPUT:
            errors.length_between(description, 1, DESCRIPTION)
        elif description:
            errors.add(
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have description",
            )
    if kind == CHAT_INPUT:
        _check_localizations(command, "description_localizations", errors, DESCRIPTION)
    for key, allowed in (("integration_types", INTEGRATION_TYPES), ("contexts", CONTEXTS)):
        with errors.at(key):
            _check_enum_list(command.get(key), allowed, errors)
    options = command.get("options") or []
    if kind != CHAT_INPUT and options:
        with errors.at("options"):
            errors.add(
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Context menu commands cannot have options"
            )
        return
    _check_options(options, errors, parent=None)
    if kind == CHAT_INPUT and command_size(command) > COMMAND_SIZE:
        errors.add("APPLICATION_COMMAND_TOO_LARGE", f"Command exceeds maximum size ({COMMAND_SIZE})")


def _check_enum_list(values: Any, allowed: set[int], errors: FormErrors) -> None:
    """`integration_types` or `contexts`: absent, null, or a list of distinct known values."""
    if values is None:
        return
    if not isinstance(values, list):
        errors.add("LIST_TYPE_CONVERT", "Must be a list")
        return
    for index, value in enumerate(values):
        with errors.at(index):
            if isinstance(value, bool) or value not in allowed:
                errors.add("ENUM_TYPE_COERCE", f'Value "{value}" is not a valid enum value.')
    if len(set(map(str, values))) != len(values):
        errors.add("LIST_ITEM_VALUE_DUPLICATE", "List items must be unique")


def _check_localizations(
    item: dict[str, Any], key: str, errors: FormErrors, limit: int, *, chat_input_name: bool = False
) -> None:
    """`name_localizations` or `description_localizations`: absent, null, or a map from known locales to
    values that meet the rules of the field they translate."""
    localizations = item.get(key)
    if localizations is None:
        return
    with errors.at(key):
        if not isinstance(localizations, dict):
            errors.add("DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            return
        for locale, value in localizations.items():
            with errors.at(locale):
                if locale not in LOCALES:
                    errors.add("ENUM_TYPE_COERCE", f'Value "{locale}" is not a valid enum value.')
                elif errors.required(value):
                    errors.length_between(value, 1, limit)
                    if chat_input_name and not (isinstance(value, str) and valid_chat_input_name(value)):
                        errors.add("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _longest(item: dict[str, Any], key: str) -> int:
    """A field's length as the size limit counts it: the longest of its default and its localizations."""
    texts = [str(item.get(key) or ""), *map(str, (item.get(f"{key}_localizations") or {}).values())]
    return max(map(len, texts))


def command_size(command: dict[str, Any]) -> int:
    """Characters Discord counts toward a command's 4,000: names, descriptions, choice names and values,
    each field counted at its longest localization."""
    size = _longest(command, "name") + _longest(command, "description")
    for option in command.get("options") or []:
        size += command_size(option)
        for choice in option.get("choices") or []:
            size += _longest(choice, "name") + len(str(choice.get("value") or ""))
    return size


def _check_options(options: list[dict[str, Any]], errors: FormErrors, parent: int | None) -> None:
    """Options of a command (`parent` None), of a sub-command group, or of a sub-command."""
    with errors.at("options"):
        errors.max_length(options, OPTIONS)
    kinds = {option.get("type") for option in options}
    nested = kinds & {SUB_COMMAND, SUB_COMMAND_GROUP}
    if nested and kinds - nested:
        with errors.at("options"):
            errors.add(
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                "Sub-command and sub-command group option types are mutually exclusive to all other types",
            )
    seen_optional = False
    names: set[str] = set()
    for index, option in enumerate(options):
        with errors.at("options", index):
            _check_option(option, errors, parent)
            name = str(option.get("name"))
            if name in names:
                errors.add(
                    "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                    f"Option name {name} is already used in these options",
                )
            names.add(name)
            if option.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
                continue
            if option.get("required"):
                if seen_optional:
                    errors.add(
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
            else:
                seen_optional = True


def _check_option(option: dict[str, Any], errors: FormErrors, parent: int | None) -> None:
    kind = option.get("type")
    with errors.at("type"):
        if kind not in range(1, 12):
            errors.add("BASE_TYPE_CHOICES", f"Value must be one of {set(range(1, 12))}.")
        elif (kind == SUB_COMMAND_GROUP and parent is not None) or (
            kind == SUB_COMMAND and parent == SUB_COMMAND
        ):
            errors.add(
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-commands cannot be nested this deeply"
            )
    name = option.get("name")
    with errors.at("name"):
        if errors.required(name) and not (isinstance(name, str) and valid_chat_input_name(name)):
            errors.add("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    _check_localizations(option, "name_localizations", errors, NAME, chat_input_name=True)
    with errors.at("description"):
        errors.length_between(option.get("description"), 1, DESCRIPTION)
    _check_localizations(option, "description_localizations", errors, DESCRIPTION)
    if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
        children = option.get("options") or []
        if kind == SUB_COMMAND_GROUP and any(child.get("type") != SUB_COMMAND for child in children):
            with errors.at("options"):
                errors.add(
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-command groups may only contain sub-commands",
                )
        _check_options(children, errors, parent=kind)
        return
    choices = option.get("choices") or []
    with errors.at("choices"):
        errors.max_length(choices, CHOICES)
        if choices and option.get("autocomplete"):
            errors.add("APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES", "Autocomplete cannot be used with choices")
    for index, choice in enumerate(choices):
        with errors.at("choices", index, "name"):
            errors.length_between(choice.get("name"), 1, CHOICE_NAME)
        with errors.at("choices", index):
            _check_localizations(choice, "name_localizations", errors, CHOICE_NAME)
        value = choice.get("value")
        with errors.at("choices", index, "value"):
            if errors.required(value) and isinstance(value, str):
                errors.length_between(value, 1, CHOICE_STRING_VALUE)
