"""The REST side: an aiohttp server, a route table in discord.py's own path templates, and the request
pipeline every call goes through (authentication, faults and rate limits, body parsing, error answers).

A route the emulator does not know answers 404 and is recorded, so the test that caused it fails.
To add a route: write a handler in the `routes_*.py` module for its concern and list it in that
module's `routes()`; use the exact template discord.py's `Route` uses (see discord/http.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web
from multidict import MultiMapping

from tests.emulator.errors import ApiError, unauthorized
from tests.emulator.messages import MessageBody, Upload
from tests.emulator.schema import SchemaRefusal, api_description
from tests.emulator.state import RequestRecord

if TYPE_CHECKING:
    from tests.emulator.emulator import DiscordEmulator

API_PREFIX = "/api/v10"

log = logging.getLogger(__name__)


@dataclass
class Reply:
    """An answer: JSON `body` (None for 204 No Content), or raw bytes for attachments."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None

    def to_response(self) -> web.Response:
        if self.raw is not None:
            return web.Response(status=self.status, body=self.raw, headers=self.headers)
        if self.body is None and self.status in (200, 204):
            return web.Response(status=204, headers=self.headers)
        # Exactly "application/json", no charset: discord.py compares the header verbatim.
        headers = {"Content-Type": "application/json", **self.headers}
        return web.Response(
            status=self.status, body=json.dumps(self.body, separators=(",", ":")).encode(), headers=headers
        )


class Request:
    """One API call as handlers see it: path parameters, query, and the (JSON or multipart) body."""

    def __init__(self, http: web.Request, route: Route, params: dict[str, str]) -> None:
        self.http = http
        self.route = route
        self.params = params
        self.query: MultiMapping[str] = http.query
        self._loaded = False
        self._json: Any = None
        self._files: dict[int, Upload] = {}

    def snowflake(self, name: str) -> int:
        """A path parameter as an id (404 if it is not a number, as Discord answers)."""
        value = self.params[name]
        if not value.isdigit():
            raise ApiError(404, 0, "404: Not Found")
        return int(value)

    def flag(self, name: str) -> bool:
        """A boolean query parameter as discord.py sends them ("1", "true")."""
        return self.query.get(name, "").lower() in ("1", "true")

    async def json(self) -> Any:
        """The JSON body (or multipart `payload_json`), whatever its shape; None when there is no body."""
        await self._load()
        return self._json

    async def body(self) -> MessageBody:
        """A message-like body: a JSON object plus the uploaded `files[n]`."""
        await self._load()
        if not isinstance(self._json, dict | None):
            raise ApiError(
                400,
                50035,
                "Invalid Form Body",
                {
                    "_errors": [
                        {
                            "code": "DICT_TYPE_CONVERT",
                            "message": "Only dictionaries may be used in a DictType",
                        }
                    ]
                },
            )
        return MessageBody(self._json or {}, self._files)

    async def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        http = self.http
        if http.content_type.startswith("multipart/"):
            reader = await http.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue
                name = part.name or ""
                data = await part.read()
                if name == "payload_json":
                    self._json = json.loads(data)
                elif name.startswith("files[") and name.endswith("]"):
                    content_type = part.headers.get("Content-Type", "application/octet-stream")
                    self._files[int(name[6:-1])] = Upload(part.filename or name, bytes(data), content_type)
            return
        raw = await http.read() if http.can_read_body else b""
        if raw:
            try:
                self._json = json.loads(raw)
            except ValueError:
                raise ApiError(400, 50109, "The request body contains invalid JSON.") from None


Handler = Callable[[Request], Awaitable[Reply]]


@dataclass(frozen=True)
class Route:
    """A REST route. `key` matches discord.py's `Route.key`, e.g. "POST /channels/{channel_id}/messages".

    `auth`: needs the bot token. `interaction`: an interaction endpoint, exempt from the global rate limit.
    `on_refusal`: told of a request refused before its handler ran (a body Discord's API description
    refuses), as the handler would have been.
    """

    method: str
    template: str
    handler: Handler
    auth: bool = True
    interaction: bool = False
    on_refusal: Callable[[Request, ApiError], None] | None = None

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


