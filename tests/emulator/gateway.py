"""The Gateway (v10, JSON, optional zlib-stream): HELLO, IDENTIFY/READY/GUILD_CREATE, heartbeats, RESUME
with replay of missed events, INVALID_SESSION, member chunks, and numbered DISPATCH events.

Sharding as on Discord: an IDENTIFY with `shard: [id, count]` opens the session of that shard, which is
sent only the servers `(guild_id >> 22) % count == id` and their events; events of no server (DMs) go
to shard 0. One live session per shard (a new IDENTIFY for a shard replaces its session), so several
shards, in one process or several, are connected at once. A session that would hold more than
MAX_GUILDS_PER_SESSION servers is closed with 4011 (sharding required); a shard outside its count with
4010. Events dispatched while a session is disconnected are kept and replayed on RESUME, as Discord
does. Faults: `drop()`, `reconnect()`, `invalidate_session()` (the latest session, or a given shard's).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSCloseCode, WSMsgType, web

from tests.emulator.clock import Changes

if TYPE_CHECKING:
    from tests.emulator.emulator import DiscordEmulator

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, VOICE_STATE_UPDATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_GUILD_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11
HEARTBEAT_INTERVAL_MS = 41_250
REPLAY_BUFFER = 50_000
# Close codes: 4000 is resumable; 4009 (session timed out) makes the client start a new session.
UNKNOWN_ERROR, UNKNOWN_OPCODE, DECODE_ERROR, NOT_AUTHENTICATED = 4000, 4001, 4002, 4003
AUTHENTICATION_FAILED, ALREADY_AUTHENTICATED, SESSION_TIMED_OUT, INVALID_API_VERSION = 4004, 4005, 4009, 4012
INVALID_SHARD, SHARDING_REQUIRED = 4010, 4011
# Discord: "Each shard can only support a maximum of 2500 guilds".
MAX_GUILDS_PER_SESSION = 2_500
# Events that are about a server carry it as "id", not "guild_id".
GUILD_EVENTS = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})

ShardKey = tuple[int, int] | None  # (shard id, shard count); None: a session without shards


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's routing rule (the bot has its own copy in bot/core/shards.py; this one is Discord's)."""
    return (guild_id >> 22) % shard_count


def receives(shard: ShardKey, guild_id: int | None) -> bool:
    """Whether a session with `shard` is sent the events of `guild_id` (None: of no server)."""
    if shard is None:
        return True
    shard_id, shard_count = shard
    return shard_id == 0 if guild_id is None else shard_of(guild_id, shard_count) == shard_id


def event_guild(event: str, data: dict[str, Any]) -> int | None:
    """The server an event is about, which decides the shard it is sent to."""
    value = data.get("id") if event in GUILD_EVENTS else data.get("guild_id")
    return int(value) if value is not None else None


class Connection:
    """One websocket. Frames go out in order through a writer task; zlib-stream shares one compressor."""

    def __init__(self, ws: web.WebSocketResponse, *, compress: bool, path: str) -> None:
        self.ws = ws
        self.path = path
        self.compressed = compress
        self._compressor = zlib.compressobj() if compress else None
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._writer = asyncio.create_task(self._write(), name="emulator-gateway-writer")
        self.session: Session | None = None
        self.closed = False

    def send(self, payload: dict[str, Any] | str) -> None:
        if not self.closed:
            self._queue.put_nowait(
                payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
            )

    async def _write(self) -> None:
        while (text := await self._queue.get()) is not None:
            try:
                if self._compressor is None:
                    await self.ws.send_str(text)
                else:
                    data = self._compressor.compress(text.encode()) + self._compressor.flush(
                        zlib.Z_SYNC_FLUSH
                    )
                    await self.ws.send_bytes(data)
            except (ConnectionError, RuntimeError):
                self.closed = True
                return

    async def close(self, code: int) -> None:
        """Flush what was queued, then close with `code`."""
        if self.closed:
            return
        self._queue.put_nowait(None)
        await self._writer
        self.closed = True
        await self.ws.close(code=code, message=b"closed by the emulator")

    def abort(self) -> None:
        self.closed = True
        self._writer.cancel()


@dataclass
class Session:
    """A gateway session: survives dropped connections, numbers its events, keeps them for replay."""

    id: str
    intents: int
    shard: ShardKey = None
    seq: int = 0
    buffer: deque[tuple[int, str]] = field(default_factory=lambda: deque(maxlen=REPLAY_BUFFER))
    connection: Connection | None = None
    ready: bool = False
    resumable: bool = True

    def frame(self, event: str, data: Any) -> str:
        self.seq += 1
        text = json.dumps({"op": DISPATCH, "t": event, "s": self.seq, "d": data}, separators=(",", ":"))
        self.buffer.append((self.seq, text))
        return text


