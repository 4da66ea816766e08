"""Readable differences between two revisions of a fact, for history and the audit channel, in the
words a moderator reads on a card: "Systems: Hwasong-15 → Hwasong-17", "Added alias: HS-17"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.moderation.model.wording import field_label, figure_label

MAX_VALUE_SHOWN = 120
# Singular words for one item added to or removed from a list field.
_ITEM_WORDS = {
    "aliases": "alias",
    "tags": "tag",
    "related": "related fact",
    "responds_to": "in response to",
}


def _short(value: Any) -> str:
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value) or "—"
    else:
        text = str(value) if value not in (None, "") else "—"
    text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE_SHOWN else text[: MAX_VALUE_SHOWN - 1] + "…"


def _source_label(source: Mapping[str, Any]) -> str:
    return f"{source.get('publisher', '?')} <{source.get('url', '?')}>"


def describe_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    """One line per change: `Summary: old → new`, `Added alias: X`, `Removed source: P <url>`."""
    if old is None:
        return [f"Created: {_short(new.get('title', ''))} ({new.get('id')})"]
    lines: list[str] = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key == "retired":
            lines.append("Retired" if after else "Restored")
        elif key == "figures":
            before_map, after_map = dict(before or {}), dict(after or {})
            for name in sorted(set(before_map) | set(after_map)):
                if before_map.get(name) != after_map.get(name):
                    lines.append(
                        f"{figure_label(name)}: {_short(before_map.get(name))} → {_short(after_map.get(name))}"
                    )
        elif key == "sources":
            before_set = {_source_label(s) for s in before or []}
            after_set = {_source_label(s) for s in after or []}
            lines += [f"Removed source: {s}" for s in sorted(before_set - after_set)]
            lines += [f"Added source: {s}" for s in sorted(after_set - before_set)]
            if before_set == after_set:
                lines.append("Source titles or dates changed")
        elif isinstance(before, list) or isinstance(after, list):
            word = _ITEM_WORDS.get(key, field_label(key).lower())
            lines += [f"Removed {word}: {_short(v)}" for v in before or [] if v not in (after or [])]
            lines += [f"Added {word}: {_short(v)}" for v in after or [] if v not in (before or [])]
        else:
            lines.append(f"{field_label(key)}: {_short(before)} → {_short(after)}")
    return lines or ["(no change in content)"]
