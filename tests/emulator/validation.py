"""The validator for Discord's API description: jsonschema's Draft 2020-12 validator, read as the
description's README asks, with shortcuts that keep a check well under a millisecond.

The reading: an int-parseable string is an integer ("Our API accepts strings for int fields if they are
parseable as ints"), and a oneOf means the same as an anyOf ("they all mean that only one type from the
list can be used": with such strings a digit nonce fits both of its formats).

The shortcuts decide only what they can decide exactly (tests/test_emulator_schema.py holds them to
plain jsonschema's verdicts); anything else is jsonschema's own work, and so are all the errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.protocols import Validator

# discord.py sends `default_member_permissions` as a string, for one.
_INT_STRING = re.compile(r"-?[0-9]+")


def _is_integer(checker: Any, instance: object) -> bool:
    return Draft202012Validator.TYPE_CHECKER.is_type(instance, "integer") or (
        isinstance(instance, str) and _INT_STRING.fullmatch(instance) is not None
    )


TYPE_CHECKER = Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer)


def reference_validator(schema: Any) -> Validator:
    """Plain jsonschema on `schema`, read the same way but without the shortcuts: what they must agree with."""
    any_of = Draft202012Validator.VALIDATORS["anyOf"]
    plain = validators.extend(Draft202012Validator, {"oneOf": any_of}, type_checker=TYPE_CHECKER)
    validator: Validator = plain(schema)
    return validator


def each_node(document: dict[str, Any]) -> Iterator[dict[str, Any] | list[Any]]:
    """Every dict and list of the document once, cycles included; a node's children are visited after
    the caller has seen (and possibly changed) the node."""
    seen: set[int] = set()
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        children = node.values() if isinstance(node, dict) else node
        stack.extend(child for child in children if isinstance(child, dict | list))


# -- unions ---------------------------------------------------------------------------------------------
# Trying every branch in turn is most of jsonschema's time and reports "not valid under any of the
# given schemas", so three common shapes are decided at once, with the chosen branch's own errors:
# - told apart by a "type" field (components, command options, interaction callbacks): the branch the
#   "type" names, as Discord does (else UNION_TYPE_CHOICES);
# - constants only (the enums: component types, button styles...): a set lookup;
# - "null or X" (most optional fields): None, or X.


@dataclass(frozen=True)
class _UnionPlan:
    by_type: dict[int | str, int] | None = None
    constants: tuple[Any, ...] = ()
    is_constant: Callable[[Any], bool] | None = None
    not_null: tuple[int, ...] | None = None


_NO_PLAN = _UnionPlan()


def _union_plans(document: dict[str, Any]) -> dict[int, _UnionPlan]:
    """A plan for each oneOf/anyOf list of the document, by the list's `id` (the document lives on)."""
    plans: dict[int, _UnionPlan] = {}

    def by_type(branches: list[Any]) -> dict[int | str, int] | None:
        table: dict[int | str, int] = {}
        for index, branch in enumerate(branches):
            if not isinstance(branch, dict) or "type" not in branch.get("required", ()):
                return None
            kind = branch.get("properties", {}).get("type", {})
            values = kind.get("enum", [kind["const"]] if "const" in kind else None)
            if not values:
                return None
            for value in values:
                if value in table or isinstance(value, bool) or not isinstance(value, int | str):
                    return None
                table[value] = index
        return table

    def plan(branches: list[Any]) -> _UnionPlan | None:
        if (constants := _constants_of(branches)) is not None:
            return _UnionPlan(constants=constants, is_constant=_constant_check(constants))
        if (table := by_type(branches)) is not None:
            return _UnionPlan(by_type=table)
        nulls = [i for i, b in enumerate(branches) if b == {"type": "null"}]
        if nulls:
            return _UnionPlan(not_null=tuple(i for i in range(len(branches)) if i not in nulls))
        return None

    for node in each_node(document):
        for keyword in ("oneOf", "anyOf"):
            branches = node.get(keyword) if isinstance(node, dict) else None
            if isinstance(branches, list) and (found := plan(branches)) is not None:
                plans[id(branches)] = found
    return plans


_CONSTANT_KEYS = {"const", "title", "description"}


