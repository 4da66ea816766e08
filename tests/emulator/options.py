"""The `data` of application command and autocomplete interactions, built from the *registered* command
(what the bot synced): `data.id`, option types and choices are exactly what Discord would send, values
are checked as Discord's client checks them, and a command that was never synced fails clearly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.emulator import commands as c
from tests.emulator.interactions import CommandNotSynced, EmulatorUsageError, Invocation
from tests.emulator.messages import Attachment, Upload
from tests.emulator.models import Channel, Role, User


@dataclass
class Resolver:
    """Turns test values (members, channels, roles, uploads) into option values and `resolved` data."""

    invocation: Invocation
    permissions_of: Callable[[Channel, User], int]
    store_upload: Callable[[Upload], Attachment]
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploads: list[Attachment] = field(default_factory=list)

    def user(self, value: Any) -> str:
        user = _user_of(value)
        self.resolved.setdefault("users", {})[str(user.id)] = user.payload()
        guild = self.invocation.guild
        member = None if guild is None else guild.members.get(user.id)
        if member is not None:
            payload = member.payload(with_user=False)
            payload["permissions"] = str(self.permissions_of(self.invocation.channel, user))
            self.resolved.setdefault("members", {})[str(user.id)] = payload
        return str(user.id)

    def channel(self, value: Any, allowed_types: list[int] | None) -> str:
        if not isinstance(value, Channel):
            raise EmulatorUsageError(f"a channel option needs an emulator Channel, not {value!r}")
        if allowed_types and value.type not in allowed_types:
            raise EmulatorUsageError(f"#{value.name} is not one of the channel types {allowed_types}")
        payload = value.payload()
        payload["permissions"] = str(self.permissions_of(value, self.invocation.who))
        self.resolved.setdefault("channels", {})[str(value.id)] = payload
        return str(value.id)

    def role(self, value: Any) -> str:
        if not isinstance(value, Role):
            raise EmulatorUsageError(f"a role option needs an emulator Role, not {value!r}")
        self.resolved.setdefault("roles", {})[str(value.id)] = value.payload()
        return str(value.id)

    def attachment(self, value: Any) -> str:
        if isinstance(value, bytes):
            value = Upload("file.bin", value)
        elif isinstance(value, tuple):
            value = Upload(*value)
        if not isinstance(value, Upload):
            raise EmulatorUsageError(
                f"an attachment option needs an Upload, bytes or (filename, bytes), not {value!r}"
            )
        attachment = self.store_upload(value)
        self.uploads.append(attachment)
        self.resolved.setdefault("attachments", {})[str(attachment.id)] = attachment.payload()
        return str(attachment.id)


def _user_of(value: Any) -> User:
    if isinstance(value, User):
        return value
    user = getattr(value, "user", None)
    if isinstance(user, User):
        return user
    raise EmulatorUsageError(f"a user option needs a member or user, not {value!r}")


def find_command(
    registry: c.CommandRegistry, path: str, guild_id: int | None
) -> tuple[dict[str, Any], list[str]]:
    """The registered top-level command for "name sub ..." and the sub-command path, or CommandNotSynced."""
    name, *subpath = path.removeprefix("/").split()
    command = registry.find(name, guild_id)
    if command is None:
        known = sorted({*registry.names(None), *registry.names(guild_id)})
        raise CommandNotSynced(
            f"/{name} is not registered with Discord (registered: {known or 'none'}); did the bot sync?"
        )
    return command, subpath


def leaf_options(command: dict[str, Any], subpath: list[str]) -> list[dict[str, Any]]:
    """The option definitions of the (sub-)command `subpath` leads to; [] if the path does not exist."""
    definitions = command.get("options") or []
    for part in subpath:
        found = next(
            (
                o
                for o in definitions
                if o["name"] == part and o["type"] in (c.SUB_COMMAND, c.SUB_COMMAND_GROUP)
            ),
            None,
        )
        definitions = [] if found is None else found.get("options") or []
    return definitions


def command_data(
    command: dict[str, Any],
    subpath: list[str],
    values: Mapping[str, Any],
    resolver: Resolver,
    *,
    focused: str | None = None,
) -> dict[str, Any]:
    """The `data` of an application command (or autocomplete, when `focused` names the option being typed)."""
    definitions = command.get("options") or []
    top: list[dict[str, Any]] = []
    container = top
    walked = [command["name"]]
    for part in subpath:
        definition = next(
            (
                o
                for o in definitions
                if o["name"] == part and o["type"] in (c.SUB_COMMAND, c.SUB_COMMAND_GROUP)
            ),
            None,
        )
        if definition is None:
            raise EmulatorUsageError(f"/{' '.join(walked)} has no sub-command {part!r}")
        walked.append(part)
        option: dict[str, Any] = {"type": definition["type"], "name": part, "options": []}
        container.append(option)
        container = option["options"]
        definitions = definition.get("options") or []
    if any(o["type"] in (c.SUB_COMMAND, c.SUB_COMMAND_GROUP) for o in definitions):
        choices = [o["name"] for o in definitions]
        raise EmulatorUsageError(f"/{' '.join(walked)} needs a sub-command, one of {choices}")
    container.extend(_option_values(definitions, values, resolver, focused, "/" + " ".join(walked)))
    data: dict[str, Any] = {
        "id": command["id"],
        "name": command["name"],
        "type": command.get("type", c.CHAT_INPUT),
    }
    if top:
        data["options"] = top
    if "guild_id" in command:
        data["guild_id"] = command["guild_id"]
    if resolver.resolved:
        data["resolved"] = resolver.resolved
    return data


def _option_values(
    definitions: list[dict[str, Any]],
    values: Mapping[str, Any],
    resolver: Resolver,
    focused: str | None,
    where: str,
) -> list[dict[str, Any]]:
    by_name = {definition["name"]: definition for definition in definitions}
    unknown = set(values) - set(by_name)
    if focused is not None and focused not in by_name:
        unknown.add(focused)
    if unknown:
        raise EmulatorUsageError(
            f"{where} has no option {sorted(unknown)}; its options are {sorted(by_name)}"
        )
    options = []
    for definition in definitions:
        name = definition["name"]
        if name == focused:
            if not definition.get("autocomplete"):
                raise EmulatorUsageError(f"{where} option {name!r} has no autocomplete")
            options.append(
                {
                    "type": definition["type"],
                    "name": name,
                    "value": str(values.get(name, "")),
                    "focused": True,
                }
            )
            continue
        if name not in values:
            if definition.get("required") and focused is None:
                raise EmulatorUsageError(f"{where} needs its required option {name!r}")
            continue
        value = _option_value(definition, values[name], resolver, where)
        options.append({"type": definition["type"], "name": name, "value": value})
    return options


def _option_value(definition: dict[str, Any], value: Any, resolver: Resolver, where: str) -> Any:
    """Check a value as Discord's client would before sending, and encode it as Discord does."""
    kind, name = definition["type"], definition["name"]
    label = f"{where} option {name!r}"
    if kind == c.STRING:
        if not isinstance(value, str):
            raise EmulatorUsageError(f"{label} takes text, not {value!r}")
        low, high = definition.get("min_length", 0), definition.get("max_length", 6000)
        if not low <= len(value) <= high:
            raise EmulatorUsageError(f"{label} must be {low} to {high} characters long")
    elif kind == c.INTEGER or kind == c.NUMBER:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (kind == c.INTEGER and isinstance(value, float))
        ):
            raise EmulatorUsageError(
                f"{label} takes a {'whole ' if kind == c.INTEGER else ''}number, not {value!r}"
            )
        if "min_value" in definition and value < definition["min_value"]:
            raise EmulatorUsageError(f"{label} must be at least {definition['min_value']}")
        if "max_value" in definition and value > definition["max_value"]:
            raise EmulatorUsageError(f"{label} must be at most {definition['max_value']}")
    elif kind == c.BOOLEAN:
        if not isinstance(value, bool):
            raise EmulatorUsageError(f"{label} takes True or False, not {value!r}")
    elif kind == c.USER_OPTION:
        return resolver.user(value)
    elif kind == c.CHANNEL:
        return resolver.channel(value, definition.get("channel_types"))
    elif kind == c.ROLE:
        return resolver.role(value)
    elif kind == c.MENTIONABLE:
        return resolver.role(value) if isinstance(value, Role) else resolver.user(value)
    elif kind == c.ATTACHMENT:
        return resolver.attachment(value)
    choices = definition.get("choices")
    if choices and value not in [choice["value"] for choice in choices]:
        names = {choice["name"]: choice["value"] for choice in choices}
        raise EmulatorUsageError(f"{label} must be one of the choices {names}")
    return value
