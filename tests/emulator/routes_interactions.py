"""Routes for answering interactions: the callback, and the interaction webhook (follow-ups, @original).

Discord's rules, as the emulator enforces them:
- the first callback must arrive within the acknowledgement deadline (3 s), else 404 10062;
- a second callback fails 400 40060; a refused callback (invalid body) does not acknowledge;
- the webhook exists only once acknowledged and for 15 minutes, else 404 10015;
- after a deferral (type 5), the first follow-up replaces the "thinking" message.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from tests.emulator import limits
from tests.emulator.errors import (
    INVALID_FORM_BODY,
    INVALID_WEBHOOK_TOKEN,
    UNKNOWN_MESSAGE,
    ApiError,
    FormErrors,
    already_acknowledged,
    not_found,
    unknown_interaction,
    unknown_webhook,
)
from tests.emulator.interactions import (
    ALLOWED_CALLBACKS,
    APPLICATION_COMMAND,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE,
    MODAL,
    UPDATE_MESSAGE,
    InteractionRecord,
)
from tests.emulator.messages import CHAT_INPUT_COMMAND, EPHEMERAL, LOADING, Message, MessageBody
from tests.emulator.rest import Reply, Request, Route

if TYPE_CHECKING:
    from tests.emulator.emulator import DiscordEmulator


def routes(emu: DiscordEmulator) -> list[Route]:
    """The interaction callback and webhook routes, bound to `emu`."""
    state = emu.state

    def new_message(
        record: InteractionRecord, body: MessageBody, *, extra_flags: int = 0, path: tuple[str, ...] = ()
    ) -> Message:
        message = state.message_factory.create(
            body,
            channel_id=record.channel_id,
            guild_id=record.guild_id,
            author=state.bot,
            created_at=emu.clock.now(),
            extra_flags=extra_flags,
            error_path=path,
        )
        message.webhook_id = message.application_id = state.application_id
        message.interaction_id = record.id
        message.interaction_metadata = {
            "id": str(record.id),
            "type": record.type,
            "user": record.user.payload(),
            "authorizing_integration_owners": record.integration_owners,
        }
        return message

    async def callback(request: Request) -> Reply:
        body = await request.body()
        record = state.interactions.get(request.snowflake("webhook_id"))
        if record is None or record.token != request.params["webhook_token"]:
            raise unknown_interaction()
        try:
            reply = respond(record, body, request)
        except ApiError as error:
            record.rejections.append(error)
            record.changes.notify()
            raise
        record.acknowledged_at = time.perf_counter()
        record.changes.notify()
        state.changes.notify()
        return reply

    def respond(record: InteractionRecord, body: MessageBody, request: Request) -> Reply:
        if record.acknowledged:
            raise already_acknowledged()
        if emu.clock.monotonic() - record.created_at > emu.ack_deadline:
            raise unknown_interaction()
        kind = body.json.get("type")
        data = body.json.get("data") or {}
        if kind not in ALLOWED_CALLBACKS[record.type]:
            errors = FormErrors()
            with errors.at("type"):
                errors.add(
                    "INTERACTION_CALLBACK_TYPE_INVALID",
                    f"Callback type {kind} is not valid for this interaction",
                )
            errors.raise_if_any()
        message: Message | None = None
        if kind == CHANNEL_MESSAGE:
            message = new_message(record, MessageBody(data, body.files), path=("data",))
            if record.type == APPLICATION_COMMAND:
                message.type = CHAT_INPUT_COMMAND
            state.add_message(message, request.route.key)
        elif kind == DEFERRED_CHANNEL_MESSAGE:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = new_message(record, MessageBody({"content": "", "embeds": []}), extra_flags=flags)
            state.add_message(message, request.route.key)
        elif kind in (DEFERRED_UPDATE, UPDATE_MESSAGE):
            if record.source_message_id is None:
                raise ApiError(400, INVALID_FORM_BODY, "This interaction has no message to update")
            message = state.message(record.source_message_id)
            if kind == UPDATE_MESSAGE:
                state.message_factory.edit(
                    message, MessageBody(data, body.files), edited_at=emu.clock.now(), error_path=("data",)
                )
                state.message_edited(message, request.route.key)
        elif kind == AUTOCOMPLETE_RESULT:
            errors = FormErrors()
            with errors.at("data"):
                limits.check_choices(data, errors)
            errors.raise_if_any()
            record.choices = list(data["choices"])
        elif kind == MODAL:
            errors = FormErrors()
            with errors.at("data"):
                limits.check_modal(data, errors)
            errors.raise_if_any()
            record.modal = data
        record.response_type = kind
        if message is not None:
            record.original_message_id = message.id
        if not request.flag("with_response"):
            return Reply(204)
        summary: dict[str, Any] = {"id": str(record.id), "type": record.type}
        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            summary |= {
                "response_message_id": str(message.id),
                "response_message_loading": message.loading,
                "response_message_ephemeral": message.ephemeral,
            }
            resource["message"] = message.payload()
        return Reply(body={"interaction": summary, "resource": resource})

    def webhook_record(request: Request) -> InteractionRecord:
        """The interaction behind a webhook token, while Discord would still honour it."""
        if request.snowflake("webhook_id") != state.application_id:
            raise unknown_webhook()
        record = state.interactions_by_token.get(request.params["webhook_token"])
        if record is None:
            raise ApiError(401, INVALID_WEBHOOK_TOKEN, "Invalid Webhook Token")
        if not record.acknowledged or emu.clock.monotonic() - record.created_at > emu.token_lifetime:
            error = unknown_webhook()
            record.rejections.append(error)
            record.changes.notify()
            raise error
        return record

    def own_message(record: InteractionRecord, request: Request) -> Message:
        which = request.params.get("message_id", "@original")
        if which == "@original":
            message_id = record.original_message_id
        else:
            message_id = request.snowflake("message_id")
            if message_id != record.original_message_id and message_id not in record.followup_ids:
                message_id = None
        if message_id is None:
            raise not_found(UNKNOWN_MESSAGE, "Message")
        return state.message(message_id)

    async def followup(request: Request) -> Reply:
        body = await request.body()
        record = webhook_record(request)
        original = state.messages.get(record.original_message_id or 0)
        try:
            if record.response_type == DEFERRED_CHANNEL_MESSAGE and original is not None and original.loading:
                # Discord: the first follow-up after a deferral becomes the deferred message.
                state.message_factory.edit(original, body, edited_at=emu.clock.now())
                state.message_edited(original, request.route.key)
                message = original
            else:
                message = new_message(record, body)
                record.followup_ids.append(message.id)
                state.add_message(message, request.route.key)
        except ApiError as error:
            record.rejections.append(error)
            record.changes.notify()
            raise
        record.changes.notify()
        return Reply(body=message.payload()) if request.flag("wait") else Reply(204)

    async def get_message(request: Request) -> Reply:
        return Reply(body=own_message(webhook_record(request), request).payload())

    async def edit_message(request: Request) -> Reply:
        body = await request.body()
        record = webhook_record(request)
        message = own_message(record, request)
        try:
            state.message_factory.edit(message, body, edited_at=emu.clock.now())
        except ApiError as error:
            record.rejections.append(error)
            record.changes.notify()
            raise
        state.message_edited(message, request.route.key)
        record.changes.notify()
        return Reply(body=message.payload())

    async def delete_message(request: Request) -> Reply:
        record = webhook_record(request)
        state.delete_message(own_message(record, request))
        record.changes.notify()
        return Reply(204)

    def refused(record: InteractionRecord | None, error: ApiError) -> None:
        """A body refused before its handler ran, kept with the interaction like the handler's refusals."""
        if record is not None:
            record.rejections.append(error)
            record.changes.notify()

    def callback_refused(request: Request, error: ApiError) -> None:
        interaction_id = request.params["webhook_id"]
        record = state.interactions.get(int(interaction_id)) if interaction_id.isdigit() else None
        refused(record if record and record.token == request.params["webhook_token"] else None, error)

    def webhook_refused(request: Request, error: ApiError) -> None:
        refused(state.interactions_by_token.get(request.params["webhook_token"]), error)

    webhook = "/webhooks/{webhook_id}/{webhook_token}"
    table = [
        Route(
            "POST",
            "/interactions/{webhook_id}/{webhook_token}/callback",
            callback,
            auth=False,
            interaction=True,
            on_refusal=callback_refused,
        ),
        Route("POST", webhook, followup, auth=False, interaction=True, on_refusal=webhook_refused),
    ]
    for message_path in ("/messages/@original", "/messages/{message_id}"):
        table += [
            Route("GET", webhook + message_path, get_message, auth=False, interaction=True),
            Route(
                "PATCH",
                webhook + message_path,
                edit_message,
                auth=False,
                interaction=True,
                on_refusal=webhook_refused,
            ),
            Route("DELETE", webhook + message_path, delete_message, auth=False, interaction=True),
        ]
    return table
