"""`DiscordEmulator`: one local Discord (REST + Gateway on 127.0.0.1, random port) and the test-facing API."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

from aiohttp import web

from tests.emulator import routes_channels, routes_core, routes_interactions
from tests.emulator.actors import Actor
from tests.emulator.clock import EmulatorClock
from tests.emulator.faults import Faults
from tests.emulator.gateway import Gateway
from tests.emulator.interactions import InteractionRecord
from tests.emulator.mentions import MentionRecord, record_pings
from tests.emulator.messages import Message
from tests.emulator.models import Channel, Guild, Role, User
from tests.emulator.permissions import DEFAULT_BOT, PermissionsLike, as_int
from tests.emulator.rest import RestServer
from tests.emulator.schema import SchemaRefusal
from tests.emulator.state import EmulatorState, RequestRecord

log = logging.getLogger(__name__)


class DiscordEmulator:
    """A local Discord for one test: fake servers and members, the bot's registered commands, every
    message, interaction and request, and the faults to inject.

        emu = DiscordEmulator()
        await emu.start()
        guild = emu.add_guild("Test server", channels=("general", "quiz"))
        alice = emu.member(guild, "alice")
        ...  # start the bot with BotRunner, then: resp = await alice.slash("search", query="...")
        await emu.stop()
    """

    def __init__(
        self,
        *,
        token: str = "emulator-bot-token",
        bot_name: str = "DPRK Watch",
        ack_deadline: float = 3.0,
        check_request_bodies: bool = True,
    ) -> None:
        self.token = token
        # Every body checked against Discord's API description (schema.py); only bench/ turns it off.
        self.check_request_bodies = check_request_bodies
        self.clock = EmulatorClock()
        self.ack_deadline = ack_deadline
        self.token_lifetime = 15 * 60.0
        # /gateway/bot's session_start_limit.max_concurrency: shards that may IDENTIFY at once (1 for
        # most bots; Discord raises it for very large ones).
        self.max_concurrency = 1
        self.host = "127.0.0.1"
        self.port = 0
        self.state = EmulatorState(clock=self.clock, bot_name=bot_name, base_url=lambda: self.http_url)
        self.gateway = Gateway(self)
        self.state.dispatch = self.gateway.dispatch
        self.faults = Faults()
        # Server admins can let specific members or roles use a command whatever its default permissions
        # (Server Settings > Integrations): (guild id, command name) -> allowed user and role ids.
        self.command_overrides: dict[tuple[int, str], set[int]] = {}
        self._runner: web.AppRunner | None = None

    # -- lifecycle -------------------------------------------------------------------------------------

    async def start(self) -> DiscordEmulator:
        """Listen on a free port of 127.0.0.1 (REST under /api/v10, the gateway at /)."""
        routes = routes_core.routes(self) + routes_channels.routes(self) + routes_interactions.routes(self)
        server = RestServer(self, routes)
        self._runner = web.AppRunner(server.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, 0))
        self.port = listener.getsockname()[1]
        await web.SockSite(self._runner, listener).start()
        return self

    async def stop(self) -> None:
        """Close gateway connections and the server (stop bots first: they would try to reconnect)."""
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DiscordEmulator:
        return await self.start()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def http_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        """What `discord.http.Route.BASE` (the bot's DISCORD_API_BASE) must be."""
        return f"{self.http_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """What `DiscordWebSocket.DEFAULT_GATEWAY` (the bot's DISCORD_GATEWAY_URL) must be."""
        return f"ws://{self.host}:{self.port}/"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/resume"

    # -- the world -------------------------------------------------------------------------------------

    @property
    def application_id(self) -> int:
        return self.state.application_id

    @property
    def bot_user(self) -> User:
        return self.state.bot

    def add_guild(
        self,
        name: str = "Test server",
        *,
        channels: Iterable[str] = ("general",),
        bot_permissions: PermissionsLike = DEFAULT_BOT,
        owner: User | None = None,
        shard: tuple[int, int] | None = None,
    ) -> Guild:
        """A server with the bot in it (with a managed role holding `bot_permissions`) and text `channels`.

        `shard=(1, 2)`: its id puts it on shard 1 of 2 (by default the id is the next snowflake, which
        puts servers created within one millisecond on the same shard, as on Discord).
        Add channels, roles and overwrites afterwards with the `Guild` methods; a connected bot is told.
        """
        return self.state.add_guild(
            name, channels=tuple(channels), bot_permissions=as_int(bot_permissions), owner=owner, shard=shard
        )

    def member(
        self,
        guild: Guild,
        name: str,
        *,
        roles: Iterable[Role] = (),
        permissions: PermissionsLike | None = None,
        locale: str | None = None,
    ) -> Actor:
        """A member of `guild` to act with (created on first use). `permissions` adds a role holding them;
        `locale` is their Discord client's language (`ko`, `ja`; default `en-US`), sent with every
        interaction they start."""
        user = self.state.user(name)
        if locale is not None:
            user.locale = locale
        role_list = list(roles)
        if permissions is not None:
            role_list.append(guild.add_role(f"{name} permissions", permissions))
        member = guild.members.get(user.id)
        if member is None:
            member = guild.add_member(user, role_list)
        elif role_list:
            guild.set_member_roles(member, [*(guild.roles[r] for r in member.role_ids), *role_list])
        return Actor(self, guild, member)

    def user(self, name: str, *, installed: bool = True, locale: str | None = None) -> Actor:
        """A user in none of the bot's servers, to act in DMs and group DMs (`actor.dm()`,
        `actor.group_dm(...)`), with the application added to their account unless `installed=False`."""
        user = self.state.user(name)
        if locale is not None:
            user.locale = locale
        actor = Actor(self, None, None, user)
        if installed:
            actor.install()
        return actor

    def permissions_in(self, channel: Channel, who: User | Actor) -> int:
        """Computed permissions of a user (or the bot: `emu.bot_user`) in a channel, as an int."""
        return self.state.permissions(channel, who.user if isinstance(who, Actor) else who)

    # -- what happened ---------------------------------------------------------------------------------

    def direct_messages(self, user: User | Actor) -> list[Message]:
        """What the bot wrote to `user` by direct message, oldest first."""
        target = user.user if isinstance(user, Actor) else user
        return [m for m in self.messages(self.state.dm_channel(target)) if m.author.id == self.state.bot.id]

    def close_direct_messages(self, user: User | Actor) -> None:
        """`user` accepts no direct messages from the bot: Discord answers 403 50007 to any sent."""
        self.state.closed_dms.add((user.user if isinstance(user, Actor) else user).id)

    def messages(self, channel: Channel, *, include_ephemeral: bool = False) -> list[Message]:
        """The channel's messages, oldest first (deleted ones left out; ephemeral ones only when asked)."""
        return self.state.channel_history(channel.id, include_ephemeral=include_ephemeral)

    async def wait_for_message(
        self, channel: Channel, predicate: Callable[[Message], bool] | None = None, *, within: float = 5.0
    ) -> Message:
        """The first message in `channel` (past or future) for which `predicate(message)` is true."""

        def found() -> Message | None:
            return next((m for m in self.messages(channel) if predicate is None or predicate(m)), None)

        return await self.state.changes.wait_for(found, within, f"a message in #{channel.name}")

    def registered_commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        """The commands the bot registered, globally or in one server, as Discord stores them."""
        return self.state.commands.registered(None if guild is None else guild.id)

    def command(self, name: str, guild: Guild | None = None) -> dict[str, Any]:
        """The registered command `name` a member of `guild` would see (the server's first), or KeyError."""
        command = self.state.commands.find(name, None if guild is None else guild.id)
        if command is None:
            raise KeyError(f"/{name} is not registered")
        return command

    def allow_command(self, guild: Guild, name: str, who: int) -> None:
        """An admin override: show /`name` in `guild` to the member or role with id `who`."""
        self.command_overrides.setdefault((guild.id, name), set()).add(who)

    @property
    def interactions(self) -> list[InteractionRecord]:
        return list(self.state.interactions.values())

    @property
    def unknown_routes(self) -> list[str]:
        return self.state.unknown_routes

    @property
    def mention_log(self) -> list[MentionRecord]:
        return self.state.mention_log

    def requests(self, route: str | None = None) -> list[RequestRecord]:
        """Every REST request answered, or only those on `route` ("POST /channels/{channel_id}/messages")."""
        return [r for r in self.state.requests if route is None or r.route == route]

    @property
    def schema_refusals(self) -> list[SchemaRefusal]:
        """Request bodies refused because Discord's API description refuses them (each fails the test)."""
        return list(self.state.schema_refusals)

    def take_schema_refusals(self) -> list[SchemaRefusal]:
        """The refusals so far, forgotten: for a test that sends an invalid body on purpose."""
        taken = list(self.state.schema_refusals)
        self.state.schema_refusals.clear()
        return taken

    def advance(self, seconds: float) -> None:
        """Make `seconds` of emulated time pass (interaction deadlines, token expiry)."""
        self.clock.advance(seconds)
        for record in self.state.interactions.values():
            if not record.acknowledged:
                record.changes.notify()

    # -- assertions ------------------------------------------------------------------------------------

    def assert_no_pings(self) -> None:
        """Fail if any message the bot wrote could ping @everyone, @here, a role or a user."""
        offences = [
            f"{record.route} message {record.message_id}: {pings} in {record.content[:80]!r}"
            f" (allowed_mentions={record.allowed_mentions})"
            for record in self.state.mention_log
            if (pings := record_pings(record))
        ]
        assert not offences, "the bot sent messages that could ping:\n" + "\n".join(offences)

    def problems(self) -> list[str]:
        """Unknown routes, gateway protocol errors and bodies Discord's API description refuses: each one
        means the emulator or the bot is wrong."""
        return (
            [f"unknown route {route}" for route in self.state.unknown_routes]
            + [f"gateway protocol error: {error}" for error in self.state.protocol_errors]
            + [
                f"request body refused by Discord's API description: {refusal.describe()}"
                for refusal in self.state.schema_refusals
            ]
        )

    def check(self) -> None:
        """Raise AssertionError listing `problems()`; the fixtures call this at teardown."""
        problems = self.problems()
        assert not problems, "the Discord emulator saw:\n" + "\n".join(problems)
