"""Messages as the emulator stores them, and how create/edit request bodies turn into them.

Every message the bot writes (channel messages, interaction responses, follow-ups, edits) goes through
`create_message` or `edit_message`, so Discord's limits and the attachment rules apply everywhere alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.emulator import limits
from tests.emulator.clock import Changes, Snowflakes, iso
from tests.emulator.errors import FormErrors
from tests.emulator.models import User

EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_EMBEDS = 1 << 2
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_COMPONENTS_V2 = 1 << 15
# The flags a sender may set; others (crossposted, loading, ...) belong to Discord.
SETTABLE_FLAGS = SUPPRESS_EMBEDS | EPHEMERAL | SUPPRESS_NOTIFICATIONS | IS_COMPONENTS_V2

DEFAULT = 0
CHAT_INPUT_COMMAND = 20


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart request (`files[n]`), or given by a test for an attachment option."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


@dataclass
class Attachment:
    """A stored attachment; its bytes are served at `url` by the emulator."""

    id: int
    filename: str
    data: bytes
    url: str
    content_type: str = "application/octet-stream"
    description: str | None = None

    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }
        if self.description is not None:
            payload["description"] = self.description
        return payload


@dataclass
class Message:
    """A message as Discord keeps it. `version` counts edits; `changes` wakes whoever waits on it."""

    id: int
    channel_id: int
    guild_id: int | None
    author: User
    created_at: datetime
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = DEFAULT
    allowed_mentions: dict[str, Any] | None = None
    message_reference: dict[str, Any] | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    interaction_id: int | None = None
    edited_at: datetime | None = None
    deleted: bool = False
    version: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes, repr=False)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Whether this is a deferred response still showing "Bot is thinking..."."""
        return bool(self.flags & LOADING)

    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": iso(self.created_at),
            "edited_timestamp": None if self.edited_at is None else iso(self.edited_at),
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [attachment.payload() for attachment in self.attachments],
            "embeds": self.embeds,
            "components": self.components,
            "reactions": [],
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            payload["guild_id"] = str(self.guild_id)
        if self.webhook_id is not None:
            payload["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            payload["application_id"] = str(self.application_id)
        if self.interaction_metadata is not None:
            payload["interaction_metadata"] = self.interaction_metadata
        if self.message_reference is not None:
            payload["message_reference"] = self.message_reference
        return payload


@dataclass(frozen=True)
class MessageBody:
    """A parsed create/edit request: the JSON (or `payload_json`) and the uploaded `files[n]`."""

    json: dict[str, Any]
    files: dict[int, Upload] = field(default_factory=dict)


class MessageFactory:
    """Validates request bodies against Discord's limits and builds or edits stored messages."""

    def __init__(self, ids: Snowflakes, base_url: Callable[[], str]) -> None:
        self._ids = ids
        self._base_url = base_url

    def create(
        self,
        body: MessageBody,
        *,
        channel_id: int,
        guild_id: int | None,
        author: User,
        created_at: datetime,
        extra_flags: int = 0,
        error_path: tuple[str, ...] = (),
    ) -> Message:
        """A new message from `body`, or ApiError (400 50035 / 50006) when Discord would refuse it.

        `error_path` prefixes field errors: interaction callbacks report them under `data`.
        """
        payload = body.json
        errors = FormErrors()
        with errors.at(*error_path):
            limits.check_message(payload, errors)
        errors.raise_if_any()
        message = Message(
            id=self._ids.next(),
            channel_id=channel_id,
            guild_id=guild_id,
            author=author,
            created_at=created_at,
            content=payload.get("content") or "",
            embeds=list(payload.get("embeds") or []),
            components=list(payload.get("components") or []),
            flags=(int(payload.get("flags") or 0) & SETTABLE_FLAGS) | extra_flags,
            allowed_mentions=payload.get("allowed_mentions"),
            message_reference=payload.get("message_reference"),
        )
        message.attachments = self._attachments(body, channel_id, existing=[])
        if not message.loading:
            limits.check_not_empty(message.content, message.embeds, message.components, message.attachments)
        return message

    def edit(
        self, message: Message, body: MessageBody, *, edited_at: datetime, error_path: tuple[str, ...] = ()
    ) -> None:
        """Apply an edit in place (only the fields present change), or raise ApiError and change nothing."""
        payload = body.json
        errors = FormErrors()
        with errors.at(*error_path):
            limits.check_message(payload, errors)
        errors.raise_if_any()
        content = (payload["content"] or "") if "content" in payload else message.content
        embeds = list(payload["embeds"] or []) if "embeds" in payload else message.embeds
        components = list(payload["components"] or []) if "components" in payload else message.components
        attachments = self._attachments(body, message.channel_id, existing=message.attachments)
        limits.check_not_empty(content, embeds, components, attachments)
        message.history.append(message.payload())
        message.content, message.embeds, message.components = content, embeds, components
        message.attachments = attachments
        if "flags" in payload and payload["flags"] is not None:
            keep = message.flags & ~(SUPPRESS_EMBEDS | IS_COMPONENTS_V2)
            message.flags = keep | (int(payload["flags"]) & (SUPPRESS_EMBEDS | IS_COMPONENTS_V2))
        if "allowed_mentions" in payload:
            message.allowed_mentions = payload["allowed_mentions"]
        message.flags &= ~LOADING
        message.edited_at = edited_at
        message.version += 1

    def _attachments(
        self, body: MessageBody, channel_id: int, existing: list[Attachment]
    ) -> list[Attachment]:
        """Keep the listed existing attachments and add the uploaded files the `attachments` array names.

        Without an `attachments` array, uploads are added and existing attachments kept, as on Discord.
        """
        listed = body.json.get("attachments")
        if listed is None:
            return [*existing, *(self._store(upload, channel_id, None) for upload in body.files.values())]
        by_id = {attachment.id: attachment for attachment in existing}
        result: list[Attachment] = []
        errors = FormErrors()
        for index, entry in enumerate(listed):
            key = int(entry.get("id", -1))
            if key in by_id:
                result.append(by_id[key])
            elif key in body.files:
                result.append(self._store(body.files[key], channel_id, entry))
            else:
                with errors.at("attachments", index, "id"):
                    errors.add("ATTACHMENT_NOT_FOUND", f"Attachment data not found for id {key}")
        errors.raise_if_any()
        return result

    def _store(self, upload: Upload, channel_id: int, entry: dict[str, Any] | None) -> Attachment:
        attachment_id = self._ids.next()
        filename = (entry or {}).get("filename") or upload.filename
        return Attachment(
            id=attachment_id,
            filename=filename,
            data=upload.data,
            url=f"{self._base_url()}/attachments/{channel_id}/{attachment_id}/{filename}",
            content_type=upload.content_type,
            description=(entry or {}).get("description"),
        )
