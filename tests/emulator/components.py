"""The `data` of component interactions (button clicks, select choices) and modal submits, found and
checked the way a member's Discord client would (no disabled buttons, select value counts, modal limits).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.emulator.interactions import EmulatorUsageError
from tests.emulator.messages import Message
from tests.emulator.models import Role
from tests.emulator.options import Resolver


def iter_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every component in a message or modal, depth first (rows, sections, containers, labels)."""
    found: list[dict[str, Any]] = []
    for component in components:
        found.append(component)
        found.extend(iter_components(component.get("components") or []))
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                found.extend(iter_components([component[key]]))
    return found


def find_component(message: Message, which: str, types: set[int]) -> dict[str, Any]:
    """The component whose label, placeholder or custom_id is `which`; exactly one must match."""
    candidates = [
        component
        for component in iter_components(message.components)
        if component.get("type") in types
        and which in (component.get("custom_id"), component.get("label"), component.get("placeholder"))
    ]
    if not candidates:
        visible = [
            component.get("label") or component.get("placeholder") or component.get("custom_id")
            for component in iter_components(message.components)
            if component.get("type") in types
        ]
        raise EmulatorUsageError(f"message {message.id} has no component {which!r}; it has {visible}")
    if len(candidates) > 1:
        raise EmulatorUsageError(
            f"message {message.id} has several components matching {which!r}; use the custom_id"
        )
    component = candidates[0]
    if component.get("disabled"):
        raise EmulatorUsageError(f"{which!r} is disabled: a member cannot use it")
    if component.get("type") == 2 and component.get("style") in (5, 6):
        raise EmulatorUsageError(f"{which!r} is a link or premium button: it sends no interaction")
    return component


def select_values(
    component: dict[str, Any], values: list[Any], resolver: Resolver
) -> tuple[list[str], dict[str, Any]]:
    """Encode a select's chosen values (string options, or users/roles/channels) and their resolved data."""
    low, high = component.get("min_values", 1), component.get("max_values", 1)
    if not low <= len(values) <= high:
        raise EmulatorUsageError(f"this select takes {low} to {high} values, not {len(values)}")
    kind = component["type"]
    if kind == 3:
        options = {option["value"]: option for option in component.get("options") or []}
        by_label = {option["label"]: option["value"] for option in component.get("options") or []}
        chosen = []
        for value in values:
            if value in options:
                chosen.append(value)
            elif value in by_label:
                chosen.append(by_label[value])
            else:
                raise EmulatorUsageError(f"{value!r} is not an option of this select: {sorted(options)}")
        return chosen, {}
    encoded = []
    for value in values:
        if kind == 6 or (kind == 7 and isinstance(value, Role)):
            encoded.append(resolver.role(value))
        elif kind == 8:
            encoded.append(resolver.channel(value, component.get("channel_types")))
        else:
            encoded.append(resolver.user(value))
    return encoded, resolver.resolved


def modal_fields(modal: dict[str, Any]) -> list[dict[str, Any]]:
    """The inputs of a modal with their label (from the text input or its Label), in order."""
    fields = []
    for component in modal.get("components") or []:
        if component.get("type") == 1:
            for child in component.get("components") or []:
                fields.append({**child, "label": child.get("label")})
        elif component.get("type") == 18 and isinstance(component.get("component"), dict):
            fields.append({**component["component"], "label": component.get("label")})
    return fields


def modal_submission(modal: dict[str, Any], values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The `components` of a modal submit, mirroring the modal's layout, with Discord's client-side checks."""
    fields = modal_fields(modal)
    known = {f["custom_id"] for f in fields} | {f["label"] for f in fields if f.get("label")}
    unknown = set(values) - known
    if unknown:
        raise EmulatorUsageError(f"the modal {modal.get('title')!r} has no input {sorted(unknown)}")

    def answer(component: dict[str, Any], label: str | None) -> dict[str, Any]:
        custom_id = component["custom_id"]
        value = values.get(custom_id, values.get(label or "", None))
        if component.get("type") == 4:
            text = "" if value is None else str(value)
            if component.get("required", True) and not text:
                raise EmulatorUsageError(f"the modal input {label or custom_id!r} is required")
            low, high = component.get("min_length", 0), component.get("max_length", 4000)
            if text and not low <= len(text) <= high:
                raise EmulatorUsageError(
                    f"the modal input {label or custom_id!r} takes {low} to {high} characters"
                )
            return {"type": 4, "custom_id": custom_id, "value": text}
        chosen = [] if value is None else list(value) if isinstance(value, list | tuple) else [value]
        return {"type": component["type"], "custom_id": custom_id, "values": [str(v) for v in chosen]}

    submitted = []
    for component in modal.get("components") or []:
        if component.get("type") == 1:
            children = [answer(child, child.get("label")) for child in component.get("components") or []]
            submitted.append({"type": 1, "components": children})
        elif component.get("type") == 18:
            submitted.append(
                {"type": 18, "component": answer(component["component"], component.get("label"))}
            )
    return submitted
