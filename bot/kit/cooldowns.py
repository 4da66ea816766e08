"""Per-member cooldowns: for slash commands (`member_cooldown`) and for buttons and forms.

discord.py's `app_commands.checks.cooldown` looks at every member's bucket on every use to forget the
expired ones, which costs more than a whole /search once a thousand members have used it recently. Here
expired buckets are forgotten at most once per window, so a use costs the same however many members
there are. A button that opens a form checks the limit twice: before the form opens (so nobody types
for nothing) and when it is submitted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import discord
from discord import app_commands

from bot.core.errors import UserFacingError
from bot.i18n import N_, _, ngettext

T = TypeVar("T")
MemberKey = tuple[int | None, int]


class SlowDown(UserFacingError):
    """The member did this too often; the message says when to try again."""


class MemberCooldown:
    """At most `rate` uses per `per` seconds for each (server, member). `what` names the uses in the
    refusal, as a plural noun marked for translation (`N_("suggestions")`)."""

    def __init__(self, rate: int, per: float, what: str, clock: Callable[[], float] = time.time) -> None:
        self.rate, self.per, self.what = rate, per, what
        self._clock = clock
        self._buckets: dict[MemberKey, app_commands.Cooldown] = {}
        self._next_sweep = 0.0

    def __len__(self) -> int:
        """Members with a use inside the current window (and some whose window just ended)."""
        return len(self._buckets)

    def _bucket(self, key: MemberKey, now: float) -> app_commands.Cooldown:
        if now >= self._next_sweep:
            # A bucket with every use back is the same as no bucket: forget it.
            self._buckets = {k: b for k, b in self._buckets.items() if b.get_tokens(now) < self.rate}
            self._next_sweep = now + self.per
        return self._buckets.setdefault(key, app_commands.Cooldown(self.rate, self.per))

    def check(self, key: MemberKey) -> None:
        """Raise SlowDown if the member has no use left, without using one."""
        now = self._clock()
        bucket = self._bucket(key, now)
        if bucket.get_tokens(now) == 0:
            self._refuse(bucket.get_retry_after(now))

    def take(self, key: MemberKey) -> float:
        """Use one and return 0, or return the seconds until one is back (using nothing)."""
        now = self._clock()
        return self._bucket(key, now).update_rate_limit(now) or 0.0

    def use(self, key: MemberKey) -> None:
        """Use one, or raise SlowDown."""
        if retry_after := self.take(key):
            self._refuse(retry_after)

    def _refuse(self, retry_after: float) -> None:
        minutes = retry_after / 60
        seconds = max(1, round(retry_after))
        wait = (
            _("{minutes} minutes").format(minutes=f"{minutes:.0f}")
            if minutes >= 2
            else ngettext("{seconds} second", "{seconds} seconds", seconds).format(seconds=seconds)
        )
        raise SlowDown(
            _(
                "Thank you for the enthusiasm! You can send {rate} {what} every {minutes} minutes; "
                "please try again in {wait}."
            ).format(rate=self.rate, what=_(self.what), minutes=f"{self.per / 60:.0f}", wait=wait)
        )


def member_cooldown_check(rate: int, per: float) -> Callable[[discord.Interaction], bool]:
    """The check behind `member_cooldown`, for commands built at run time (context menus). A member
    outside any server (a DM, a group DM, a user install) has one bucket of their own (server None)."""
    limiter = MemberCooldown(rate, per, what=N_("uses"))

    def within_limit(interaction: discord.Interaction) -> bool:
        if retry_after := limiter.take((interaction.guild_id, interaction.user.id)):
            raise app_commands.CommandOnCooldown(app_commands.Cooldown(rate, per), retry_after)
        return True

    return within_limit


def member_cooldown(rate: int, per: float) -> Callable[[T], T]:
    """A slash command check: at most `rate` uses per `per` seconds for each member of each server.
    Refusals raise CommandOnCooldown, as discord.py's own cooldown check does."""
    return app_commands.check(member_cooldown_check(rate, per))
