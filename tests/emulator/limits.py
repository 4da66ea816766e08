"""Discord's validation rules for what a bot sends: messages, embeds, components, autocomplete, modals.

Each check adds errors to a `FormErrors` at the field path Discord reports (`embeds.0.title`, ...), with
Discord's own error codes and messages, so the bot sees the same 400 "Invalid Form Body" it would in
production. Command definitions (sync) are checked in `commands.py`.

To add a limit: add a constant below, check it in the function for that object, and add a row to the
table in tests/test_emulator_limits.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.emulator.errors import FormErrors, empty_message

CONTENT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
EMBEDS_TOTAL = 6000

ACTION_ROWS = 5
ROW_WIDTH = 5
CUSTOM_ID = 100
BUTTON_LABEL = 80
SELECT_OPTIONS = 25
SELECT_OPTION_TEXT = 100
SELECT_PLACEHOLDER = 150
COMPONENTS_V2_TOTAL = 40
TEXT_DISPLAY_TOTAL = 4000

CHOICES = 25
CHOICE_NAME = 100
CHOICE_STRING_VALUE = 100

MODAL_TITLE = 45
MODAL_COMPONENTS = 5
TEXT_INPUT_LABEL = 45
TEXT_INPUT_LENGTH = 4000
TEXT_INPUT_PLACEHOLDER = 100

ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT = 1, 2, 3, 4
SELECTS = {3, 5, 6, 7, 8}
TEXT_DISPLAY, LABEL = 10, 18
LINK, PREMIUM = 5, 6


def check_message(payload: dict[str, Any], errors: FormErrors) -> None:
    """Content, embeds and components of a create or edit body (only the fields present)."""
    with errors.at("content"):
        errors.max_length(payload.get("content"), CONTENT)
    embeds = payload.get("embeds")
    if embeds:
        check_embeds(embeds, errors)
    components = payload.get("components")
    if components:
        if int(payload.get("flags") or 0) & (1 << 15):
            check_components_v2(components, errors)
        else:
            check_action_rows(components, errors)


def check_not_empty(
    content: str, embeds: Sequence[Any], components: Sequence[Any], attachments: Sequence[Any]
) -> None:
    """Discord refuses a message with nothing to show (50006)."""
    if not content.strip() and not embeds and not components and not attachments:
        raise empty_message()


def embed_size(embed: dict[str, Any]) -> int:
    """Characters Discord counts toward the 6,000 per message: title, description, fields, footer, author."""
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "") + len(
        (embed.get("author") or {}).get("name") or ""
    )
    for embed_field in embed.get("fields") or []:
        size += len(embed_field.get("name") or "") + len(embed_field.get("value") or "")
    return size


def check_embeds(embeds: list[dict[str, Any]], errors: FormErrors) -> None:
    """At most 10 embeds, 6,000 characters in all, and each embed's own limits."""
    with errors.at("embeds"):
        errors.max_length(embeds, EMBEDS_PER_MESSAGE)
        if sum(embed_size(embed) for embed in embeds) > EMBEDS_TOTAL:
            errors.add("MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBEDS_TOTAL}")
    for index, embed in enumerate(embeds):
        with errors.at("embeds", index):
            _check_embed(embed, errors)


def _check_embed(embed: dict[str, Any], errors: FormErrors) -> None:
    with errors.at("title"):
        errors.max_length(embed.get("title"), EMBED_TITLE)
    with errors.at("description"):
        errors.max_length(embed.get("description"), EMBED_DESCRIPTION)
    with errors.at("footer", "text"):
        errors.max_length((embed.get("footer") or {}).get("text"), EMBED_FOOTER)
    with errors.at("author", "name"):
        errors.max_length((embed.get("author") or {}).get("name"), EMBED_AUTHOR)
    fields = embed.get("fields") or []
    with errors.at("fields"):
        errors.max_length(fields, EMBED_FIELDS)
    for index, embed_field in enumerate(fields):
        with errors.at("fields", index, "name"):
            if errors.required(embed_field.get("name") or None):
                errors.max_length(embed_field["name"], EMBED_FIELD_NAME)
        with errors.at("fields", index, "value"):
            if errors.required(embed_field.get("value") or None):
                errors.max_length(embed_field["value"], EMBED_FIELD_VALUE)


def check_action_rows(rows: list[dict[str, Any]], errors: FormErrors) -> None:
    """Classic components: up to 5 action rows; 5 buttons or one select per row; unique custom ids."""
    with errors.at("components"):
        errors.max_length(rows, ACTION_ROWS)
    seen: set[str] = set()
    for row_index, row in enumerate(rows):
        with errors.at("components", row_index):
            if row.get("type") != ACTION_ROW:
                with errors.at("type"):
                    errors.add(
                        "COMPONENT_TYPE_INVALID", "The specified component type is invalid in this context"
                    )
                continue
            _check_row(row.get("components") or [], errors, seen)


def _check_row(children: list[dict[str, Any]], errors: FormErrors, seen: set[str]) -> None:
    with errors.at("components"):
        errors.length_between(children, 1, ROW_WIDTH)
    has_select = any(child.get("type") in SELECTS for child in children)
    for index, child in enumerate(children):
        with errors.at("components", index):
            if has_select and len(children) > 1:
                errors.add(
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width"
                )
            _check_interactive(child, errors, seen)


