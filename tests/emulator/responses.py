"""What a member sees after an interaction: the bot's reply (or updated message), kept current as the
bot edits it, follows up or opens a modal, with the timing of its first answer and Discord's refusals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.emulator.components import iter_components, modal_fields
from tests.emulator.errors import ApiError
from tests.emulator.interactions import (
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE,
    EmulatorUsageError,
    InteractionRecord,
)
from tests.emulator.messages import Attachment, Message

if TYPE_CHECKING:
    from tests.emulator.actors import Actor

DEFAULT_TIMEOUT = 5.0


class ResponseNotFinished(AssertionError):
    """The bot deferred ("is thinking...") but never completed the response."""


@dataclass(frozen=True)
class Choice:
    """An autocomplete suggestion as the member sees it."""

    name: str
    value: str | int | float


class ModalForm:
    """A modal the bot opened: its title, custom_id and inputs (custom_id, label, style, limits, default)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.title: str = data.get("title", "")
        self.custom_id: str = data.get("custom_id", "")
        self.fields: list[dict[str, Any]] = modal_fields(data)

    def field(self, which: str) -> dict[str, Any]:
        for entry in self.fields:
            if which in (entry.get("custom_id"), entry.get("label")):
                return entry
        raise KeyError(which)


class Response:
    """What the member sees after an interaction: the bot's reply (or updated message), kept current."""

    def __init__(self, actor: Actor, record: InteractionRecord) -> None:
        self.actor = actor
        self.record = record
        self._state = actor.emulator.state
        message = self.message
        self._seen_version = message.version if message is not None else 0
        self._seen_followups = 0
        self._seen_rejections = 0

    def __repr__(self) -> str:
        return f"<Response to {self.record.name} type={self.type} content={self.content!r}>"

    @property
    def type(self) -> int | None:
        """The callback type the bot answered with (4 message, 5/6 deferred, 7 update, 8 choices, 9 modal)."""
        return self.record.response_type

    @property
    def deferred(self) -> bool:
        return self.type in (DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE)

    @property
    def message(self) -> Message | None:
        """The reply (or, for updates, the message the component is on), or None (modal, choices)."""
        message_id = self.record.original_message_id
        return None if message_id is None else self._state.messages.get(message_id)

    @property
    def content(self) -> str | None:
        return None if self.message is None else self.message.content

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return [] if self.message is None else self.message.embeds

    @property
    def embed(self) -> dict[str, Any] | None:
        return self.embeds[0] if self.embeds else None

    @property
    def components(self) -> list[dict[str, Any]]:
        return [] if self.message is None else self.message.components

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [c for c in iter_components(self.components) if c.get("type") == 2]

    @property
    def ephemeral(self) -> bool:
        return self.message is not None and self.message.ephemeral

    @property
    def attachments(self) -> list[Attachment]:
        return [] if self.message is None else self.message.attachments

    @property
    def followups(self) -> list[Message]:
        return [self._state.messages[message_id] for message_id in self.record.followup_ids]

    @property
    def modal(self) -> ModalForm | None:
        return None if self.record.modal is None else ModalForm(self.record.modal)

    @property
    def ack_latency(self) -> float | None:
        """Seconds from sending the interaction to the bot's first accepted answer."""
        return self.record.ack_latency

    @property
    def rejections(self) -> list[ApiError]:
        """Answers Discord refused for this interaction (limits, double acknowledgement, lateness)."""
        return self.record.rejections

    async def wait_until_complete(self, within: float = DEFAULT_TIMEOUT) -> Response:
        """After a deferral: wait until the "thinking" message was replaced by the real reply."""

        def complete() -> bool:
            message = self.message
            return message is None or message.deleted or not message.loading

        try:
            await self.record.changes.wait_for(complete, within, f"{self.record.name} to complete")
        except TimeoutError as error:
            raise ResponseNotFinished(
                f"{self.record.name}: the bot deferred but did not reply within {within:g} s"
            ) from error
        self._seen_version = self.message.version if self.message else 0
        return self

    async def wait_for_edit(self, within: float = DEFAULT_TIMEOUT) -> Response:
        """Wait for the next edit (or deletion) of the message this response shows."""
        message = self.message
        if message is None:
            raise EmulatorUsageError(f"{self.record.name} has no message to wait on")
        seen = self._seen_version
        await message.changes.wait_for(
            lambda: message.version > seen, within, f"an edit of message {message.id}"
        )
        self._seen_version = message.version
        return self

    async def wait_for_followup(self, within: float = DEFAULT_TIMEOUT) -> Message:
        """This interaction's follow-up messages one by one, in order (waiting for the next if needed)."""
        seen = self._seen_followups
        await self.record.changes.wait_for(
            lambda: len(self.record.followup_ids) > seen, within, f"a follow-up to {self.record.name}"
        )
        self._seen_followups = seen + 1
        return self._state.messages[self.record.followup_ids[seen]]

    async def wait_for_rejection(self, within: float = DEFAULT_TIMEOUT) -> ApiError:
        """This interaction's refusals by Discord one by one, in order (waiting for the next if needed)."""
        seen = self._seen_rejections
        await self.record.changes.wait_for(
            lambda: len(self.record.rejections) > seen, within, f"a refused answer to {self.record.name}"
        )
        self._seen_rejections = seen + 1
        return self.record.rejections[seen]

    async def click(self, which: str, *, by: Actor | None = None, wait: bool = True) -> Response:
        """Click a button on this response's message, as its author (or `by` another member)."""
        return await (by or self.actor).click(self, which, wait=wait)

    async def select(
        self, which: str, values: list[Any], *, by: Actor | None = None, wait: bool = True
    ) -> Response:
        return await (by or self.actor).select(self, which, values, wait=wait)

    async def submit_modal(
        self, values: Mapping[str, Any], *, by: Actor | None = None, wait: bool = True
    ) -> Response:
        """Submit the modal this response opened."""
        return await (by or self.actor).submit_modal(self, values, wait=wait)
