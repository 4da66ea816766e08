"""When a server's daily question is due: pure functions of one UTC instant and the server's settings.

Everything is computed with zoneinfo from a single UTC "now", so daylight-saving changes need no
special casing by callers: a post at 09:00 local is at 09:00 local on both sides of a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

# A question stays open at least this long, even when posted late or just before its close time.
MIN_OPEN_WINDOW = timedelta(hours=1)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_TIME_HELP = "use HH:MM on a 24-hour clock, for example 09:00 or 18:30"
_ZONE_HELP = "use an IANA time zone name such as Europe/London, America/New_York or Asia/Seoul"


def parse_post_time(text: str) -> time:
    """`"09:00"` -> time(9, 0); a clear ValueError for "25:00", "9am" or "12:60"."""
    match = _TIME.match(text.strip())
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a time of day: {_TIME_HELP}.")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise ValueError(f"{text.strip()!r} is not a time of day: {_TIME_HELP}.")
    return time(hour, minute)


@cache
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_timezone(text: str) -> str:
    """The canonical IANA name for `text` (case-insensitive: "europe/london" -> "Europe/London");
    a clear ValueError for an unknown zone such as "Mars/Olympus"."""
    name = _zone_names().get(text.strip().casefold())
    if name is None:
        raise ValueError(f"{text.strip()!r} is not a known time zone: {_ZONE_HELP}.")
    return name


def timezone_suggestions(partial: str, limit: int = 25) -> list[str]:
    """Zone names containing `partial` (for autocomplete), prefix matches first."""
    needle = partial.strip().casefold().replace(" ", "_")
    names = sorted(_zone_names().items())
    prefix = [name for folded, name in names if folded.startswith(needle)]
    inside = [name for folded, name in names if needle in folded and not folded.startswith(needle)]
    return (prefix + inside)[:limit]


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock time `at` on `day` in `zone`.

    A time repeated when clocks go back means its first occurrence. A time skipped when clocks go
    forward means the first valid instant after the gap (02:30 on a spring-forward night in New York
    is 03:00 EDT), so a post is late by at most the gap, never early and never missed.
    """
    wall = datetime.combine(day, at)
    for _ in range(24 * 60):  # no real gap is longer than a day
        local = wall.replace(tzinfo=zone, fold=0)
        instant = local.astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == wall:
            return instant
        wall = wall.replace(second=0, microsecond=0) + timedelta(minutes=1)
    raise ValueError(f"{day} {at} does not exist in {zone.key}")


@dataclass(frozen=True)
class QuizSchedule:
    """A server's daily post time and time zone, and optionally a time at which answers close
    (otherwise a question closes when the next day's is posted)."""

    post_time: time
    timezone: str
    close_time: time | None = None

    def __post_init__(self) -> None:
        # Keep the canonical spelling: zone files are looked up case-sensitively on most systems.
        object.__setattr__(self, "timezone", parse_timezone(self.timezone))
        for value in (self.post_time, self.close_time):
            if value is not None and (value.tzinfo is not None or value.second or value.microsecond):
                raise ValueError("post and close times are whole minutes of local wall-clock time")

    @property
    def zone(self) -> ZoneInfo:
        """The server's time zone."""
        return ZoneInfo(self.timezone)

    def local_date(self, now: datetime) -> date:
        """The server's calendar date at the instant `now` (timezone-aware)."""
        return _aware(now).astimezone(self.zone).date()

    def post_at(self, local_date: date) -> datetime:
        """When the question for `local_date` is due, as an aware UTC datetime."""
        return local_to_utc(local_date, self.post_time, self.zone)

    def due(self, now: datetime, last_handled: date | None) -> date | None:
        """The local date to post for now, or None.

        Due when today's post time has passed and today has not been handled yet (posted, skipped or
        given up on). After downtime this gives a late post the same day; a past day is never due,
        because only today is ever returned.
        """
        today = self.local_date(now)
        if last_handled is not None and last_handled >= today:
            return None
        return today if _aware(now) >= self.post_at(today) else None

    def next_post_at(self, now: datetime, last_handled: date | None) -> datetime:
        """The next instant at which `due` can return a date (now, if it already does)."""
        today = self.local_date(now)
        if self.due(now, last_handled) is not None:
            return _aware(now)
        if (last_handled is None or last_handled < today) and self.post_at(today) > _aware(now):
            return self.post_at(today)
        return self.post_at(today + timedelta(days=1))

    def closes_at(self, local_date: date, posted_at: datetime) -> datetime:
        """When answers to the question for `local_date`, posted at `posted_at`, close: the close
        time (the same day if after the post time, else the next day) or else the next day's post,
        and never less than MIN_OPEN_WINDOW after posting."""
        posted_at = _aware(posted_at)
        next_post = self.post_at(local_date + timedelta(days=1))
        closing = next_post
        if self.close_time is not None:
            close_day = local_date if self.close_time > self.post_time else local_date + timedelta(days=1)
            at_close_time = local_to_utc(close_day, self.close_time, self.zone)
            if at_close_time >= posted_at + MIN_OPEN_WINDOW:
                closing = at_close_time
        return max(closing, posted_at + MIN_OPEN_WINDOW)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware (UTC)")
    return moment.astimezone(UTC)
