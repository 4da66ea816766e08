"""Posting alerts: each tick plans the outbox into deliveries (one per subscription and batch), then
claims each delivery before sending it, so a restart, a crash or a second tick posts it exactly once.

Time comes only from the bot's clock, so tests drive leases without sleeping.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.alerts.model import Delivery, FactEvent, Subscription, relevant
from bot.alerts.render import alert_message, footer_marker, thread_name
from bot.alerts.store import PAUSE_AFTER_FAILURES
from bot.alerts.ui import alert_view

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

log = logging.getLogger(__name__)

# Sends in flight at once: discord.py waits out Discord's rate limits per route (and the global one),
# so this only caps how many requests queue up, without posting to servers one by one (as the quiz).
CONCURRENT_SENDS = 25
DELIVERIES_PER_TICK = 1000
# How far back a retried delivery looks for the alert it may already have sent before a crash.
RECENT_MESSAGES = 50


class ChannelGone(LookupError):
    """The subscribed channel is not one the bot can see any more (deleted, or the bot was removed)."""


@dataclass(frozen=True)
class DeliveryOutcome:
    delivery_id: int
    sent: bool
    error: str = ""


class AlertPoster:
    """Plans and posts alerts. `tick()` is safe to run concurrently and often."""

    def __init__(self, bot: DPRKWatch):
        self.bot = bot
        self._limit = asyncio.Semaphore(CONCURRENT_SENDS)

    async def tick(self) -> list[DeliveryOutcome]:
        now = self.bot.clock.now()
        store = self.bot.alert_store
        await store.plan(now)
        # Only the servers of this process's shards: another process posts to the others.
        due = await store.due_deliveries(now, limit=DELIVERIES_PER_TICK, shards=self.bot.shard_plan)
        results = await asyncio.gather(*(self._deliver_limited(d, now) for d in due), return_exceptions=True)
        outcomes = []
        for delivery_id, result in zip(due, results, strict=True):
            if isinstance(result, Exception):
                # One subscription's trouble must not hold up the others; its claim lapses and is retried.
                log.error("Alert delivery %s failed", delivery_id, exc_info=result)
            elif isinstance(result, BaseException):
                raise result  # cancelled: the bot is closing
            elif result is not None:
                outcomes.append(result)
        return outcomes

    async def _deliver_limited(self, delivery_id: int, now: datetime) -> DeliveryOutcome | None:
        async with self._limit:
            return await self.deliver(delivery_id, now)

    async def deliver(self, delivery_id: int, now: datetime) -> DeliveryOutcome | None:
        """Post one delivery unless someone else has (or is doing so); None if it was not ours."""
        store = self.bot.alert_store
        delivery = await store.claim(delivery_id, now)
        if delivery is None:
            return None
        subscription = delivery.subscription
        events = relevant(
            await store.batch_events(delivery.batch), subscription.only, subscription.since_event
        )
        if not events:
            await store.mark_skipped(delivery.id)
            return DeliveryOutcome(delivery.id, False, "nothing to announce")
        try:
            message = await self._send(delivery, events)
        except (discord.Forbidden, discord.NotFound, ChannelGone) as error:
            return await self._failed(delivery, _describe(error), now, permanent=True)
        except discord.HTTPException as error:
            return await self._failed(delivery, _describe(error), now, permanent=False)
        await store.mark_sent(delivery.id, message.id, now)
        return DeliveryOutcome(delivery.id, True)

    async def _send(self, delivery: Delivery, events: list[FactEvent]) -> discord.Message:
        subscription = delivery.subscription
        channel = self.bot.get_channel(subscription.channel_id)
        if isinstance(channel, discord.ForumChannel):
            return await self._post_in_forum(channel, delivery, events)
        if not isinstance(channel, discord.TextChannel):
            raise ChannelGone(f"the channel {subscription.channel_id} is gone")
        existing = (
            await self._already_sent(_recent_messages(channel), delivery) if delivery.attempts > 1 else None
        )
        if existing is not None:
            return existing
        message = await channel.send(
            content=f"<@&{subscription.role_id}>" if subscription.role_id else None,
            embed=alert_message(events, delivery.id),
            allowed_mentions=_mentions(subscription),
            view=alert_view(events),
        )
        if subscription.thread:
            try:
                await message.create_thread(name=thread_name(events))
            except discord.HTTPException as error:
                # The alert itself is out: a missing thread is logged, not a failed delivery.
                log.warning("Could not open a thread under alert %s: %s", delivery.id, error)
        return message

    async def _post_in_forum(
        self, forum: discord.ForumChannel, delivery: Delivery, events: list[FactEvent]
    ) -> discord.Message:
        """A forum gets a post per alert: a thread named after the change, the alert its first message."""
        if delivery.attempts > 1:
            existing = await self._already_sent(self._our_forum_posts(forum), delivery)
            if existing is not None:
                return existing
        subscription = delivery.subscription
        posted = await forum.create_thread(
            name=thread_name(events),
            content=f"<@&{subscription.role_id}>" if subscription.role_id else None,
            embed=alert_message(events, delivery.id),
            allowed_mentions=_mentions(subscription),
            view=alert_view(events),
            applied_tags=_required_tag(forum),
        )
        return posted.message

    async def _our_forum_posts(self, forum: discord.ForumChannel) -> AsyncIterator[discord.Message]:
        """The first messages of the bot's newest posts in `forum` (a post's first message has its id)."""
        assert self.bot.user is not None
        ours = sorted((t for t in forum.threads if t.owner_id == self.bot.user.id), key=lambda t: -t.id)
        for thread in ours[:RECENT_MESSAGES]:
            try:
                yield await thread.fetch_message(thread.id)
            except discord.NotFound:
                continue

    async def _already_sent(
        self, candidates: AsyncIterator[discord.Message], delivery: Delivery
    ) -> discord.Message | None:
        """After a crash between sending and recording, find the alert we sent (its footer carries the
        delivery id) instead of sending a second one."""
        marker = footer_marker(delivery.id)
        try:
            async for message in candidates:
                if message.author == self.bot.user and any(
                    (embed.footer.text or "").startswith(marker)
                    and (embed.footer.text or "")[len(marker) :][:1] in ("", " ")
                    for embed in message.embeds
                ):
                    return message
        except discord.Forbidden:
            log.warning("Cannot read back the channel of alert %s to see if it was sent", delivery.id)
        return None

    async def _failed(
        self, delivery: Delivery, error: str, now: datetime, *, permanent: bool
    ) -> DeliveryOutcome:
        subscription = delivery.subscription
        log.warning(
            "Alert %s to channel %s failed (attempt %d): %s",
            delivery.id,
            subscription.channel_id,
            delivery.attempts,
            error,
        )
        outcome = await self.bot.alert_store.mark_failed(delivery.id, error, now, permanent=permanent)
        if outcome is not None and outcome.report:
            await self._report(subscription, error)
        if outcome is not None and outcome.paused:
            log.warning(
                "Alerts to channel %s paused after %d failures", subscription.channel_id, outcome.failures
            )
        return DeliveryOutcome(delivery.id, False, error)

    async def _report(self, subscription: Subscription, error: str) -> None:
        """Tell the server's moderators once (the first failure in a row), in its audit channel if set."""
        settings = await self.bot.moderation_store.guild_settings(subscription.guild_id)
        audit = self.bot.get_channel(settings.audit_channel_id) if settings.audit_channel_id else None
        if not isinstance(audit, discord.abc.Messageable):
            log.info("Server %s has no audit channel to report a failed alert in", subscription.guild_id)
            return
        try:
            await audit.send(
                f"⚠️ Alerts could not be posted in <#{subscription.channel_id}>: {error}. "
                f"After {PAUSE_AFTER_FAILURES} failed alerts in a row they pause until someone runs "
                "`/alerts subscribe` again for that channel. `/alerts list` shows their state.",
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as failure:
            log.warning("Could not report a failed alert in server %s: %s", subscription.guild_id, failure)


def _recent_messages(channel: discord.TextChannel) -> AsyncIterator[discord.Message]:
    return channel.history(limit=RECENT_MESSAGES)


def _required_tag(forum: discord.ForumChannel) -> list[discord.ForumTag]:
    """A forum that requires a tag on every post gets one: a tag named "alert(s)" if there is one."""
    if not forum.flags.require_tag or not forum.available_tags:
        return []
    named = [t for t in forum.available_tags if t.name.casefold() in ("alert", "alerts")]
    return (named or [t for t in forum.available_tags if not t.moderated] or list(forum.available_tags))[:1]


def _mentions(subscription: Subscription) -> discord.AllowedMentions:
    """Only the subscription's role may be pinged, and only when it has one; never @everyone or users."""
    roles = [discord.Object(subscription.role_id)] if subscription.role_id else False
    return discord.AllowedMentions(everyone=False, users=False, roles=roles, replied_user=False)


def _describe(error: Exception) -> str:
    if isinstance(error, discord.Forbidden):
        return "I am missing a permission there (View Channel, Send Messages or Embed Links)"
    if isinstance(error, discord.NotFound | ChannelGone):
        return "the channel no longer exists or I cannot see it"
    if isinstance(error, discord.HTTPException):
        return f"Discord answered {error.status} ({error.text or 'no details'})"
    return str(error)
