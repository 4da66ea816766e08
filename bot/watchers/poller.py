"""The watcher: each feed fetched on its own schedule, new items stored as leads, failures backed off.

A feed that fails (no answer, an error status, a body that is not its format) is logged, counted in
the database and tried again later, each failure in a row doubling the wait up to MAX_BACKOFF; a
success resets it. Nothing here can stop the bot or another feed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp

from bot.core.clock import Clock
from bot.watchers.fetch import FetchError, fetch_feed
from bot.watchers.model import Feed, FoundLead, MalformedFeed, cns_leads, rss_leads
from bot.watchers.model.leads import korean_date
from bot.watchers.store import LeadStore

log = logging.getLogger(__name__)

MAX_BACKOFF = 6 * 3600.0


@dataclass(frozen=True)
class PollOutcome:
    """What one poll of a feed did: `added` lead ids, `unchanged` on a 304, or the `error`."""

    feed: str
    added: tuple[int, ...] = ()
    unchanged: bool = False
    error: str = ""


def next_wait(feed: Feed, failures: int) -> float:
    """Seconds until the next fetch: the feed's period, doubled for each failure in a row."""
    if failures <= 0:
        return feed.every
    return min(feed.every * 2 ** min(failures, 20), max(feed.every, MAX_BACKOFF))


class FeedWatcher:
    """Polls the operator's feeds. `start()` runs one task per feed; `stop()` ends them between writes."""

    def __init__(
        self, feeds: tuple[Feed, ...], store: LeadStore, clock: Clock, facility_names: Mapping[str, str]
    ) -> None:
        self.feeds = feeds
        self.store = store
        self.clock = clock
        self.facility_names = facility_names
        self.outcomes: dict[str, list[PollOutcome]] = {feed.name: [] for feed in feeds}
        self._session: aiohttp.ClientSession | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._feed_locks = {feed.name: asyncio.Lock() for feed in feeds}
        # Held around every database write: stop() cancels the tasks only outside one.
        self._writing = asyncio.Lock()

    def start(self) -> None:
        if not self.feeds or self._tasks:
            return
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None))
        for feed in self.feeds:
            task = asyncio.create_task(self._watch(feed), name=f"watch feed {feed.name}")
            self._tasks.append(task)

    async def stop(self) -> None:
        async with self._writing:
            for task in self._tasks:
                task.cancel()
        for task in self._tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:  # already logged by the loop; shutting down regardless
                log.debug("Feed task ended with an error", exc_info=True)
        self._tasks.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _watch(self, feed: Feed) -> None:
        while True:
            try:
                outcome = await self.poll(feed)
                failures = (await self.store.feed_state(feed.name)).failures if outcome.error else 0
            except asyncio.CancelledError:
                raise
            except Exception:
                # A busy database or a bug in one feed's parsing: log it and keep watching.
                log.exception("Polling feed %r failed", feed.name)
                failures = 1
            await asyncio.sleep(next_wait(feed, failures))

    async def poll(self, feed: Feed) -> PollOutcome:
        """Fetch one feed now and store its new leads; never raises for the feed's own faults."""
        async with self._feed_locks.setdefault(feed.name, asyncio.Lock()):
            outcome = await self._poll(feed)
        self.outcomes.setdefault(feed.name, []).append(outcome)
        return outcome

    async def _poll(self, feed: Feed) -> PollOutcome:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None))
        state = await self.store.feed_state(feed.name)
        try:
            fetched = await fetch_feed(self._session, feed, state)
            found = [] if fetched.body is None else await self._leads(feed, fetched.body)
        except (FetchError, MalformedFeed) as error:
            async with self._writing:
                failures = await self.store.record_failure(feed.name, str(error), now=self.clock.now())
            log.warning(
                "Feed %r failed (%s); %d failure(s) in a row, next try in %g s",
                feed.name,
                error,
                failures,
                next_wait(feed, failures),
            )
            return PollOutcome(feed.name, error=str(error))
        async with self._writing:
            added = await self.store.add_leads(found, self.clock.now()) if found else []
            await self.store.record_success(
                feed.name, etag=fetched.etag, last_modified=fetched.last_modified, now=self.clock.now()
            )
        if added:
            log.info("Feed %r: %d new lead(s)", feed.name, len(added))
        return PollOutcome(feed.name, added=tuple(added), unchanged=fetched.body is None)

    async def _leads(self, feed: Feed, body: bytes) -> list[FoundLead]:
        if feed.format == "rss":
            leads = rss_leads(feed, body, today=korean_date(self.clock.now()))
        else:
            leads = cns_leads(feed, body, self.facility_names)
        if feed.since is not None:
            leads = [lead for lead in leads if lead.date >= feed.since]  # ISO days sort as text
        if feed.format == "rss":
            return leads
        known = await self.store.launch_days_in_record(lead.date for lead in leads)
        return [lead for lead in leads if lead.date not in known]
