"""Every request body checked against Discord's own API description.

Discord publishes its HTTP API as an OpenAPI 3.1 document (github.com/discord/discord-api-spec), vendored
in spec/openapi.json (see spec/README.md). Each JSON body the bot sends (or the `payload_json` part of a
multipart one) is validated against the request schema of its operation with `jsonschema` (Draft 2020-12,
see validation.py), `$ref`s resolved against the whole document by `referencing` (once, at load). A body that fails answers 400 50035 "Invalid
Form Body" with the field paths, as Discord would, and is kept in `EmulatorState.schema_refusals` so the
test fails at teardown even if the bot swallowed the error.

The hand-written checks (limits.py, commands.py, ...) stay: they say what the description cannot (6,000
characters over all embeds, unique custom ids, a bot's 2,000-character content where the description
allows 4,000).

Where the description is stricter than Discord itself, `_loosen` follows the documentation, with sources.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.emulator.errors import INVALID_FORM_BODY, ApiError, FormErrors
from tests.emulator.validation import each_node, leaf_check, reference_validator, validator_class

SPEC_PATH = Path(__file__).with_name("spec") / "openapi.json"
_DOCUMENT_URI = "urn:discord-api-spec:openapi.json"
_JSON = "application/json"
_METHODS = ("get", "put", "post", "patch", "delete")
_ANSWERS_KEPT = 1024


def _loosen(schemas: dict[str, Any]) -> None:
    """Where the description is stricter than Discord's documentation (and Discord), follow the
    documentation, as the description's README asks; each change with its source."""
    # Snowflakes may be sent as numbers: the attachment request structure's `id` is "snowflake or
    # number", the n of `files[n]` for a new file (discord.com/developers/docs/resources/message
    # #attachment-object-attachment-request-structure; /reference#uploading-files sends `"id": 0`).
    # discord.py sends ids as JSON numbers: attachments (new or kept), allowed_mentions' users and
    # roles, message_reference.
    schemas["SnowflakeType"] = {
        "anyOf": [
            {"type": "string", "pattern": "^(0|[1-9][0-9]*)$", "format": "snowflake"},
            {"type": "integer", "minimum": 0, "maximum": 2**64 - 1},
        ]
    }
    # GUILD_MEDIA (16) is a channel type (discord.com/developers/docs/resources/channel
    # #channel-object-channel-types) the description's ChannelTypes lacks; discord.py offers forum
    # and media channels for a `discord.ForumChannel` option (channel_types [..., 15, 16]).
    channel_types = schemas["ChannelTypes"]["oneOf"]
    if not any(branch.get("const") == 16 for branch in channel_types):
        channel_types.append({"title": "GUILD_MEDIA", "const": 16})


# Operations whose body is a union the body alone cannot tell apart ("anyOf" of objects whose fields are
# all optional, or a subset of another's): any body passes one branch or the other, so the emulator
# checks the branch it serves.
_BRANCH_SERVED = {
    # A text channel's thread (name only) or a forum post (name and message): the emulator serves forum
    # posts (a text channel answers 50024), so a post's `message` is checked, not ignored.
    "create_thread": "CreateForumThreadRequest",
    # Executing a webhook, or an update's fields (a subset): a follow-up is an execution (discord.com/
    # developers/docs/interactions/receiving-and-responding#create-followup-message), `tts` included.
    "execute_webhook": "IncomingWebhookRequestPartial",
}


@dataclass(frozen=True)
class SchemaRefusal:
    """A request body Discord's API description refuses: the emulator route, the operation, the errors."""

    route: str
    operation: str
    errors: dict[str, Any]

    def error(self) -> ApiError:
        return ApiError(400, INVALID_FORM_BODY, "Invalid Form Body", self.errors)

    def paths(self) -> list[str]:
        """The dotted paths of the refused fields ("embeds.0.title"; "" for the body itself)."""
        return [path for path, _, _ in _flatten(self.errors)]

    def lines(self) -> list[str]:
        """One line per field error: "embeds.0.title: BASE_TYPE_STRING Could not interpret ..."."""
        return [f"{path or '(body)'}: {code} {message}" for path, code, message in _flatten(self.errors)]

    def describe(self) -> str:
        return f"{self.route} ({self.operation}): " + "; ".join(self.lines())


def _flatten(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str, str]]:
    for key, value in tree.items():
        if key == "_errors":
            for error in value:
                yield prefix, error["code"], error["message"]
        else:
            yield from _flatten(value, f"{prefix}.{key}" if prefix else key)


@dataclass
class Operation:
    """One operation of the description (method + path) and its request body schema, if it takes one."""

    method: str
    path: str
    operation_id: str
    body_pointer: str | None
    body_required: bool
    _validator: Validator | None = None

    @property
    def takes_body(self) -> bool:
        return self.body_pointer is not None