def _is_constant(instance: Any, constants: tuple[Any, ...]) -> bool:
    # jsonschema's equality: True is not 1.
    return any(
        instance == value and isinstance(instance, bool) == isinstance(value, bool) for value in constants
    )


def _constant_check(constants: tuple[Any, ...]) -> LeafCheck:
    """`_is_constant` as a set lookup, when every constant is a plain scalar (they all are, so far)."""
    if not all(isinstance(value, str | int | float | type(None)) for value in constants):
        return lambda value: _is_constant(value, constants)
    keys = frozenset((isinstance(value, bool), value) for value in constants)
    scalar = (str, int, float, type(None))
    return lambda value: isinstance(value, scalar) and (isinstance(value, bool), value) in keys


# -- leaves ---------------------------------------------------------------------------------------------
# Most fields are leaves: a type, maybe a length or a range ({"type": ["string", "null"], "maxLength":
# 256}). jsonschema spends ~10 µs entering any subschema, so a leaf whose value plainly passes is
# accepted without entering it; a value that fails is handed to jsonschema, whose errors are reported.

_LEAF_KEYS = {"type", "maxLength", "minLength", "minimum", "maximum", "format", "title", "description"}
_CHOICE_KEYS = {"enum", "allOf", "oneOf", "anyOf"}

LeafCheck = Callable[[Any], bool]


def leaf_check(schema: dict[str, Any]) -> LeafCheck | None:
    """For a leaf schema, a function true for the values it accepts; None for any other schema.

    A leaf: a type, lengths, a range, maybe an enum, and unions or allOfs of constants or leaves
    (`{"type": "integer", "enum": [2], "allOf": [{"type": "integer", "oneOf": [{"const": 1}, ...]}]}`)."""
    if not set(schema) <= _LEAF_KEYS | _CHOICE_KEYS or not _is_schema_shaped(schema):
        return None
    parts: list[LeafCheck] = []
    if "type" in schema:
        parts.append(_typed_check(schema))
    if "enum" in schema:
        parts.append(_constant_check(tuple(schema["enum"])))
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            constants = _constants_of(schema[keyword])
            if constants is None:
                return None
            parts.append(_constant_check(constants))
    for sub in schema.get("allOf", ()):
        sub_check = leaf_check(sub) if isinstance(sub, dict) else None
        if sub_check is None:
            return None
        parts.append(sub_check)
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return lambda value: all(part(value) for part in parts)


def _is_schema_shaped(node: dict[str, Any]) -> bool:
    """Whether keys that look like keywords hold keyword values (a "properties" map may have a field
    called "type")."""
    kind = node.get("type", "string")
    kinds = [kind] if isinstance(kind, str) else kind
    return (
        isinstance(kinds, list)
        and all(k in _IS_TYPE for k in kinds)
        and all(isinstance(node.get(k, []), list) for k in ("enum", "allOf", "oneOf", "anyOf"))
        and all(
            isinstance(node.get(k, 0), int | float) for k in ("maxLength", "minLength", "minimum", "maximum")
        )
    )


def _is_json_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, str) and _INT_STRING.fullmatch(value) is not None


# The type checker's answers (with int-parseable strings as integers), without its lookups.
_IS_TYPE: dict[str, LeafCheck] = {
    "string": lambda value: isinstance(value, str),
    "integer": _is_json_integer,
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
}


def _typed_check(schema: dict[str, Any]) -> LeafCheck:
    types = [
        _IS_TYPE[kind] for kind in ([schema["type"]] if isinstance(schema["type"], str) else schema["type"])
    ]
    max_length, min_length = schema.get("maxLength"), schema.get("minLength")
    minimum, maximum = schema.get("minimum"), schema.get("maximum")

    def accepts(value: Any) -> bool:
        if not any(is_type(value) for is_type in types):
            return False
        if isinstance(value, str):
            return (max_length is None or len(value) <= max_length) and (
                min_length is None or len(value) >= min_length
            )
        if isinstance(value, int | float) and not isinstance(value, bool):
            return (minimum is None or value >= minimum) and (maximum is None or value <= maximum)
        return True

    return accepts


