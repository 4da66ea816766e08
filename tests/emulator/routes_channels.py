"""Routes for channels and their messages, with Discord's permission checks for the bot:
View Channel (else 403 50001 Missing Access), Send Messages / Attach Files / Manage Messages /
Read Message History / Create Public Threads (else 403 50013 Missing Permissions)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.emulator.errors import (
    CANNOT_EDIT_OTHERS_MESSAGE,
    CANNOT_MESSAGE_USER,
    INVALID_CHANNEL_TYPE,
    THREAD_ALREADY_CREATED,
    UNKNOWN_USER,
    ApiError,
    FormErrors,
    missing_access,
    missing_permissions,
    not_found,
)
from tests.emulator.messages import MessageBody
from tests.emulator.models import DM, FORUM, NEWS, NEWS_THREAD, PUBLIC_THREAD, Channel
from tests.emulator.permissions import (
    ATTACH_FILES,
    CREATE_PUBLIC_THREADS,
    MANAGE_MESSAGES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
)
from tests.emulator.rest import Reply, Request, Route

if TYPE_CHECKING:
    from tests.emulator.emulator import DiscordEmulator


def routes(emu: DiscordEmulator) -> list[Route]:
    """The channel and message routes, bound to `emu`."""
    state = emu.state

    def channel_for(request: Request, *needed: int) -> Channel:
        """The channel, if the bot can see it and has every permission in `needed`."""
        channel = state.channel(request.snowflake("channel_id"))
        permissions = state.permissions(channel, state.bot)
        if not permissions & VIEW_CHANNEL:
            raise missing_access()
        if any(not permissions & flag for flag in needed):
            raise missing_permissions()
        return channel

    async def get_channel(request: Request) -> Reply:
        return Reply(body=channel_for(request).payload())

    async def open_dm(request: Request) -> Reply:
        """The bot's DM channel with a user (`recipient_id`), created on first use."""
        recipient = str((await request.json() or {}).get("recipient_id"))
        user = state.users.get(int(recipient)) if recipient.isdigit() else None
        if user is None:
            raise not_found(UNKNOWN_USER, "User")
        return Reply(body=state.dm_channel(user).payload(viewer=state.bot))

    async def send_message(request: Request) -> Reply:
        body = await request.body()
        channel = channel_for(request, SEND_MESSAGES, *((ATTACH_FILES,) if body.files else ()))
        if channel.type == DM and any(u.id in state.closed_dms for u in channel.recipients):
            raise ApiError(403, CANNOT_MESSAGE_USER, "Cannot send messages to this user")
        reference = body.json.get("message_reference")
        if reference and reference.get("message_id"):
            target = state.messages.get(int(reference["message_id"]))
            if target is None and reference.get("fail_if_not_exists", True):
                errors = FormErrors()
                with errors.at("message_reference"):
                    errors.add("MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
                errors.raise_if_any()
        message = state.message_factory.create(
            body,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=state.bot,
            created_at=emu.clock.now(),
        )
        state.add_message(message, request.route.key)
        return Reply(body=message.payload())

    async def get_message(request: Request) -> Reply:
        channel = channel_for(request, READ_MESSAGE_HISTORY)
        return Reply(body=state.message(request.snowflake("message_id"), channel.id).payload())

    async def list_messages(request: Request) -> Reply:
        channel = channel_for(request, READ_MESSAGE_HISTORY)
        oldest_first = state.channel_history(channel.id)
        limit = min(100, max(1, int(request.query.get("limit", "50"))))
        before, after = request.query.get("before"), request.query.get("after")
        if after:
            # The `limit` messages right after `after`, but newest first like every page Discord returns.
            page = [m for m in oldest_first if m.id > int(after)][:limit][::-1]
        else:
            newest_first = [m for m in reversed(oldest_first) if not before or m.id < int(before)]
            page = newest_first[:limit]
        return Reply(body=[message.payload() for message in page])

    async def edit_message(request: Request) -> Reply:
        channel = channel_for(request)
        message = state.message(request.snowflake("message_id"), channel.id)
        if message.author.id != state.bot.id:
            raise ApiError(403, CANNOT_EDIT_OTHERS_MESSAGE, "Cannot edit a message authored by another user")
        body = await request.body()
        state.message_factory.edit(message, body, edited_at=emu.clock.now())
        state.message_edited(message, request.route.key)
        return Reply(body=message.payload())

    async def delete_message(request: Request) -> Reply:
        channel = channel_for(request)
        message = state.message(request.snowflake("message_id"), channel.id)
        if message.author.id != state.bot.id and not state.permissions(channel, state.bot) & MANAGE_MESSAGES:
            raise missing_permissions()
        state.delete_message(message)
        return Reply(204)

    def thread_payload(thread: Channel, created_at: str) -> dict[str, Any]:
        return thread.payload() | {
            "owner_id": str(state.bot.id),
            "member_count": 1,
            "message_count": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": created_at,
                "locked": False,
            },
        }

    async def start_thread_from_message(request: Request) -> Reply:
        """A public thread started from a message: it shares the message's id (Discord documents this)
        and lives under the message's channel; THREAD_CREATE is sent."""
        channel = channel_for(request, CREATE_PUBLIC_THREADS)
        message = state.message(request.snowflake("message_id"), channel.id)
        guild = state.guild_of(channel)
        if message.id in guild.channels:
            raise ApiError(400, THREAD_ALREADY_CREATED, "A thread has already been created for this message")
        name = str((await request.json()).get("name") or "")
        if not 1 <= len(name) <= 100:
            errors = FormErrors()
            with errors.at("name"):
                errors.add("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
            errors.raise_if_any()
        thread = Channel(
            message.id,
            channel.guild_id,
            name,
            type=NEWS_THREAD if channel.type == NEWS else PUBLIC_THREAD,
            parent_id=channel.id,
        )
        guild.channels[thread.id] = thread
        state.channels[thread.id] = thread
        payload = thread_payload(thread, message.payload()["timestamp"])
        state.dispatch("THREAD_CREATE", payload | {"newly_created": True})
        return Reply(201, body=payload)

    async def start_forum_post(request: Request) -> Reply:
        """A post in a forum channel: a thread and its first message, which shares the thread's id
        (Discord documents this). Other channel types are refused: the bot starts threads from messages.
        The body follows the API description's CreateForumThreadRequest: `name` and `message` required."""
        body = await request.body()
        forum = channel_for(request, SEND_MESSAGES, *((ATTACH_FILES,) if body.files else ()))
        if forum.type != FORUM:
            raise ApiError(400, INVALID_CHANNEL_TYPE, "Cannot execute action on this channel type")
        errors = FormErrors()
        name = str(body.json.get("name") or "")
        if not 1 <= len(name) <= 100:
            with errors.at("name"):
                errors.add("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        if not isinstance(body.json.get("message"), dict):
            with errors.at("message"):
                errors.add("BASE_TYPE_REQUIRED", "This field is required")
        errors.raise_if_any()
        first = state.message_factory.create(
            MessageBody(body.json["message"], body.files),
            channel_id=0,  # set below, once the thread has the message's id
            guild_id=forum.guild_id,
            author=state.bot,
            created_at=emu.clock.now(),
            error_path=("message",),
        )
        thread = Channel(first.id, forum.guild_id, name, type=PUBLIC_THREAD, parent_id=forum.id)
        first.channel_id = thread.id
        state.guild_of(forum).channels[thread.id] = thread
        state.channels[thread.id] = thread
        payload = thread_payload(thread, first.payload()["timestamp"])
        state.dispatch("THREAD_CREATE", payload | {"newly_created": True})
        state.add_message(first, request.route.key)
        return Reply(201, body=payload | {"message": first.payload()})

    async def typing(request: Request) -> Reply:
        channel_for(request, SEND_MESSAGES)
        return Reply(204)

    messages = "/channels/{channel_id}/messages"
    return [
        Route("GET", "/channels/{channel_id}", get_channel),
        Route("POST", messages, send_message),
        Route("GET", messages, list_messages),
        Route("GET", messages + "/{message_id}", get_message),
        Route("PATCH", messages + "/{message_id}", edit_message),
        Route("DELETE", messages + "/{message_id}", delete_message),
        Route("POST", "/channels/{channel_id}/typing", typing),
        Route("POST", "/users/@me/channels", open_dm),
        Route("POST", messages + "/{message_id}/threads", start_thread_from_message),
        Route("POST", "/channels/{channel_id}/threads", start_forum_post),
    ]
