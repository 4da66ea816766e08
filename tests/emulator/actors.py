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
import dataclasses
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tests.emulator.commands import MESSAGE
from tests.emulator.components import find_component, modal_submission, select_values
from tests.emulator.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    BOT_DM_CONTEXT,
    DEFERRED_CHANNEL_MESSAGE,
    GUILD_CONTEXT,
    GUILD_INSTALL,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    PRIVATE_CHANNEL_CONTEXT,
    USER_INSTALL,
    CommandNotSynced,
    EmulatorUsageError,
    InteractionRecord,
    Invocation,
    new_record,
)
from tests.emulator.messages import Attachment, Message, MessageBody, Upload
from tests.emulator.models import DM, Channel, Guild, Member, User
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
    """A member of a fake server, or a user in no server (`emulator.user(...)`) who reaches the bot in
    DMs and group DMs through a user install. Every action builds the interaction Discord would send and
    waits for the bot's answer (within the acknowledgement deadline) without sleeping."""

    def __init__(
        self, emulator: DiscordEmulator, guild: Guild | None, member: Member | None, user: User | None = None
    ) -> None:
        self.emulator = emulator
        self._guild = guild
        self.member = member
        self._user = member.user if member is not None else user
        assert self._user is not None

    def __repr__(self) -> str:
        where = self._guild.name if self._guild is not None else "no server"
        return f"<Actor {self.user.username!r} in {where!r}>"

    @property
    def guild(self) -> Guild:
        if self._guild is None:
            raise EmulatorUsageError(f"{self.user.username} is in no server: run commands in_channel= a DM")
        return self._guild

    @property
    def user(self) -> User:
        assert self._user is not None
        return self._user

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def mention(self) -> str:
        return self.user.mention

    # -- outside servers -------------------------------------------------------------------------------

    def install(self) -> None:
        """Add the application to this user's account ("User Install" on the invite link)."""
        self.emulator.state.user_installs.add(self.user.id)

    def uninstall(self) -> None:
        self.emulator.state.user_installs.discard(self.user.id)

    def dm(self, other: Actor | User | None = None) -> Channel:
        """The DM between this user and `other` (default: the bot), created on first use."""
        other_user = other.user if isinstance(other, Actor) else other
        return self.emulator.state.dm_channel(self.user, other_user)

    def group_dm(self, *others: Actor | User, name: str = "") -> Channel:
        """A new group DM this user owns with `others`."""
        users = [o.user if isinstance(o, Actor) else o for o in others]
        return self.emulator.state.group_dm(self.user, *users, name=name)

    def post(self, channel: Channel, content: str) -> Message:
        """Write a message as this user (no gateway event: the bot asks for no message intents)."""
        state = self.emulator.state
        if not state.permissions(channel, self.user) & VIEW_CHANNEL:
            raise EmulatorUsageError(f"{self.user.username} cannot write in {channel.name!r}")
        message = state.message_factory.create(
            MessageBody({"content": content}),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=self.user,
            created_at=self.emulator.clock.now(),
        )
        state.add_message(message, "member message")
        return message

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
        locale: str | None = None,
        **more_options: Any,
    ) -> Response:
        """Run "/command [group] [sub]" with its options as keywords (or in `options`, for an option named
        like a parameter here: options, wait, within, locale, in_channel). `locale` defaults to the
        user's own (`emulator.member(..., locale="ko")`).

        Where it is run: `in_channel`, else `channel=` when the command has no option of that name, else
        the server's first text channel. Returns once the bot answered; if it deferred, once the
        "thinking" message was completed (unless `wait=False`).
        """
        values = {**(options or {}), **more_options}
        registered, subpath = find_command(self.emulator.state.commands, command, self._scope(in_channel))
        invocation = self._invocation(_where(registered, subpath, values, in_channel), locale)
        invocation = self._check_visible(registered, invocation)
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
        locale: str | None = None,
        **filled: Any,
    ) -> list[Choice]:
        """Type `typed` into `option` of "/command ..." (other options already `filled`); the suggestions.
        Where it is typed: as for `slash`."""
        values = {**filled, option: typed}
        registered, subpath = find_command(self.emulator.state.commands, command, self._scope(in_channel))
        invocation = self._invocation(_where(registered, subpath, values, in_channel), locale)
        invocation = self._check_visible(registered, invocation)
        record = self._new_record(AUTOCOMPLETE, invocation, f"autocomplete of /{command} {option}")
        record.payload["data"] = command_data(
            registered, subpath, values, self._resolver(invocation), focused=option
        )
        await self._dispatch_and_wait_ack(record)
        return [Choice(choice["name"], choice["value"]) for choice in record.choices or []]

    async def message_command(
        self,
        name: str,
        target: Message | Response,
        *,
        wait: bool = True,
        within: float = DEFAULT_TIMEOUT,
        locale: str | None = None,
    ) -> Response:
        """Right-click (long-press) `target` and choose Apps > `name`: a message command (type 3), run in
        the message's channel, with `target_id` and the message in `resolved.messages`."""
        message = _message_of(target)
        channel = self.emulator.state.channel(message.channel_id)
        registered = self.emulator.state.commands.find(name, channel.guild_id, MESSAGE)
        if registered is None:
            raise CommandNotSynced(f"no message command {name!r} is registered with Discord")
        invocation = self._check_visible(registered, self._invocation(channel, locale))
        record = self._new_record(APPLICATION_COMMAND, invocation, f"Apps > {name}")
        data: dict[str, Any] = {
            "id": registered["id"],
            "name": registered["name"],
            "type": MESSAGE,
            "target_id": str(message.id),
            "resolved": {"messages": {str(message.id): message.payload()}},
        }
        if "guild_id" in registered:
            data["guild_id"] = registered["guild_id"]
        record.payload["data"] = data
        return await self._run(record, wait=wait, within=within)

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
        resolver = self._resolver(self._invocation(self.emulator.state.channel(message.channel_id)))
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
        invocation = dataclasses.replace(
            self._invocation(channel),
            integration_owners=tuple((int(k), int(v)) for k, v in shown.record.integration_owners.items()),
        )
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

    def _scope(self, channel: Channel | None) -> int | None:
        """Whose commands the member picks from: the server's and the global ones, or (in a DM) global."""
        if channel is not None:
            return channel.guild_id
        return self._guild.id if self._guild is not None else None

    def _invocation(self, channel: Channel | None, locale: str | None = None) -> Invocation:
        """Who acts where; `locale` overrides the user's own language for this one interaction."""
        locale = locale or self.user.locale
        state = self.emulator.state
        if channel is None:
            text_channels = self.guild.text_channels()
            if not text_channels:
                raise EmulatorUsageError(f"{self.guild.name!r} has no text channel to run commands in")
            channel = text_channels[0]
        permissions = state.permissions(channel, self.user)
        if not permissions & VIEW_CHANNEL:
            raise EmulatorUsageError(f"{self.user.username} cannot see {channel.name!r}")
        if channel.private:
            with_bot = channel.type == DM and any(u.id == state.bot.id for u in channel.recipients)
            return Invocation(
                guild=None,
                channel=channel,
                member=None,
                user=self.user,
                member_permissions=permissions,
                app_permissions=permissions,
                locale=locale,
                context=BOT_DM_CONTEXT if with_bot else PRIVATE_CHANNEL_CONTEXT,
            )
        guild = state.guild_of(channel)
        member = guild.members.get(self.user.id)
        if member is None:
            raise EmulatorUsageError(f"{self.user.username} is not a member of {guild.name!r}")
        return Invocation(
            guild=guild,
            channel=channel,
            member=member,
            member_permissions=permissions,
            app_permissions=state.permissions(channel, state.bot),
            locale=locale,
        )

    def _check_visible(self, command: dict[str, Any], invocation: Invocation) -> Invocation:
        """Discord hides commands the member may not use: not allowed in this context (`contexts`), not
        installed in a way the command accepts (`integration_types`), no Use Application Commands, or
        missing the command's default_member_permissions. Returns the invocation with the installations
        that authorize it (`authorizing_integration_owners`)."""
        state = self.emulator.state
        name = command["name"]
        contexts = command.get("contexts")
        if contexts is not None and invocation.context not in contexts:
            raise EmulatorUsageError(
                f"Discord does not show {name!r} in context {invocation.context} (it allows {contexts})"
            )
        installed: list[tuple[int, int]] = []
        # A server install covers its server and the bot's own DM ("0": "0" there).
        if invocation.context == GUILD_CONTEXT and invocation.guild is not None:
            installed.append((GUILD_INSTALL, invocation.guild.id))
        elif invocation.context == BOT_DM_CONTEXT:
            installed.append((GUILD_INSTALL, 0))
        if self.user.id in state.user_installs:
            installed.append((USER_INSTALL, self.user.id))
        accepted = command.get("integration_types") or [GUILD_INSTALL]
        owners = tuple((kind, owner) for kind, owner in installed if kind in accepted)
        if not owners:
            raise EmulatorUsageError(
                f"Discord does not show {name!r} to {self.user.username} here: installed as "
                f"{[kind for kind, _ in installed]}, the command accepts {accepted}"
            )
        invocation = dataclasses.replace(invocation, integration_owners=owners)
        if invocation.guild is None or invocation.member is None:
            return invocation  # no server roles in DMs: default_member_permissions does not apply
        if GUILD_INSTALL not in dict(owners):
            return invocation  # used through a user install only: server permissions do not apply
        member = invocation.member
        permissions = invocation.member_permissions
        if not permissions & USE_APPLICATION_COMMANDS:
            raise EmulatorUsageError(
                f"{self.user.username} may not use application commands in #{invocation.channel.name}"
            )
        required = command.get("default_member_permissions")
        allowed = self.emulator.command_overrides.get((invocation.guild.id, name), set())
        if allowed & {member.id, *member.role_ids}:
            return invocation
        if (
            required is not None
            and not permissions & ADMINISTRATOR
            and int(required) & permissions != int(required)
        ):
            raise EmulatorUsageError(
                f"Discord does not show /{name} to {self.user.username}: it needs permissions {required}"
            )
        return invocation

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
        invocation = self._invocation(state.channel(message.channel_id))
        owners = (message.interaction_metadata or {}).get("authorizing_integration_owners")
        if owners:
            # A component answers through the installation that posted its message.
            invocation = dataclasses.replace(
                invocation, integration_owners=tuple((int(k), int(v)) for k, v in owners.items())
            )
        record = self._new_record(MESSAGE_COMPONENT, invocation, name)
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
