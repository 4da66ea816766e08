"""Readable differences between two revisions of a fact, for history and the audit channel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_VALUE_SHOWN = 120


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_VALUE_SHOWN else text[: MAX_VALUE_SHOWN - 1] + "…"


def _source_label(source: Mapping[str, Any]) -> str:
    return f"{source.get('publisher', '?')} <{source.get('url', '?')}>"


def describe_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    """One line per change: `~ summary: "old" → "new"`, `+ alias: X`, `- source: P <url>`."""
    if old is None:
        return [f"+ created `{new.get('id')}`: {_short(new.get('title', ''))}"]
    lines: list[str] = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key == "retired":
            lines.append("~ retired" if after else "~ restored")
        elif key == "figures":
            before_map, after_map = dict(before or {}), dict(after or {})
            for name in sorted(set(before_map) | set(after_map)):
                if before_map.get(name) != after_map.get(name):
                    lines.append(
                        f"~ {name}: {_short(before_map.get(name, '—'))} → {_short(after_map.get(name, '—'))}"
                    )
        elif key == "sources":
            before_set = {_source_label(s) for s in before or []}
            after_set = {_source_label(s) for s in after or []}
            lines += [f"- source: {s}" for s in sorted(before_set - after_set)]
            lines += [f"+ source: {s}" for s in sorted(after_set - before_set)]
            if before_set == after_set:
                lines.append("~ source titles or dates changed")
        elif isinstance(before, list) or isinstance(after, list):
            lines += [f"- {key}: {_short(v)}" for v in before or [] if v not in (after or [])]
            lines += [f"+ {key}: {_short(v)}" for v in after or [] if v not in (before or [])]
        else:
            lines.append(
                f"~ {key}: {_short(before if before is not None else '—')} → "
                f"{_short(after if after is not None else '—')}"
            )
    return lines or ["(no change in content)"]
