"""Faults for reliability tests: error statuses, 429s with Discord's rate-limit headers, latency, and the
global and per-route rate limits Discord enforces (only when a test asks for them).

Routes are named by discord.py's templates ("POST /channels/{channel_id}/messages"), or "*" for all.
Gateway faults (dropped connections, invalid sessions) live on `emulator.gateway`.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.emulator.rest import Reply, Route

MAJOR_PARAMETERS = ("channel_id", "guild_id", "webhook_id", "webhook_token")


@dataclass
class Fault:
    """One injected fault on a route: answer `status` (429 with `retry_after`) or wait `latency` seconds.

    `times` is how many requests it affects (None: all); `hits` counts those it did.
    """

    route: str
    status: int | None = None
    latency: float = 0.0
    times: int | None = 1
    retry_after: float = 0.05
    is_global: bool = False
    scope: str = "user"
    code: int = 0
    message: str = ""
    hits: int = 0

    def matches(self, route: Route) -> bool:
        return (self.times is None or self.hits < self.times) and self.route in ("*", route.key)


@dataclass
class Bucket:
    """A per-route rate limit bucket, per major parameter as Discord keys them."""

    limit: int
    per: float
    name: str
    windows: dict[str, tuple[float, int]] = field(default_factory=dict)


class Faults:
    """The fault plan for one emulator. Every refusal (injected or enforced 429) is counted in `refused`."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.buckets: dict[str, Bucket] = {}
        self.global_limit: int | None = None
        self._global_window = (0.0, 0)
        self.refused: Counter[str] = Counter()

    def fail(
        self, route: str, status: int = 500, *, times: int | None = 1, code: int = 0, message: str = ""
    ) -> Fault:
        """Answer `status` (500, 502, 503, ...) on `route` for the next `times` requests."""
        fault = Fault(
            route, status=status, times=times, code=code, message=message or f"{status}: Server Error"
        )
        self.faults.append(fault)
        return fault

    def rate_limit(
        self,
        route: str,
        *,
        retry_after: float = 0.05,
        times: int | None = 1,
        is_global: bool = False,
        scope: str | None = None,
    ) -> Fault:
        """Answer 429 on `route`, with `retry_after` and the headers Discord sends (per-route or global)."""
        fault = Fault(
            route,
            status=429,
            times=times,
            retry_after=retry_after,
            is_global=is_global,
            scope=scope or ("global" if is_global else "user"),
        )
        self.faults.append(fault)
        return fault

    def delay(self, route: str, seconds: float, *, times: int | None = None) -> Fault:
        """Answer `route` `seconds` late (a slow Discord)."""
        fault = Fault(route, latency=seconds, times=times)
        self.faults.append(fault)
        return fault

    def limit_global(self, per_second: int = 50) -> None:
        """Enforce Discord's global limit: `per_second` requests per second per bot (interactions exempt)."""
        self.global_limit = per_second

    def limit_route(self, route: str, limit: int, per: float = 1.0) -> Bucket:
        """Enforce a bucket of `limit` requests per `per` seconds on `route`, with headers on every answer."""
        bucket = Bucket(limit, per, hashlib.sha1(route.encode()).hexdigest()[:16])
        self.buckets[route] = bucket
        return bucket

    def clear(self) -> None:
        """Remove every fault and limit (counts in `refused` are kept)."""
        self.faults.clear()
        self.buckets.clear()
        self.global_limit = None

    async def before(self, route: Route, params: dict[str, str]) -> Reply | None:
        """Apply the plan to one request: sleep, or return the refusal to send instead of handling it."""
        for fault in self.faults:
            if not fault.matches(route):
                continue
            fault.hits += 1
            if fault.latency:
                await asyncio.sleep(fault.latency)
            if fault.status == 429:
                return self._too_many(route, fault.retry_after, fault.is_global, fault.scope)
            if fault.status is not None:
                return Reply(fault.status, {"message": fault.message, "code": fault.code})
        if self.global_limit is not None and not route.interaction:
            refused = self._take_global()
            if refused is not None:
                return self._too_many(route, refused, True, "global")
        bucket = self.buckets.get(route.key)
        if bucket is not None:
            start, used = self._window(bucket, params)
            if used >= bucket.limit:
                retry_after = max(0.0, start + bucket.per - time.monotonic())
                return self._too_many(route, retry_after, False, "user", bucket, params)
            bucket.windows[_major(params)] = (start, used + 1)
        return None

    def bucket_headers(self, route: Route, params: dict[str, str]) -> dict[str, str]:
        """Discord's X-RateLimit-* headers for a request on an enforced bucket (none otherwise)."""
        bucket = self.buckets.get(route.key)
        if bucket is None:
            return {}
        start, used = self._window(bucket, params)
        reset_after = max(0.0, start + bucket.per - time.monotonic())
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(max(0, bucket.limit - used)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket.name,
        }

    def _window(self, bucket: Bucket, params: dict[str, str]) -> tuple[float, int]:
        now = time.monotonic()
        start, used = bucket.windows.get(_major(params), (now, 0))
        if now >= start + bucket.per:
            start, used = now, 0
        return start, used

    def _take_global(self) -> float | None:
        """Count one request in the current one-second window; the seconds to wait if it is full."""
        assert self.global_limit is not None
        now = time.monotonic()
        start, used = self._global_window
        if now >= start + 1.0:
            start, used = now, 0
        if used >= self.global_limit:
            return start + 1.0 - now
        self._global_window = (start, used + 1)
        return None

    def _too_many(
        self,
        route: Route,
        retry_after: float,
        is_global: bool,
        scope: str,
        bucket: Bucket | None = None,
        params: dict[str, str] | None = None,
    ) -> Reply:
        """A 429 exactly as Discord sends it (discord.py also checks the `Via` header)."""
        self.refused[route.key] += 1
        headers = {
            "Via": "1.1 google",
            "Retry-After": f"{max(1, round(retry_after))}",
            "X-RateLimit-Scope": scope,
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            limit = bucket.limit if bucket else 5
            name = bucket.name if bucket else hashlib.sha1(route.key.encode()).hexdigest()[:16]
            headers |= {
                "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                "X-RateLimit-Bucket": name,
            }
        body = {
            "message": "You are being rate limited.",
            "retry_after": round(retry_after, 3),
            "global": is_global,
        }
        return Reply(429, body, headers)


def _major(params: dict[str, str]) -> str:
    return "+".join(params[name] for name in MAJOR_PARAMETERS if name in params)
