"""Members who use the bot as a person would: slash commands, autocomplete, buttons, selects, modals.
Each action returns the `Response` the member sees (see responses.py).

    alice = emu.member(guild, "alice")
    resp = await alice.slash("quiz start", channel=guild.channel("quiz"), rounds=3)
    assert resp.ephemeral and "Question 1" in resp.embed["title"]
    resp = await resp.click("Next")            # by label or custom_id
    choices = await alice.autocomplete("fact", "fact", "hwas")
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tests.emulator.components import find_component, modal_submission, select_values
from tests.emulator.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    DEFERRED_CHANNEL_MESSAGE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    EmulatorUsageError,
    InteractionRecord,
    Invocation,
    new_record,
)
from tests.emulator.messages import Attachment, Message, Upload
from tests.emulator.models import Channel, Guild, Member, User
from tests.emulator.options import Resolver, command_data, find_command, leaf_options
from tests.emulator.permissions import ADMINISTRATOR, VIEW_CHANNEL
from tests.emulator.responses import DEFAULT_TIMEOUT, Choice, Response

if TYPE_CHECKING:
    from tests.emulator.emulator import DiscordEmulator

USE_APPLICATION_COMMANDS = 1 << 31
# How long past the acknowledgement deadline to keep listening: an answer that arrived in time is
# still being processed; a later one is refused by the emulator anyway.
ACK_GRACE = 0.1


class InteractionNotAnswered(AssertionError):
    """The bot did not acknowledge in time: the member saw "The application did not respond"."""

    def __init__(self, record: InteractionRecord, deadline: float) -> None:
        refused = "".join(
            f"\n  Discord refused an answer: {error.status} {error.body()}" for error in record.rejections
        )
        super().__init__(f"{record.name} was not answered within {deadline:g} s{refused}")
        self.record = record


class Actor:
    """A member of a fake server. Every action builds the interaction Discord would send and waits for
    the bot's answer (within the acknowledgement deadline) without sleeping."""

    def __init__(self, emulator: DiscordEmulator, guild: Guild, member: Member) -> None:
        self.emulator = emulator
        self.guild = guild
        self.member = member

    def __repr__(self) -> str:
        return f"<Actor {self.user.username!r} in {self.guild.name!r}>"

    @property
    def user(self) -> User:
        return self.member.user

    @property
    def id(self) -> int:
        return self.member.user.id

    @property
    def mention(self) -> str:
        return self.member.user.mention

    # -- actions ---------------------------------------------------------------------------------------

    async def slash(
        self,
        command: str,
        /,
        *,
        in_channel: Channel | None = None,
        options: Mapping[str, Any] | None = None,
        wait: bool = True,
        within: float = DEFAULT_TIMEOUT,
        locale: str = "en-US",
        **more_options: Any,
    ) -> Response:
        """Run "/command [group] [sub]" with its options as keywords (or in `options`, for an option named
        like a parameter here: options, wait, within, locale, in_channel).

        Where it is run: `in_channel`, else `channel=` when the command has no option of that name, else
        the server's first text channel. Returns once the bot answered; if it deferred, once the
        "thinking" message was completed (unless `wait=False`).
        """
        values = {**(options or {}), **more_options}
        registered, subpath = find_command(self.emulator.state.commands, command, self.guild.id)
        invocation = self._invocation(_where(registered, subpath, values, in_channel), locale)
        self._check_visible(registered, invocation)
        record = self._new_record(APPLICATION_COMMAND, invocation, "/" + command.removeprefix("/"))
        resolver = self._resolver(invocation)
        record.payload["data"] = command_data(registered, subpath, values, resolver)
        record.uploads = resolver.uploads
        return await self._run(record, wait=wait, within=within)

    async def autocomplete(
        self,
        command: str,
        option: str,
        typed: str = "",
        /,
        *,
        in_channel: Channel | None = None,
        locale: str = "en-US",
        **filled: Any,
    ) -> list[Choice]:
        """Type `typed` into `option` of "/command ..." (other options already `filled`); the suggestions.
        Where it is typed: as for `slash`."""
        values = {**filled, option: typed}
        registered, subpath = find_command(self.emulator.state.commands, command, self.guild.id)
        invocation = self._invocation(_where(registered, subpath, values, in_channel), locale)
        self._check_visible(registered, invocation)
        record = self._new_record(AUTOCOMPLETE, invocation, f"autocomplete of /{command} {option}")
        record.payload["data"] = command_data(
            registered, subpath, values, self._resolver(invocation), focused=option
        )
        await self._dispatch_and_wait_ack(record)
        return [Choice(choice["name"], choice["value"]) for choice in record.choices or []]

    async def click(
        self, message: Message | Response, which: str, *, wait: bool = True, within: float = DEFAULT_TIMEOUT
    ) -> Response:
        """Click the button labelled (or with custom_id) `which` on `message`."""
        message = _message_of(message)
        component = find_component(message, which, {2})
        record = self._component_record(message, f"click on {which!r}")
        record.payload["data"] = {"custom_id": component["custom_id"], "component_type": 2}
        return await self._run(record, wait=wait, within=within)

    async def select(
        self,
        message: Message | Response,
        which: str,
        values: list[Any],
        *,
        wait: bool = True,
        within: float = DEFAULT_TIMEOUT,
    ) -> Response:
        """Choose `values` (option values or labels; members, roles, channels for those selects) in a select
        found by placeholder or custom_id."""
        message = _message_of(message)
        component = find_component(message, which, {3, 5, 6, 7, 8})
        record = self._component_record(message, f"select {values!r} in {which!r}")
        resolver = self._resolver(self._invocation(self.emulator.state.channel(message.channel_id), "en-US"))
        chosen, resolved = select_values(component, values, resolver)
        data: dict[str, Any] = {
            "custom_id": component["custom_id"],
            "component_type": component["type"],
            "values": chosen,
        }
        if resolved:
            data["resolved"] = resolved
        record.payload["data"] = data
        return await self._run(record, wait=wait, within=within)

    async def submit_modal(
        self,
        shown: Response,
        values: Mapping[str, Any],
        *,
        wait: bool = True,
        within: float = DEFAULT_TIMEOUT,
    ) -> Response:
        """Fill the modal `shown` opened (keys: custom_id or label) and submit it, as the member would."""
        if shown.record.modal is None:
            raise EmulatorUsageError(f"{shown.record.name} did not open a modal")
        modal = shown.record.modal
        channel = self.emulator.state.channel(shown.record.channel_id)
        invocation = self._invocation(channel, "en-US")
        record = self._new_record(MODAL_SUBMIT, invocation, f"modal {modal.get('title')!r}")
        record.payload["data"] = {
            "custom_id": modal["custom_id"],
            "components": modal_submission(modal, values),
        }
        source = self.emulator.state.messages.get(shown.record.source_message_id or 0)
        if source is not None:
            record.source_message_id = source.id
            record.payload["message"] = source.payload()
        return await self._run(record, wait=wait, within=within)

    # -- plumbing --------------------------------------------------------------------------------------

    def _invocation(self, channel: Channel | None, locale: str) -> Invocation:
        state = self.emulator.state
        if channel is None:
            text_channels = self.guild.text_channels()
            if not text_channels:
                raise EmulatorUsageError(f"{self.guild.name!r} has no text channel to run commands in")
            channel = text_channels[0]
        permissions = state.permissions(channel, self.user)
        if not permissions & VIEW_CHANNEL:
            raise EmulatorUsageError(f"{self.user.username} cannot see #{channel.name}")
        return Invocation(
            guild=self.guild,
            channel=channel,
            member=self.member,
            member_permissions=permissions,
            app_permissions=state.permissions(channel, state.bot),
            locale=locale,
        )

    def _check_visible(self, command: dict[str, Any], invocation: Invocation) -> None:
        """Discord hides commands the member may not use: no Use Application Commands, or missing the
        command's default_member_permissions."""
        permissions = invocation.member_permissions
        if not permissions & USE_APPLICATION_COMMANDS:
            raise EmulatorUsageError(
                f"{self.user.username} may not use application commands in #{invocation.channel.name}"
            )
        required = command.get("default_member_permissions")
        allowed = self.emulator.command_overrides.get((self.guild.id, command["name"]), set())
        if allowed & {self.member.id, *self.member.role_ids}:
            return
        if (
            required is not None
            and not permissions & ADMINISTRATOR
            and int(required) & permissions != int(required)
        ):
            raise EmulatorUsageError(
                f"Discord does not show /{command['name']} to {self.user.username}: "
                f"it needs permissions {required}"
            )

    def _resolver(self, invocation: Invocation) -> Resolver:
        state = self.emulator.state

        def store_upload(upload: Upload) -> Attachment:
            attachment_id = state.ids.next()
            path = f"attachments/{invocation.channel.id}/{attachment_id}/{upload.filename}"
            url = f"{self.emulator.http_url}/{path}"
            return Attachment(attachment_id, upload.filename, upload.data, url, upload.content_type)

        return Resolver(invocation, state.permissions, store_upload)

    def _new_record(self, kind: int, invocation: Invocation, name: str) -> InteractionRecord:
        state = self.emulator.state
        return new_record(
            state.ids.next(), kind, invocation, name, self.emulator.clock.monotonic(), state.application_id
        )

    def _component_record(self, message: Message, name: str) -> InteractionRecord:
        state = self.emulator.state
        if message.deleted:
            raise EmulatorUsageError(f"message {message.id} was deleted")
        owner = (message.interaction_metadata or {}).get("user", {}).get("id")
        if message.ephemeral and owner != str(self.user.id):
            raise EmulatorUsageError(f"{self.user.username} cannot see ephemeral message {message.id}")
        record = self._new_record(
            MESSAGE_COMPONENT, self._invocation(state.channel(message.channel_id), "en-US"), name
        )
        record.source_message_id = message.id
        record.payload["message"] = message.payload()
        return record

    async def _dispatch_and_wait_ack(self, record: InteractionRecord) -> None:
        emulator = self.emulator
        if emulator.gateway.session is None:
            raise EmulatorUsageError(f"{record.name}: no bot has connected to the emulator's gateway")
        emulator.state.add_interaction(record)
        record.dispatched_at = time.perf_counter()
        emulator.gateway.dispatch("INTERACTION_CREATE", record.payload)
        deadline = emulator.ack_deadline

        def settled() -> bool:
            expired = emulator.clock.monotonic() - record.created_at > deadline + ACK_GRACE
            return record.acknowledged or expired

        with contextlib.suppress(TimeoutError):
            await record.changes.wait_for(settled, deadline + ACK_GRACE, record.name)
        if not record.acknowledged:
            raise InteractionNotAnswered(record, deadline)

    async def _run(self, record: InteractionRecord, *, wait: bool, within: float) -> Response:
        await self._dispatch_and_wait_ack(record)
        response = Response(self, record)
        if wait and record.response_type == DEFERRED_CHANNEL_MESSAGE:
            await response.wait_until_complete(within)
        return response


def _where(
    command: dict[str, Any], subpath: list[str], values: dict[str, Any], in_channel: Channel | None
) -> Channel | None:
    """The channel a command runs in: `in_channel`, or a `channel` value that is not one of its options
    (removed from `values`)."""
    if "channel" in values and all(o["name"] != "channel" for o in leaf_options(command, subpath)):
        where = values.pop("channel")
        if not isinstance(where, Channel):
            raise EmulatorUsageError(f"channel= must be an emulator Channel, not {where!r}")
        return in_channel or where
    return in_channel


def _message_of(target: Message | Response) -> Message:
    if isinstance(target, Response):
        if target.message is None:
            raise EmulatorUsageError(f"{target.record.name} produced no message")
        return target.message
    return target
