"""Routes for who the bot is and what it registered: users, the application, the gateway URL, commands,
and read-only server lookups."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from tests.emulator.errors import (
    UNKNOWN_GUILD,
    UNKNOWN_MEMBER,
    UNKNOWN_USER,
    ApiError,
    missing_access,
    not_found,
)
from tests.emulator.rest import Reply, Request, Route

if TYPE_CHECKING:
    from tests.emulator.emulator import DiscordEmulator

# Discord's recommended shard count works out at about one shard per 1,000 servers.
SERVERS_PER_RECOMMENDED_SHARD = 1_000
SESSION_STARTS_PER_DAY = 1_000


def routes(emu: DiscordEmulator) -> list[Route]:
    """The user, application, gateway, command and server routes, bound to `emu`."""
    state = emu.state

    async def get_me(request: Request) -> Reply:
        return Reply(body={**state.bot.payload(), "verified": True, "mfa_enabled": False, "locale": "en-US"})

    async def get_user(request: Request) -> Reply:
        user = state.users.get(request.snowflake("user_id"))
        if user is None:
            raise not_found(UNKNOWN_USER, "User")
        return Reply(body=user.payload())

    async def application_info(request: Request) -> Reply:
        return Reply(
            body={
                "id": str(state.application_id),
                "name": state.bot.username,
                "icon": None,
                "description": "",
                "summary": "",
                "rpc_origins": [],
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": state.owner.payload(),
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "bot": state.bot.payload(),
                "approximate_guild_count": len(state.guilds),
                "redirect_uris": [],
                "tags": [],
            }
        )

    async def gateway(request: Request) -> Reply:
        return Reply(body={"url": emu.gateway_url})

    async def gateway_bot(request: Request) -> Reply:
        """The URL, the recommended shard count and the session start limit (GatewayBotResponse in
        discord/discord-api-spec)."""
        limit = {
            "total": SESSION_STARTS_PER_DAY,
            "remaining": max(0, SESSION_STARTS_PER_DAY - emu.gateway.identify_count),
            "reset_after": 24 * 3600 * 1000,
            "max_concurrency": emu.max_concurrency,
        }
        shards = max(1, math.ceil(len(state.guilds) / SERVERS_PER_RECOMMENDED_SHARD))
        return Reply(body={"url": emu.gateway_url, "shards": shards, "session_start_limit": limit})

    def scope_of(request: Request) -> int | None:
        if request.snowflake("application_id") != state.application_id:
            raise ApiError(403, 20012, "You are not authorized to perform this action on this application")
        if "guild_id" not in request.params:
            return None
        guild_id = request.snowflake("guild_id")
        if guild_id not in state.guilds:
            raise missing_access()
        return guild_id

    async def list_commands(request: Request) -> Reply:
        return Reply(body=state.commands.registered(scope_of(request)))

    async def bulk_overwrite(request: Request) -> Reply:
        scope = scope_of(request)
        return Reply(body=state.commands.bulk_overwrite(scope, await request.json()))

    async def upsert_command(request: Request) -> Reply:
        scope = scope_of(request)
        return Reply(201, state.commands.upsert(scope, await request.json()))

    async def get_command(request: Request) -> Reply:
        _, command = state.commands.get(scope_of(request), request.snowflake("command_id"))
        return Reply(body=command)

    async def edit_command(request: Request) -> Reply:
        scope = scope_of(request)
        _, command = state.commands.get(scope, request.snowflake("command_id"))
        changes: dict[str, Any] = await request.json() or {}
        return Reply(body=state.commands.upsert(scope, {**_definition(command), **changes}))

    async def delete_command(request: Request) -> Reply:
        state.commands.delete(scope_of(request), request.snowflake("command_id"))
        return Reply(204)

    def guild_of(request: Request) -> Any:
        guild = state.guilds.get(request.snowflake("guild_id"))
        if guild is None:
            raise not_found(UNKNOWN_GUILD, "Guild")
        return guild

    async def get_guild(request: Request) -> Reply:
        guild = guild_of(request)
        payload = state.guild_payload(guild)
        for key in ("channels", "members", "threads", "voice_states", "presences", "joined_at", "large"):
            payload.pop(key, None)
        return Reply(body=payload)

    async def guild_channels(request: Request) -> Reply:
        return Reply(body=[channel.payload() for channel in guild_of(request).channels.values()])

    async def guild_roles(request: Request) -> Reply:
        return Reply(body=[role.payload() for role in guild_of(request).roles.values()])

    async def guild_member(request: Request) -> Reply:
        member = guild_of(request).members.get(request.snowflake("user_id"))
        if member is None:
            raise not_found(UNKNOWN_MEMBER, "Member")
        return Reply(body=member.payload())

    commands = "/applications/{application_id}/commands"
    guild_commands = "/applications/{application_id}/guilds/{guild_id}/commands"
    table = [
        Route("GET", "/users/@me", get_me),
        Route("GET", "/users/{user_id}", get_user),
        Route("GET", "/oauth2/applications/@me", application_info),
        Route("GET", "/applications/@me", application_info),
        Route("GET", "/gateway", gateway, auth=False),
        Route("GET", "/gateway/bot", gateway_bot),
        Route("GET", "/guilds/{guild_id}", get_guild),
        Route("GET", "/guilds/{guild_id}/channels", guild_channels),
        Route("GET", "/guilds/{guild_id}/roles", guild_roles),
        Route("GET", "/guilds/{guild_id}/members/{user_id}", guild_member),
    ]
    for base in (commands, guild_commands):
        table += [
            Route("GET", base, list_commands),
            Route("PUT", base, bulk_overwrite),
            Route("POST", base, upsert_command),
            Route("GET", base + "/{command_id}", get_command),
            Route("PATCH", base + "/{command_id}", edit_command),
            Route("DELETE", base + "/{command_id}", delete_command),
        ]
    return table


def _definition(command: dict[str, Any]) -> dict[str, Any]:
    """A stored command without the fields Discord adds, ready to be validated again."""
    return {k: v for k, v in command.items() if k not in ("id", "application_id", "version", "guild_id")}
