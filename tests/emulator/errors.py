"""Discord's error answers: status, JSON error code and message, and nested "Invalid Form Body" errors."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answer, exactly as Discord writes it: `{"code": ..., "message": ..., "errors"?: ...}`."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


# The JSON error codes the emulator answers with, from Discord's documentation
# (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_ROLE = 10011
UNKNOWN_USER = 10013
UNKNOWN_WEBHOOK = 10015
UNKNOWN_APPLICATION_COMMAND = 10063
UNKNOWN_INTERACTION = 10062
CANNOT_EDIT_OTHERS_MESSAGE = 50005
CANNOT_MESSAGE_USER = 50007
INVALID_CHANNEL_TYPE = 50024
EMPTY_MESSAGE = 50006
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013
INVALID_WEBHOOK_TOKEN = 50027
INVALID_FORM_BODY = 50035
ALREADY_ACKNOWLEDGED = 40060
THREAD_ALREADY_CREATED = 160004


def unauthorized() -> ApiError:
    return ApiError(401, 0, "401: Unauthorized")


def not_found(code: int, what: str) -> ApiError:
    return ApiError(404, code, f"Unknown {what}")


def missing_access() -> ApiError:
    return ApiError(403, MISSING_ACCESS, "Missing Access")


def missing_permissions() -> ApiError:
    return ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")


def empty_message() -> ApiError:
    return ApiError(400, EMPTY_MESSAGE, "Cannot send an empty message")


def already_acknowledged() -> ApiError:
    return ApiError(400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.")


def unknown_interaction() -> ApiError:
    return ApiError(404, UNKNOWN_INTERACTION, "Unknown interaction")


def unknown_webhook() -> ApiError:
    return ApiError(404, UNKNOWN_WEBHOOK, "Unknown Webhook")


class FormErrors:
    """Collects field errors into Discord's nested shape: `{"embeds": {"0": {"title": {"_errors": [...]}}}}`.

    Use `at(...)` to descend into a field or list index, then `add(code, message)`:

        errors = FormErrors()
        with errors.at("embeds", 0, "title"):
            errors.add("BASE_TYPE_MAX_LENGTH", "Must be 256 or fewer in length.")
        errors.raise_if_any()
    """

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}
        self._path: list[str | int] = []

    def at(self, *keys: str | int) -> _Scope:
        return _Scope(self._path, keys)

    def add(self, code: str, message: str) -> None:
        node = self.tree
        for key in self._path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_length(self, value: str | list[Any] | None, limit: int) -> None:
        """The common "BASE_TYPE_MAX_LENGTH" check, on a string or a list."""
        if value is not None and len(value) > limit:
            self.add("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(self, value: str | list[Any] | None, low: int, high: int) -> None:
        """The common "BASE_TYPE_BAD_LENGTH" check; a missing value counts as length 0."""
        size = 0 if value is None else len(value)
        if not low <= size <= high:
            self.add("BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def required(self, value: object) -> bool:
        """Record "BASE_TYPE_REQUIRED" when `value` is missing; returns whether it was present."""
        if value is None:
            self.add("BASE_TYPE_REQUIRED", "This field is required")
            return False
        return True

    def __bool__(self) -> bool:
        return bool(self.tree)

    def raise_if_any(self) -> None:
        if self.tree:
            raise ApiError(400, INVALID_FORM_BODY, "Invalid Form Body", self.tree)


class _Scope:
    """`with errors.at(...)`: a plain context manager, not a generator one, because every field of
    every message is checked inside one and the emulator must stay cheaper than the bot it serves."""

    __slots__ = ("keys", "path")

    def __init__(self, path: list[str | int], keys: tuple[str | int, ...]) -> None:
        self.path, self.keys = path, keys

    def __enter__(self) -> None:
        self.path.extend(self.keys)

    def __exit__(self, *exc_info: object) -> None:
        del self.path[len(self.path) - len(self.keys) :]
