"""Daily posts: one UTC tick decides, for every server, whether today's question is due, claims the
server-and-day row before sending (so a restart never double-posts), reveals closed questions, and
posts the weekly recap, claimed the same way (one per server and week).

Time comes only from the bot's clock, so tests drive the schedule without sleeping.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

import discord

from bot.db.database import StoreError
from bot.facts import render
from bot.facts.model.days import day_key
from bot.quiz.model import Question
from bot.quiz.model.on_this_day import on_this_day_for
from bot.quiz.planner import daily_choice
from bot.quiz.render import question_embed, recap_embed, reveal_embed
from bot.quiz.store import OnThisDay, QuizPost, QuizSettings, WeeklyRecap
from bot.quiz.ui import answer_view

if TYPE_CHECKING:
    from bot.app.client import DPRKWatch

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

# Sends in flight at once: discord.py waits out Discord's rate limits per route, so this only caps
# how many requests queue up, without posting to servers one by one.
CONCURRENT_POSTS = 25
# Reveals left over (e.g. after downtime) are picked up by the next tick.
REVEALS_PER_TICK = 1000
# The answer count on an open post is edited at most this often (never once per answer).
COUNT_EVERY = timedelta(seconds=10)
THREAD_NAME_LIMIT = 100


@dataclass(frozen=True)
class PostOutcome:
    guild_id: int
    post: QuizPost | None
    error: str = ""


class DailyPoster:
    """Posts due questions and reveals closed ones. `tick()` is safe to run concurrently and often."""

    def __init__(self, bot: DPRKWatch):
        self.bot = bot
        self._limit = asyncio.Semaphore(CONCURRENT_POSTS)
        # One message edit at a time per post: a count edit never lands after (and undoes) the reveal.
        self._editing: dict[int, asyncio.Lock] = {}

    async def tick(self) -> list[PostOutcome]:
        # Only the servers of this process's shards: another process posts to the others.
        shards = self.bot.shard_plan
        scheduled = await self.bot.quiz_store.scheduled_guilds(shards=shards)
        # The time is read after the settings: a server set up while they were being read is judged by
        # the time it was set up at, never by an earlier moment (which could be its previous local day).
        now = self.bot.clock.now()
        due = [(g.settings, day) for g in scheduled if (day := g.due(now))]
        outcomes = await _each(
            due, lambda d: self._post_limited(d[0], d[1], now), "Quiz post for server %s failed",
            lambda d: d[0].guild_id,
        )  # fmt: skip
        counts = await self.bot.quiz_store.posts_with_new_answers(now, COUNT_EVERY, shards=shards)
        await _each(
            counts, lambda c: self._count_limited(c[0], c[1], now), "Answer count of quiz post %s not updated",
            lambda c: c[0].id, level=logging.WARNING,
        )  # fmt: skip
        reveals = await self.bot.quiz_store.posts_due_for_reveal(now, limit=REVEALS_PER_TICK, shards=shards)
        await _each(
            reveals, lambda post: self._reveal_limited(post, now), "Quiz reveal of post %s failed",
            lambda post: post.id,
        )  # fmt: skip
        # After the reveals: a recap never shows the answer of a question before its post does.
        recaps = [(g.settings, day) for g in scheduled if (day := g.recap_due(now))]
        await _each(
            recaps, lambda r: self._recap_limited(r[0], r[1], now), "Quiz recap for server %s failed",
            lambda r: r[0].guild_id,
        )  # fmt: skip
        return outcomes

    async def _reveal_limited(self, post: QuizPost, now: datetime) -> None:
        async with self._limit, self._edit_lock(post.id):
            await self.reveal(post, now)

    async def _count_limited(self, post: QuizPost, answered: int, now: datetime) -> None:
        async with self._limit, self._edit_lock(post.id):
            await self.show_count(post.id, answered, now)

    def _edit_lock(self, post_id: int) -> asyncio.Lock:
        if len(self._editing) > 4 * REVEALS_PER_TICK:
            self._editing = {k: v for k, v in self._editing.items() if v.locked()}
        return self._editing.setdefault(post_id, asyncio.Lock())

    async def show_count(self, post_id: int, answered: int, now: datetime) -> None:
        """Write how many members have answered on the open post (the question itself unchanged)."""
        post = await self.bot.quiz_store.post(post_id)  # read again: it may have been revealed meanwhile
        if (
            post is None
            or not post.is_open(now)
            or post.question is None
            or post.channel_id is None
            or post.message_id is None
        ):
            return
        message = self._message_of(post.channel_id, post.guild_id, post.message_id)
        try:
            await message.edit(
                embed=question_embed(
                    post.question, post.local_date, post.closes_at, answered, on_this_day=post.on_this_day
                ),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.NotFound:
            log.info("Quiz post %s was deleted while open", post.id)
        except discord.Forbidden as error:
            log.info("Cannot show the answer count on quiz post %s: %s", post.id, error)
        # Recorded even after a refusal, so a lost permission costs one request per 10 seconds at most.
        await self.bot.quiz_store.mark_count_shown(post.id, answered, now)

    async def _recap_limited(self, settings: QuizSettings, day: date, now: datetime) -> None:
        async with self._limit:
            await self.post_recap(settings, day, now)

    async def _post_limited(self, settings: QuizSettings, day: date, now: datetime) -> PostOutcome:
        async with self._limit:
            return await self.post_today(settings, day, now)

    async def post_today(self, settings: QuizSettings, day: date, now: datetime) -> PostOutcome:
        """Post the day's question unless another process or tick already has (or did)."""
        quiz = self.bot.quiz_store
        choice = await daily_choice(await self.bot.question_bank.questions(), quiz, settings.guild_id, day)
        if choice is None:
            return PostOutcome(settings.guild_id, None, "no questions")
        post = await quiz.claim_post(settings.guild_id, day, choice, settings.channel_id, now)
        if post is None:
            return PostOutcome(settings.guild_id, None, "already handled")
        assert post.question is not None
        closes_at = settings.schedule.closes_at(day, now)
        line = await self._on_this_day(post.question, day) if settings.on_this_day else None
        if line != post.on_this_day:
            await quiz.set_on_this_day(post.id, line)
        channel = self.bot.get_channel(settings.channel_id)
        try:
            if not isinstance(channel, discord.abc.Messageable):
                raise LookupError(f"channel {settings.channel_id} is gone")
            marker = f"quiz:daily:{post.id}:"
            existing = (
                await self._already_sent(channel, post.id, lambda m: _has_custom_id(m, marker))
                if post.attempts > 1
                else None
            )
            role = settings.role_id
            message = existing or await channel.send(
                content=f"<@&{role}>" if role else None,
                embed=question_embed(post.question, day, closes_at, on_this_day=line),
                view=answer_view("daily", post.id, post.question.options),
                # The opt-in role and nothing else: never @everyone, other roles or members.
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, users=False, roles=[discord.Object(role)] if role else False
                ),
            )
        except (discord.HTTPException, LookupError) as error:
            log.warning(
                "Quiz post for server %s failed (attempt %d): %s", settings.guild_id, post.attempts, error
            )
            return PostOutcome(
                settings.guild_id, await quiz.mark_failed(post.id, str(error), now), str(error)
            )
        await quiz.mark_posted(post.id, message.id, now, closes_at)
        return PostOutcome(settings.guild_id, await quiz.post(post.id))

    async def _on_this_day(self, question: Question, day: date) -> OnThisDay | None:
        """An event of the post's date in a past year that gives nothing of the question away."""
        try:
            events = await self.bot.fact_store.facts_on_days([day_key(day.month, day.day)])
        except StoreError as error:
            # The line is a garnish: a busy store costs the line, never the day's question.
            log.warning("No 'on this day' line for %s: %s", day, error)
            return None
        return on_this_day_for(question, events, day)

    async def _already_sent(
        self, channel: discord.abc.Messageable, what: object, is_it: Callable[[discord.Message], bool]
    ) -> discord.Message | None:
        """After a crash between sending and recording, find the message we sent (`is_it` knows it:
        a post's buttons carry its id, a recap's title names its week) instead of sending a second one."""
        try:
            async for message in channel.history(limit=50):
                if message.author == self.bot.user and is_it(message):
                    return message
        except discord.Forbidden:
            # Read Message History was taken away after setup: a rare second message beats none.
            log.warning(
                "Cannot read the history of channel %s to look for %s", getattr(channel, "id", "?"), what
            )
        return None

    async def post_recap(self, settings: QuizSettings, day: date, now: datetime) -> WeeklyRecap | None:
        """Post the server's weekly recap unless another process or tick already has (or did), claimed
        in the store exactly as a daily post is. Returns the recap as it stands after this attempt."""
        quiz = self.bot.quiz_store
        recap = await quiz.claim_recap(settings.guild_id, day, settings.channel_id, now)
        if recap is None:
            return None
        summary = await quiz.recap_summary(settings.guild_id, recap.first_day, recap.last_day, now)
        embed = recap_embed(summary)
        channel = self.bot.get_channel(settings.channel_id)
        try:
            if not isinstance(channel, discord.abc.Messageable):
                raise LookupError(f"channel {settings.channel_id} is gone")
            title = embed.title
            existing = (
                await self._already_sent(
                    channel, f"recap {recap.id}", lambda m: any(e.title == title for e in m.embeds)
                )
                if recap.attempts > 1
                else None
            )
            # Members are named in the embed, which pings nobody; and nothing else may ping either.
            message = existing or await channel.send(
                embed=embed, allowed_mentions=discord.AllowedMentions.none()
            )
        except (discord.HTTPException, LookupError) as error:
            log.warning(
                "Quiz recap for server %s failed (attempt %d): %s", settings.guild_id, recap.attempts, error
            )
            await quiz.mark_recap_failed(recap.id, str(error), now)
        else:
            await quiz.mark_recap_posted(recap.id, message.id, now)
        return await quiz.recap_for_week(settings.guild_id, day)

    def _message_of(self, channel_id: int, guild_id: int, message_id: int) -> discord.PartialMessage:
        """The post's message. A partial message needs no cached channel: a server briefly unavailable
        still gets its edits and its reveal."""
        return self.bot.get_partial_messageable(channel_id, guild_id=guild_id).get_partial_message(message_id)

    async def reveal(self, post: QuizPost, now: datetime) -> None:
        """Edit the post to show the answer, the share of each option and the fastest correct answers."""
        summary = await self.bot.quiz_store.reveal_summary(post.id)
        if summary is None or post.question is None or post.channel_id is None or post.message_id is None:
            return
        message = self._message_of(post.channel_id, post.guild_id, post.message_id)
        try:
            await message.edit(
                embed=reveal_embed(summary),
                view=answer_view(
                    "daily",
                    post.id,
                    post.question.options,
                    disabled=True,
                    correct_index=post.question.correct_index,
                ),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.NotFound:
            log.info("Quiz post %s was deleted before its reveal", post.id)
        except discord.Forbidden as error:
            log.warning("Cannot reveal quiz post %s any more (%s); giving up on it", post.id, error)
        except discord.HTTPException as error:
            log.warning("Could not reveal quiz post %s: %s; will retry", post.id, error)
            return
        else:
            await self._open_thread(post, message)
        await self.bot.quiz_store.mark_revealed(post.id, now)

    async def _open_thread(self, post: QuizPost, message: discord.PartialMessage) -> None:
        """Open the discussion thread under a revealed post, if the server wants one (once: a retried
        reveal finds the thread recorded, or Discord refuses a second thread on the message)."""
        settings = await self.bot.quiz_store.settings(post.guild_id)
        if (
            settings is None
            or not settings.open_thread
            or post.thread_id is not None
            or post.question is None
        ):
            return
        name = render.clip(
            f"Quiz {post.local_date.day} {post.local_date:%B}: {post.question.prompt}", THREAD_NAME_LIMIT
        )
        try:
            thread = await message.create_thread(name=name)
        except discord.HTTPException as error:
            log.warning("Could not open the thread for quiz post %s: %s", post.id, error)
            return
        await self.bot.quiz_store.set_thread(post.id, thread.id)


def _has_custom_id(message: discord.Message, prefix: str) -> bool:
    return any(
        getattr(child, "custom_id", "") and child.custom_id.startswith(prefix)
        for row in message.components
        for child in getattr(row, "children", [])
    )


async def _each(
    items: Sequence[T],
    run: Callable[[T], Awaitable[R]],
    failure: str,
    subject: Callable[[T], object],
    *,
    level: int = logging.ERROR,
) -> list[R]:
    """Run `run` on every item at once. One server's failure (a busy store, an unexpected error) must not
    hold up the others: it is logged (`failure` % its subject) and tried again at a later tick. Only a
    cancellation (the bot closing) stops the tick."""
    results = await asyncio.gather(*(run(item) for item in items), return_exceptions=True)
    done = []
    for item, result in zip(items, results, strict=True):
        if isinstance(result, Exception):
            log.log(level, failure, subject(item), exc_info=result)
        elif isinstance(result, BaseException):
            raise result
        else:
            done.append(result)
    return done
