"""Per-member cooldowns for actions that are not slash commands (buttons, forms).

Slash commands use `app_commands.checks.cooldown`; a button that opens a form needs the same limit
checked twice: before the form opens (so nobody types for nothing) and when it is submitted.
"""

from __future__ import annotations

import time

from discord import app_commands

from bot.errors import UserFacingError


class SlowDown(UserFacingError):
    """The member did this too often; the message says when to try again."""


class MemberCooldown:
    """At most `rate` uses per `per` seconds for each (server, member)."""

    def __init__(self, rate: int, per: float, what: str) -> None:
        self.rate, self.per, self.what = rate, per, what
        self._buckets: dict[tuple[int | None, int], app_commands.Cooldown] = {}

    def _bucket(self, key: tuple[int | None, int]) -> app_commands.Cooldown:
        return self._buckets.setdefault(key, app_commands.Cooldown(self.rate, self.per))

    def check(self, key: tuple[int | None, int]) -> None:
        """Raise SlowDown if the member has no use left, without using one."""
        if self._bucket(key).get_tokens(time.time()) == 0:
            self._refuse(self._bucket(key).get_retry_after())

    def use(self, key: tuple[int | None, int]) -> None:
        """Use one, or raise SlowDown."""
        retry_after = self._bucket(key).update_rate_limit(time.time())
        if retry_after:
            self._refuse(retry_after)

    def _refuse(self, retry_after: float) -> None:
        minutes = retry_after / 60
        wait = f"{minutes:.0f} minutes" if minutes >= 2 else f"{max(1, round(retry_after))} seconds"
        raise SlowDown(
            f"Thank you for the enthusiasm! You can send {self.rate} {self.what} every "
            f"{self.per / 60:.0f} minutes; please try again in {wait}."
        )
