"""Direct messages for the emulator, for the tests that tell a member an outcome.

The emulator has no DM routes yet; this adds Discord's two (open a DM channel, post in it) to one test's
emulator, recording what was sent, and answering 403 50007 "Cannot send messages to this user" for members
whose direct messages are closed. (It belongs in tests/emulator/ once DMs are needed beyond moderation.)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.emulator import routes_channels
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.errors import ApiError
from tests.emulator.rest import Handler, Reply, Request, Route

CANNOT_MESSAGE_USER = 50007
SEND = "POST /channels/{channel_id}/messages"


@dataclass
class DirectMessages:
    """What the bot sent each member by direct message; `closed` members refuse them."""

    sent: dict[int, list[str]] = field(default_factory=dict)
    closed: set[int] = field(default_factory=set)
    _recipient_of: dict[int, int] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(900_000_000_000_000_000))

    def routes(self, emu: DiscordEmulator, original: Callable[[DiscordEmulator], list[Route]]) -> list[Route]:
        wrapped = [
            Route(r.method, r.template, self._send(emu, r.handler)) if r.key == SEND else r
            for r in original(emu)
        ]
        return [*wrapped, Route("POST", "/users/@me/channels", self._open)]

    async def _open(self, request: Request) -> Reply:
        recipient = int((await request.json())["recipient_id"])
        channel_id = next(self._ids)
        self._recipient_of[channel_id] = recipient
        user = {"id": str(recipient), "username": f"member{recipient}", "discriminator": "0", "avatar": None}
        return Reply(body={"id": str(channel_id), "type": 1, "recipients": [user], "last_message_id": None})

    def _send(self, emu: DiscordEmulator, generic: Handler) -> Handler:
        async def send(request: Request) -> Reply:
            recipient = self._recipient_of.get(request.snowflake("channel_id"))
            if recipient is None:
                return await generic(request)
            body = await request.body()  # read first: an unread body would cut the connection
            if recipient in self.closed:
                raise ApiError(403, CANNOT_MESSAGE_USER, "Cannot send messages to this user")
            self.sent.setdefault(recipient, []).append(body.json.get("content", ""))
            message = emu.state.message_factory.create(
                body,
                channel_id=request.snowflake("channel_id"),
                guild_id=None,
                author=emu.state.bot,
                created_at=emu.clock.now(),
            )
            return Reply(body=message.payload())

        return send


def with_direct_messages(monkeypatch: object, book: DirectMessages) -> None:
    """Have emulators started from now on serve direct messages into `book`."""
    original = routes_channels.routes
    monkeypatch.setattr(routes_channels, "routes", lambda emu: book.routes(emu, original))  # type: ignore[attr-defined]