class Gateway:
    """The gateway endpoint of one emulator, and the record of what happened on it."""

    def __init__(self, emulator: DiscordEmulator) -> None:
        self.emulator = emulator
        # The session identified last (the bot's, when it runs one session).
        self.session: Session | None = None
        self.sessions: dict[str, Session] = {}
        # The session of each shard that is sent events: identified and not ended by the client.
        self.live: dict[ShardKey, Session] = {}
        # IDENTIFYs refused with a close code: (code, shard).
        self.refused: list[tuple[int, ShardKey]] = []
        # When each IDENTIFY arrived (emulator clock), with its shard: pacing can be checked.
        self.identifies: list[tuple[float, ShardKey]] = []
        self.changes = Changes()
        self.identify_count = 0
        self.resume_count = 0
        self.invalid_session_count = 0
        self.heartbeat_count = 0
        self.presence_updates: list[dict[str, Any]] = []
        self.connections: list[Connection] = []

    # -- the bot side -----------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """One websocket connection, from HELLO until either side closes it."""
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        connection = Connection(
            ws, compress=request.query.get("compress") == "zlib-stream", path=request.path
        )
        self.connections.append(connection)
        if request.query.get("v", "10") != "10" or request.query.get("encoding", "json") != "json":
            self._protocol_error(f"unsupported gateway query {dict(request.query)}")
            await connection.close(INVALID_API_VERSION)
            return ws
        connection.send(
            {"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}, "s": None, "t": None}
        )
        try:
            async for message in ws:
                if message.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                try:
                    payload = json.loads(message.data)
                except ValueError:
                    self._protocol_error(f"undecodable gateway frame {message.data!r:.200}")
                    await connection.close(DECODE_ERROR)
                    break
                await self._receive(connection, payload)
        finally:
            connection.abort()
            session = connection.session
            if session is not None and session.connection is connection:
                session.connection = None
                session.ready = False
                # A client closing with 1000 or 1001 ends its session, as on Discord.
                if ws.close_code in (1000, 1001):
                    session.resumable = False
                    if self.live.get(session.shard) is session:
                        del self.live[session.shard]
            self.changes.notify()
        return ws

    async def _receive(self, connection: Connection, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            self.heartbeat_count += 1
            connection.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})
        elif connection.session is None:
            self._protocol_error(f"op {op} before IDENTIFY")
            await connection.close(NOT_AUTHENTICATED)
        elif op == PRESENCE_UPDATE:
            self.presence_updates.append(data or {})
        elif op == REQUEST_GUILD_MEMBERS:
            self._send_member_chunk(connection, data or {})
        elif op == VOICE_STATE_UPDATE:
            pass
        else:
            self._protocol_error(f"unknown gateway opcode {op}")
            await connection.close(UNKNOWN_OPCODE)

    async def _identify(self, connection: Connection, data: dict[str, Any]) -> None:
        if connection.session is not None:
            self._protocol_error("IDENTIFY twice on one connection")
            await connection.close(ALREADY_AUTHENTICATED)
            return
        if data.get("token") != self.emulator.token:
            await connection.close(AUTHENTICATION_FAILED)
            return
        valid, shard = _shard_key(data.get("shard"))
        if not valid:
            self.refused.append((INVALID_SHARD, None))
            await connection.close(INVALID_SHARD)
            return
        state = self.emulator.state
        guilds = [guild for guild in state.guilds.values() if receives(shard, guild.id)]
        if len(guilds) > MAX_GUILDS_PER_SESSION:
            self.refused.append((SHARDING_REQUIRED, shard))
            await connection.close(SHARDING_REQUIRED)
            return
        session = Session(id=secrets.token_hex(16), intents=int(data.get("intents") or 0), shard=shard)
        replaced = self.live.get(shard)
        if replaced is not None and replaced.connection is not None:
            replaced.connection.abort()
        self.sessions[session.id] = session
        self.live[shard] = session
        self.session = session
        self.identify_count += 1
        self.identifies.append((self.emulator.clock.monotonic(), shard))
        state.intents = session.intents
        session.connection = connection
        connection.session = session
        ready = {
            "v": 10,
            "user": {**state.bot.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(guild.id), "unavailable": True} for guild in guilds],
            "session_id": session.id,
            "resume_gateway_url": self.emulator.resume_gateway_url,
            "application": {"id": str(state.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "_trace": ["discord-emulator"],
        }
        if shard is not None:
            ready["shard"] = list(shard)
        connection.send(session.frame("READY", ready))
        for guild in guilds:
            connection.send(session.frame("GUILD_CREATE", state.guild_payload(guild)))
        session.ready = True
        self.changes.notify()

    async def _resume(self, connection: Connection, data: dict[str, Any]) -> None:
        session = self.sessions.get(data.get("session_id") or "")
        seq = data.get("seq") or 0
        oldest = session.buffer[0][0] if session and session.buffer else 1
        if (
            session is None
            or self.live.get(session.shard) is not session
            or not session.resumable
            or data.get("token") != self.emulator.token
            or seq < oldest - 1
        ):
            self.invalid_session_count += 1
            connection.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        if session.connection is not None:
            session.connection.abort()
        session.connection = connection
        connection.session = session
        for number, text in session.buffer:
            if number > seq:
                connection.send(text)
        connection.send(session.frame("RESUMED", {"_trace": ["discord-emulator"]}))
        self.resume_count += 1
        session.ready = True
        self.changes.notify()

    def _send_member_chunk(self, connection: Connection, data: dict[str, Any]) -> None:
        state = self.emulator.state
        guild = state.guilds.get(int(data.get("guild_id") or 0))
        if guild is None or connection.session is None:
            return
        members = list(guild.members.values())
        if data.get("user_ids"):
            wanted = {int(user_id) for user_id in data["user_ids"]}
            members = [member for member in members if member.user.id in wanted]
        elif data.get("query"):
            members = [member for member in members if member.user.username.startswith(data["query"])]
        if data.get("limit"):
            members = members[: int(data["limit"])]
        chunk = {
            "guild_id": str(guild.id),
            "members": [member.payload() for member in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        connection.send(connection.session.frame("GUILD_MEMBERS_CHUNK", chunk))

    def _protocol_error(self, what: str) -> None:
        log.error("gateway protocol error: %s", what)
        self.emulator.state.protocol_errors.append(what)

    # -- the emulator side ------------------------------------------------------------------------------

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH event to the session of every shard it belongs to (its server's; shard 0's
        for an event of no server); kept for replay while that session is disconnected."""
        guild_id = event_guild(event, data)
        for session in list(self.live.values()):
            if receives(session.shard, guild_id):
                text = session.frame(event, data)
                if session.connection is not None:
                    session.connection.send(text)

    def session_of(self, guild_id: int | None) -> Session | None:
        """The live session sent the events of `guild_id` (None: of no server), if any."""
        return next((s for s in self.live.values() if receives(s.shard, guild_id)), None)

    def shard_session(self, shard_id: int | None) -> Session:
        """The live session of shard `shard_id` (None: the latest session), or RuntimeError."""
        if shard_id is None:
            session = self.session
        else:
            session = next((s for k, s in self.live.items() if k is not None and k[0] == shard_id), None)
        if session is None:
            raise RuntimeError(f"no session of shard {shard_id}" if shard_id is not None else "no session")
        return session

    @property
    def connected(self) -> bool:
        """Whether the bot has a session and every live session has a ready connection."""
        return bool(self.live) and all(s.connection is not None and s.ready for s in self.live.values())

    def connected_shards(self) -> set[ShardKey]:
        """The shards (id, count) whose sessions are connected and ready; None for a session without."""
        return {key for key, s in self.live.items() if s.connection is not None and s.ready}

    async def wait_connected(self, within: float = 10.0, *, shards: int | None = None) -> None:
        """Wait until the bot has live sessions again (after IDENTIFY or RESUME): all of them, and at
        least `shards` of them if given (a sharded bot identifies its shards one after another)."""
        await self.changes.wait_for(
            lambda: self.connected and len(self.connected_shards()) >= (shards or 1),
            within,
            "the bot to connect to the gateway" + (f" with {shards} shards" if shards else ""),
        )

    async def drop(
        self, *, resumable: bool = True, code: int | None = None, shard: int | None = None
    ) -> None:
        """Close the bot's connection, as a network failure or a gateway restart would.

        Resumable: close code 4000, the client RESUMEs and gets the missed events. Not resumable: close
        code 4009 and the session is forgotten, so the client's RESUME gets INVALID_SESSION and it
        IDENTIFYs afresh. `shard`: that shard's session (default: the latest session).
        """
        session = self.shard_session(shard) if shard is not None else self.session
        if session is None or session.connection is None:
            raise RuntimeError("the bot is not connected to the gateway")
        if not resumable:
            session.resumable = False
        connection = session.connection
        session.connection = None
        session.ready = False
        await connection.close(
            code if code is not None else UNKNOWN_ERROR if resumable else SESSION_TIMED_OUT
        )

    async def reconnect(self) -> None:
        """Send op 7 RECONNECT: the client closes and RESUMEs."""
        self._send_op({"op": RECONNECT, "d": None, "s": None, "t": None})

    async def invalidate_session(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION; with `resumable=False` the client IDENTIFYs afresh."""
        if not resumable and self.session is not None:
            self.session.resumable = False
        self.invalid_session_count += 1
        self._send_op({"op": INVALID_SESSION, "d": resumable, "s": None, "t": None})

    def _send_op(self, payload: dict[str, Any]) -> None:
        session = self.session
        if session is None or session.connection is None:
            raise RuntimeError("the bot is not connected to the gateway")
        session.connection.send(payload)

    async def close_all(self) -> None:
        """Close every open connection (going away), when the emulator stops."""
        for connection in self.connections:
            if not connection.closed:
                connection.abort()
                await connection.ws.close(code=WSCloseCode.GOING_AWAY)


def _shard_key(value: Any) -> tuple[bool, ShardKey]:
    """IDENTIFY's `shard` (None when absent, else (id, count)), and whether Discord would accept it."""
    if value is None:
        return True, None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in value)
        and value[1] >= 1
        and 0 <= value[0] < value[1]
    ):
        return True, (value[0], value[1])
    return False, None