class Router:
    """Finds the route for a method and path by matching `{name}` segments."""

    def __init__(self, routes: list[Route]) -> None:
        self._by_shape: dict[tuple[str, int], list[tuple[Route, list[str]]]] = {}
        for route in routes:
            segments = route.template.strip("/").split("/")
            self._by_shape.setdefault((route.method, len(segments)), []).append((route, segments))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route and its path parameters, or None for a route the emulator does not know."""
        parts = path.strip("/").split("/")
        best: tuple[Route, dict[str, str]] | None = None
        best_literals = -1
        for route, segments in self._by_shape.get((method, len(parts)), []):
            params: dict[str, str] = {}
            literals = 0
            for segment, part in zip(segments, parts, strict=True):
                if segment.startswith("{"):
                    params[segment[1:-1]] = part
                elif segment == part:
                    literals += 1
                else:
                    break
            else:
                # The most literal template wins: "/users/@me" before "/users/{user_id}".
                if literals > best_literals:
                    best, best_literals = (route, params), literals
        return best


class RestServer:
    """Serves the API under /api/v10, attachments under /attachments, and hands /, /resume to the gateway."""

    def __init__(self, emulator: DiscordEmulator, routes: list[Route]) -> None:
        self.emulator = emulator
        self.router = Router(routes)
        self.app = web.Application(client_max_size=100 * 1024 * 1024)
        self.app.router.add_get("/", emulator.gateway.handle)
        self.app.router.add_get("/resume", emulator.gateway.handle)
        self.app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._attachment)
        self.app.router.add_route("*", "/{tail:.*}", self._handle)

    async def _attachment(self, http: web.Request) -> web.Response:
        data = self.emulator.state.attachment_bytes(
            int(http.match_info["channel_id"]), int(http.match_info["attachment_id"])
        )
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    async def _handle(self, http: web.Request) -> web.Response:
        state = self.emulator.state
        path = http.path
        found = (
            self.router.match(http.method, path[len(API_PREFIX) :]) if path.startswith(API_PREFIX) else None
        )
        if found is None:
            state.unknown_routes.append(f"{http.method} {path}")
            state.requests.append(RequestRecord(http.method, path, None, 404, 0))
            return Reply(404, {"message": "404: Not Found", "code": 0}).to_response()
        route, params = found
        request = Request(http, route, params)
        reply = await self._answer(request)
        error_code = reply.body.get("code") if reply.status >= 400 and isinstance(reply.body, dict) else None
        state.requests.append(RequestRecord(http.method, path, route.key, reply.status, error_code))
        return reply.to_response()

    async def _answer(self, request: Request) -> Reply:
        route = request.route
        if route.auth and request.http.headers.get("Authorization") != f"Bot {self.emulator.token}":
            return Reply(401, unauthorized().body())
        faults = self.emulator.faults
        refused = await faults.before(route, request.params)
        if refused is not None:
            return refused
        try:
            if self.emulator.check_request_bodies:
                await self._check_body(request)
            reply = await route.handler(request)
        except ApiError as error:
            reply = Reply(error.status, error.body())
        except Exception as error:
            # An emulator bug: answer a status discord.py does not retry, and fail the test at teardown.
            log.exception("the Discord emulator failed on %s", route.key)
            self.emulator.state.protocol_errors.append(f"emulator error on {route.key}: {error!r}")
            reply = Reply(400, {"message": f"Discord emulator error: {error!r}", "code": 0})
        reply.headers.update(faults.bucket_headers(route, request.params))
        return reply

    async def _check_body(self, request: Request) -> None:
        """Refuse, as Discord would, a body its API description refuses (and keep it for the teardown)."""
        route = request.route
        description = api_description()
        operation = description.operation(route.method, route.template)
        if operation is None or not operation.takes_body:
            return
        errors = description.errors(operation, await request.json())
        if errors is not None:
            refusal = SchemaRefusal(route.key, operation.operation_id, errors)
            self.emulator.state.schema_refusals.append(refusal)
            error = refusal.error()
            if route.on_refusal is not None:
                route.on_refusal(request, error)
            raise error