def _check_interactive(component: dict[str, Any], errors: FormErrors, seen: set[str]) -> None:
    kind = component.get("type")
    if kind == BUTTON:
        with errors.at("label"):
            errors.max_length(component.get("label"), BUTTON_LABEL)
        if component.get("style") in (LINK, PREMIUM):
            return
    elif kind in SELECTS:
        with errors.at("placeholder"):
            errors.max_length(component.get("placeholder"), SELECT_PLACEHOLDER)
        if kind == STRING_SELECT:
            options = component.get("options") or []
            with errors.at("options"):
                errors.length_between(options, 1, SELECT_OPTIONS)
            for index, option in enumerate(options):
                for key in ("label", "value", "description"):
                    with errors.at("options", index, key):
                        errors.max_length(option.get(key), SELECT_OPTION_TEXT)
    else:
        return
    custom_id = component.get("custom_id")
    with errors.at("custom_id"):
        errors.length_between(custom_id, 1, CUSTOM_ID)
        if custom_id and custom_id in seen:
            errors.add("COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
    if custom_id:
        seen.add(custom_id)


def check_components_v2(components: list[dict[str, Any]], errors: FormErrors) -> None:
    """Layout components (sections, containers, text displays): totals, and rows as in classic messages."""
    seen: set[str] = set()
    count = 0
    text = 0

    def walk(items: list[dict[str, Any]]) -> None:
        nonlocal count, text
        for index, item in enumerate(items):
            count += 1
            with errors.at(index):
                if item.get("type") == ACTION_ROW:
                    _check_row(item.get("components") or [], errors, seen)
                    count += len(item.get("components") or [])
                    continue
                if item.get("type") == TEXT_DISPLAY:
                    text += len(item.get("content") or "")
                _check_interactive(item, errors, seen)
                if isinstance(item.get("accessory"), dict):
                    with errors.at("accessory"):
                        _check_interactive(item["accessory"], errors, seen)
                    count += 1
                if item.get("components"):
                    with errors.at("components"):
                        walk(item["components"])

    with errors.at("components"):
        walk(components)
        if count > COMPONENTS_V2_TOTAL:
            errors.add("BASE_TYPE_MAX_LENGTH", f"Must be {COMPONENTS_V2_TOTAL} or fewer in length.")
        if text > TEXT_DISPLAY_TOTAL:
            errors.add(
                "BASE_TYPE_MAX_LENGTH", f"Text displays must be {TEXT_DISPLAY_TOTAL} or fewer in length."
            )


def check_choices(data: dict[str, Any], errors: FormErrors) -> None:
    """An autocomplete answer: at most 25 choices, names 1-100 characters, string values up to 100."""
    choices = data.get("choices")
    with errors.at("choices"):
        if not isinstance(choices, list):
            errors.required(None)
            return
        errors.max_length(choices, CHOICES)
    for index, choice in enumerate(choices):
        with errors.at("choices", index, "name"):
            errors.length_between(choice.get("name"), 1, CHOICE_NAME)
        value = choice.get("value")
        with errors.at("choices", index, "value"):
            if errors.required(value) and isinstance(value, str):
                errors.max_length(value, CHOICE_STRING_VALUE)


def check_modal(data: dict[str, Any], errors: FormErrors) -> None:
    """A modal: title 1-45, custom_id 1-100, 1-5 rows or labels each holding one input."""
    with errors.at("title"):
        errors.length_between(data.get("title"), 1, MODAL_TITLE)
    with errors.at("custom_id"):
        errors.length_between(data.get("custom_id"), 1, CUSTOM_ID)
    components = data.get("components") or []
    with errors.at("components"):
        errors.length_between(components, 1, MODAL_COMPONENTS)
    for index, component in enumerate(components):
        with errors.at("components", index):
            if component.get("type") == ACTION_ROW:
                children = component.get("components") or []
                with errors.at("components"):
                    errors.length_between(children, 1, 1)
                for child_index, child in enumerate(children):
                    with errors.at("components", child_index):
                        _check_modal_input(child, errors, label=child.get("label"))
            elif component.get("type") == LABEL:
                with errors.at("label"):
                    errors.length_between(component.get("label"), 1, TEXT_INPUT_LABEL)
                with errors.at("component"):
                    _check_modal_input(component.get("component") or {}, errors, label=None)
            elif component.get("type") != TEXT_DISPLAY:
                with errors.at("type"):
                    errors.add(
                        "COMPONENT_TYPE_INVALID", "The specified component type is invalid in this context"
                    )


def _check_modal_input(component: dict[str, Any], errors: FormErrors, label: str | None) -> None:
    with errors.at("custom_id"):
        errors.length_between(component.get("custom_id"), 1, CUSTOM_ID)
    if component.get("type") in SELECTS:
        _check_interactive(component, errors, set())
        return
    if component.get("type") != TEXT_INPUT:
        with errors.at("type"):
            errors.add("COMPONENT_TYPE_INVALID", "The specified component type is invalid in this context")
        return
    if label is not None:
        with errors.at("label"):
            errors.length_between(label, 1, TEXT_INPUT_LABEL)
    with errors.at("placeholder"):
        errors.max_length(component.get("placeholder"), TEXT_INPUT_PLACEHOLDER)
    low, high = component.get("min_length"), component.get("max_length")
    with errors.at("min_length"):
        _number_between(low, 0, TEXT_INPUT_LENGTH, errors)
    with errors.at("max_length"):
        _number_between(high, 1, TEXT_INPUT_LENGTH, errors)
    value = component.get("value")
    with errors.at("value"):
        errors.max_length(value, high if high is not None else TEXT_INPUT_LENGTH)
        if value and low is not None and len(value) < low:
            errors.add("BASE_TYPE_MIN_LENGTH", f"Must be {low} or more in length.")


def _number_between(value: int | None, low: int, high: int, errors: FormErrors) -> None:
    if value is not None and value < low:
        errors.add("NUMBER_TYPE_MIN", f"int value should be greater than or equal to {low}.")
    elif value is not None and value > high:
        errors.add("NUMBER_TYPE_MAX", f"int value should be less than or equal to {high}.")