class ApiDescription:
    """Discord's OpenAPI document, its operations found by path shape, a validator compiled per operation."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        _loosen(document["components"]["schemas"])
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        registry: Registry[Any] = Registry().with_resource(_DOCUMENT_URI, resource)
        _inline_references(document, registry)
        self._validator_class = validator_class(document)
        self._by_shape: dict[tuple[str, int], list[tuple[list[str], Operation]]] = {}
        for path, item in document["paths"].items():
            for method in _METHODS:
                if method in item:
                    operation = _operation(method.upper(), path, item[method])
                    segments = path.strip("/").split("/")
                    self._by_shape.setdefault((method.upper(), len(segments)), []).append(
                        (segments, operation)
                    )
        self._by_route: dict[tuple[str, str], Operation | None] = {}
        self._answers: dict[tuple[str, bytes], dict[str, Any] | None] = {}
        # Seconds each check took, for the test session's summary (tests/emulator/plugin.py).
        self.check_seconds: list[float] = []

    def operation(self, method: str, template: str) -> Operation | None:
        """The operation for an emulator route: same method, same literal segments, a parameter where
        the description has one (whatever either calls it)."""
        key = (method, template)
        if key not in self._by_route:
            parts = template.strip("/").split("/")
            found = None
            for segments, operation in self._by_shape.get((method, len(parts)), []):
                if all(_same_shape(segment, part) for segment, part in zip(segments, parts, strict=True)):
                    found = operation
                    break
            self._by_route[key] = found
        return self._by_route[key]

    def errors(self, operation: Operation, body: Any) -> dict[str, Any] | None:
        """Discord's nested "Invalid Form Body" errors for `body`, or None if the description accepts it."""
        if operation.body_pointer is None:
            return None
        if body is None:
            if not operation.body_required:
                return None
            return {"_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]}
        started = time.perf_counter()
        # The same body gets the same answer: a bot syncs the same commands at every start (16 kB, 15 ms
        # to check), and answers the same question the same way.
        key = (operation.operation_id, hashlib.blake2b(json.dumps(body, sort_keys=True).encode()).digest())
        if key in self._answers:
            errors = self._answers[key]
        else:
            validator = operation._validator
            if validator is None:
                validator = operation._validator = self._validator_class(self.body_schema(operation))
            found = list(validator.iter_errors(body))
            errors = _form_errors(found) if found else None
            if len(self._answers) >= _ANSWERS_KEPT:
                del self._answers[next(iter(self._answers))]
            self._answers[key] = errors
        self.check_seconds.append(time.perf_counter() - started)
        return errors

    def body_schema(self, operation: Operation) -> Any:
        """The operation's JSON body schema, references resolved."""
        assert operation.body_pointer is not None, f"{operation.operation_id} takes no body"
        return _pointer(self.document, operation.body_pointer)

    def reference_validator(self, operation: Operation) -> Validator:
        """Plain jsonschema on the operation's body schema, without the shortcuts (for tests)."""
        return reference_validator(self.body_schema(operation))

    def leaf_schemas(self) -> list[dict[str, Any]]:
        """Every schema of the document the leaf shortcut decides."""
        return [node for node in each_node(self.document) if isinstance(node, dict) and leaf_check(node)]


def _inline_references(document: dict[str, Any], registry: Registry[Any]) -> None:
    """Replace every `{"$ref": "#/components/schemas/X"}` by X itself, resolved by `referencing` against
    the whole document, once: a lookup on every use was a third of the validation time. Recursive
    schemas (components holding components) become cycles of plain dicts, which jsonschema follows
    only as deep as the body goes. (The refs' only siblings are "description"s.)"""
    resolver = registry.resolver(base_uri=_DOCUMENT_URI)
    for node in each_node(document):
        keys: Iterable[Any] = list(node) if isinstance(node, dict) else range(len(node))
        for key in keys:
            while isinstance(node[key], dict) and "$ref" in node[key]:
                node[key] = resolver.lookup(node[key]["$ref"]).contents


def _same_shape(segment: str, part: str) -> bool:
    return segment.startswith("{") == part.startswith("{") and (segment.startswith("{") or segment == part)


def _operation(method: str, path: str, spec: dict[str, Any]) -> Operation:
    operation_id = spec.get("operationId", f"{method} {path}")
    body = spec.get("requestBody")
    pointer = None
    if operation_id in _BRANCH_SERVED:
        pointer = f"/components/schemas/{_BRANCH_SERVED[operation_id]}"
    elif body is not None and _JSON in body.get("content", {}):
        escaped = path.replace("~", "~0").replace("/", "~1")
        pointer = f"/paths/{escaped}/{method.lower()}/requestBody/content/application~1json/schema"
    required = bool(body and body.get("required"))
    return Operation(method, path, operation_id, pointer, required)


def _pointer(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#").removeprefix("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


@functools.cache
def api_description() -> ApiDescription:
    """The vendored description, loaded once per process (about 1 MB of JSON)."""
    return ApiDescription(json.loads(SPEC_PATH.read_text(encoding="utf-8")))


# -- Discord's error shape ------------------------------------------------------------------------------
# Codes and messages as Discord writes them where its answers are known (BASE_TYPE_REQUIRED,
# BASE_TYPE_MAX_LENGTH, BASE_TYPE_BAD_LENGTH, BASE_TYPE_CHOICES, NUMBER_TYPE_COERCE, NUMBER_TYPE_MIN/MAX,
# MODEL_TYPE_CONVERT, UNION_TYPE_CHOICES); the string and boolean type errors are the emulator's best
# guess at Discord's wording.


def _form_errors(errors: Iterable[ValidationError]) -> dict[str, Any]:
    form = FormErrors()
    seen: set[tuple[tuple[str | int, ...], str, str]] = set()
    for error in errors:
        for entry in _explain(error):
            if entry not in seen:
                seen.add(entry)
                path, code, message = entry
                with form.at(*path):
                    form.add(code, message)
    return form.tree


def _explain(error: ValidationError) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    if keyword == "required":
        for name in error.validator_value:
            if isinstance(instance, dict) and name not in instance:
                yield (*path, name), "BASE_TYPE_REQUIRED", "This field is required"
    elif keyword == "type":
        yield path, *_type_error(error.validator_value, instance)
    elif keyword in ("enum", "const"):
        values = error.validator_value if keyword == "enum" else [error.validator_value]
        yield path, "BASE_TYPE_CHOICES", "Value must be one of {" + ", ".join(map(repr, values)) + "}."
    elif keyword in ("maxLength", "maxItems", "maxProperties", "minLength", "minItems", "minProperties"):
        yield path, *_length_error(keyword, schema)
    elif keyword in ("minimum", "exclusiveMinimum"):
        yield (
            path,
            "NUMBER_TYPE_MIN",
            f"{_number_name(instance)} value should be greater than or equal to {error.validator_value}.",
        )
    elif keyword in ("maximum", "exclusiveMaximum"):
        yield (
            path,
            "NUMBER_TYPE_MAX",
            f"{_number_name(instance)} value should be less than or equal to {error.validator_value}.",
        )
    elif keyword == "pattern" and schema.get("format") == "snowflake":
        yield path, "NUMBER_TYPE_COERCE", f'Value "{instance}" is not snowflake.'
    elif keyword == "pattern":
        yield path, "STRING_TYPE_REGEX", "String value did not match validation regex."
    elif keyword == "uniqueItems":
        yield path, "LIST_ITEM_VALUE_DUPLICATE", "List items must be unique"
    elif keyword == "union":
        yield path, "UNION_TYPE_CHOICES", error.message
    elif keyword in ("oneOf", "anyOf") and error.context:
        yield from _explain_union(error, path)
    else:
        yield path, f"SCHEMA_{str(keyword).upper()}", error.message


def _explain_union(error: ValidationError, path: tuple[str | int, ...]) -> Iterator[tuple[Any, str, str]]:
    """The errors of the branch most likely meant (of the value's type, with the fewest errors), else a
    type error naming every type the union allows."""
    by_branch: dict[Any, list[ValidationError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    expected: list[str] = []
    meant: list[tuple[Any, str, str]] | None = None
    for branch_errors in by_branch.values():
        if all(e.validator == "type" and not e.relative_path for e in branch_errors):
            for sub in branch_errors:
                value = sub.validator_value
                expected += [value] if isinstance(value, str) else list(value)
        else:
            explained = [entry for sub in branch_errors for entry in _explain(sub)]
            if meant is None or len(explained) < len(meant):
                meant = explained
    if meant is None:
        yield path, *_type_error(expected, error.instance)
    else:
        yield from meant


def _type_error(expected: str | list[str], instance: object) -> tuple[str, str]:
    kinds = {expected} if isinstance(expected, str) else set(expected)
    kinds.discard("null")
    if "object" in kinds:
        return "MODEL_TYPE_CONVERT", "Expected an object/dictionary."
    if "array" in kinds:
        return "LIST_TYPE_CONVERT", "Must be a list"
    if "integer" in kinds:
        return "NUMBER_TYPE_COERCE", f'Value "{instance}" is not int.'
    if "number" in kinds:
        return "NUMBER_TYPE_COERCE", f'Value "{instance}" is not a number.'
    if "boolean" in kinds:
        return "BASE_TYPE_BOOLEAN", f'Value "{instance}" is not a boolean.'
    return "BASE_TYPE_STRING", f'Could not interpret "{instance}" as string.'


def _length_error(keyword: str, schema: dict[str, Any]) -> tuple[str, str]:
    suffix = (
        "Length" if keyword.endswith("Length") else "Items" if keyword.endswith("Items") else "Properties"
    )
    low, high = schema.get(f"min{suffix}"), schema.get(f"max{suffix}")
    if low is not None and high is not None and low > 0:
        return "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length."
    if keyword.startswith("max"):
        return "BASE_TYPE_MAX_LENGTH", f"Must be {high} or fewer in length."
    return "BASE_TYPE_MIN_LENGTH", f"Must be {low} or more in length."


def _number_name(instance: object) -> str:
    return "float" if isinstance(instance, float) else "int"
