"""Buttons that keep working across restarts: their state lives in their custom_id.

A subclass declares its custom_id once, as a format with typed fields::

    class SuggestButton(PersistentButton, custom_id="suggest:{fact_id:slug}"):
        def __init__(self, fact_id: str) -> None:
            super().__init__(label="Suggest a correction", fact_id=fact_id)

The regex discord.py matches clicks with and the text the button is built with both come from that
declaration, so they cannot drift apart; each field becomes an attribute of the same name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

import discord
from discord.ext import commands

from bot.i18n import set_locale
from bot.kit.error_path import ReportsErrors

# A field's type: the pattern it matches in a custom_id and how its text becomes a value.
FIELD_TYPES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "slug": (r"[a-z0-9-]{1,64}", str),
    "question_id": (r"[a-z0-9-]{1,80}", str),
    "int": (r"\d{1,18}", int),
    "choice": (r"[0-3]", int),
}
_FIELD = re.compile(r"\{(?P<name>[a-z_]+):(?P<type>[a-z_|]+)\}")
CUSTOM_ID_LIMIT = 100  # Discord's limit
ItemT = TypeVar("ItemT", bound=discord.ui.Item[Any])


def _parse_format(custom_id: str) -> tuple[str, str, dict[str, Callable[[str], Any]]]:
    """The regex for a custom_id format, the `str.format` template that writes one, and each field's
    converter. `{name:a|b}` lists literal words."""
    pattern, template, converters, end = "", "", {}, 0
    for field in _FIELD.finditer(custom_id):
        literal = custom_id[end : field.start()]
        pattern += re.escape(literal)
        template += literal.replace("{", "{{").replace("}", "}}") + "{" + field["name"] + "}"
        kind = field["type"]
        if kind in FIELD_TYPES:
            regex, convert = FIELD_TYPES[kind]
        else:  # a choice of literal words
            regex, convert = "|".join(re.escape(word) for word in kind.split("|")), str
        pattern += f"(?P<{field['name']}>{regex})"
        converters[field["name"]] = convert
        end = field.end()
    rest = custom_id[end:]
    return pattern + re.escape(rest), template + rest.replace("{", "{{").replace("}", "}}"), converters


class PersistentItem(ReportsErrors, discord.ui.DynamicItem[ItemT], template=r"(?!)"):
    """A component whose custom_id carries its state; subclasses implement `run(interaction)`.

    The base classes themselves match no custom_id: only their subclasses declare one."""

    custom_id_format: ClassVar[str]
    # custom_id_format as a `str.format` template: every reply with buttons writes a few custom_ids.
    _custom_id_template: ClassVar[str]
    _converters: ClassVar[dict[str, Callable[[str], Any]]]

    def __init_subclass__(cls, *, custom_id: str | None = None, **kwargs: Any) -> None:
        if custom_id is None:  # an abstract kind of item (a button, a select), not a component yet
            super().__init_subclass__(template=r"(?!)", **kwargs)
            return
        pattern, template, converters = _parse_format(custom_id)
        super().__init_subclass__(template=pattern, **kwargs)
        cls.custom_id_format, cls._custom_id_template, cls._converters = custom_id, template, converters

    def _custom_id(self, fields: dict[str, Any]) -> str:
        """The custom_id for these field values, after setting each as an attribute."""
        custom_id = self._custom_id_template.format_map(fields)
        if len(custom_id) > CUSTOM_ID_LIMIT:
            raise ValueError(f"custom_id longer than Discord's {CUSTOM_ID_LIMIT} characters: {custom_id!r}")
        for name, value in fields.items():
            setattr(self, name, value)
        return custom_id

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        # Runs in the click's own task, before `run`: the answer is in the member's language.
        set_locale(interaction.locale)
        return True

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PersistentItem[ItemT]:
        return cls(**{name: convert(match[name]) for name, convert in cls._converters.items()})


class PersistentButton(PersistentItem[discord.ui.Button]):
    """A button whose custom_id carries its state."""

    def __init__(
        self,
        *,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        emoji: str | None = None,
        **fields: Any,
    ) -> None:
        custom_id = self._custom_id(fields)
        super().__init__(
            discord.ui.Button(label=label[:80] or "…", style=style, emoji=emoji, custom_id=custom_id)
        )


class PersistentSelect(PersistentItem[discord.ui.Select]):
    """A select menu whose custom_id carries its state; the chosen values arrive with the click.

    Rebuilt from a click it has no options (discord.py fills `values` from the interaction)."""

    def __init__(
        self, *, placeholder: str = "", options: list[discord.SelectOption] | None = None, **fields: Any
    ) -> None:
        custom_id = self._custom_id(fields)
        super().__init__(
            discord.ui.Select(
                custom_id=custom_id, placeholder=placeholder[:150] or None, options=options or []
            )
        )

    @property
    def values(self) -> list[str]:
        return self.item.values


class FeatureCog(commands.Cog):
    """A cog that registers the persistent buttons it renders while it is loaded, and only then."""

    persistent_items: ClassVar[Iterable[type[PersistentItem[Any]]]] = ()

    def __init__(self, bot: commands.Bot | commands.AutoShardedBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*self.persistent_items)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*self.persistent_items)