def _constants_of(branches: list[Any]) -> tuple[Any, ...] | None:
    """The values of a union of constants (an enum spelled `oneOf: [{"const": 1, "title": ...}, ...]`)."""
    if all(isinstance(b, dict) and "const" in b and not set(b) - _CONSTANT_KEYS for b in branches):
        return tuple(b["const"] for b in branches)
    return None


def _leaf_checks(document: dict[str, Any]) -> dict[int, LeafCheck]:
    """The leaf check of every leaf schema of the document, by the schema's `id`."""
    return {
        id(node): check
        for node in each_node(document)
        if isinstance(node, dict) and (check := leaf_check(node)) is not None
    }


def validator_class(document: dict[str, Any]) -> Any:
    """The validator class for schemas of `document` (its references already resolved in place)."""
    return _extended(_union_plans(document), _leaf_checks(document))


def _extended(plans: dict[int, _UnionPlan], leaves: dict[int, LeafCheck]) -> Any:
    any_of = Draft202012Validator.VALIDATORS["anyOf"]
    original_items = Draft202012Validator.VALIDATORS["items"]
    original_additional = Draft202012Validator.VALIDATORS["additionalProperties"]
    last_match: dict[int, int] = {}

    def properties(validator: Any, fields: dict[str, Any], instance: Any, schema: Any) -> Iterator[Any]:
        if not isinstance(instance, dict):
            return
        for name, subschema in fields.items():
            if name in instance:
                check = leaves.get(id(subschema))
                if check is None or not check(instance[name]):
                    yield from validator.descend(instance[name], subschema, path=name, schema_path=name)

    def items(validator: Any, item_schema: Any, instance: Any, schema: Any) -> Iterator[Any]:
        check = leaves.get(id(item_schema))
        plain_list = isinstance(instance, list) and "prefixItems" not in schema
        if check is not None and plain_list and all(map(check, instance)):
            return
        yield from original_items(validator, item_schema, instance, schema)

    def additional_properties(validator: Any, extra: Any, instance: Any, schema: Any) -> Iterator[Any]:
        check = leaves.get(id(extra))
        if check is not None and isinstance(instance, dict) and "patternProperties" not in schema:
            known = schema.get("properties", {})
            if all(check(value) for name, value in instance.items() if name not in known):
                return
        yield from original_additional(validator, extra, instance, schema)

    def union(validator: Any, branches: list[Any], instance: Any, schema: Any) -> Iterator[Any]:
        plan = plans.get(id(branches), _NO_PLAN)
        if plan.is_constant is not None:
            if not plan.is_constant(instance):
                yield ValidationError(
                    f"{instance!r} is not one of {list(plan.constants)}",
                    validator="enum",
                    validator_value=list(plan.constants),
                )
            return
        if plan.by_type is not None and isinstance(instance, dict):
            kind = instance.get("type")
            index = (
                None if isinstance(kind, bool) or not isinstance(kind, int | str) else plan.by_type.get(kind)
            )
            if index is None:
                choices = ", ".join(map(str, plan.by_type))
                yield ValidationError(f'Value of field "type" must be one of ({choices}).', validator="union")
            else:
                yield from validator.descend(instance, branches[index], schema_path=index)
            return
        candidates = tuple(range(len(branches)))
        if plan.not_null is not None:
            if instance is None:
                return
            candidates = plan.not_null
        if len(candidates) == 1:
            yield from validator.descend(instance, branches[candidates[0]], schema_path=candidates[0])
            return
        # Any other union: the first branch with no error wins, the last winner tried first and each
        # branch dropped at its first error; only a body none accepts pays for every branch's errors.
        preferred = last_match.get(id(branches))
        for index in sorted(candidates, key=lambda index: index != preferred):
            if next(validator.descend(instance, branches[index], schema_path=index), None) is None:
                last_match[id(branches)] = index
                return
        yield from any_of(validator, [branches[index] for index in candidates], instance, schema)

    return validators.extend(
        Draft202012Validator,
        {
            "oneOf": union,
            "anyOf": union,
            "properties": properties,
            "items": items,
            "additionalProperties": additional_properties,
        },
        type_checker=TYPE_CHECKER,
    )
