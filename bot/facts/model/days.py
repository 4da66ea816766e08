"""Days of the year, as /onthisday reads and searches them."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_NUMERIC = re.compile(r"^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(?:(\d{1,2})\s+([a-z]+)|([a-z]+)\s+(\d{1,2}))$")
LEAP_YEAR = 2024  # 29 February is a day of the year too


def parse_day(text: str) -> tuple[int, int]:
    """(month, day) from `12-07`, `2017-09-03`, `3 September` or `Sep 3`. Raises ValueError with advice."""
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    month = day = None
    if numeric := _NUMERIC.match(cleaned):
        month, day = int(numeric[2]), int(numeric[3])
    elif words := _WORDS.match(cleaned):
        name = words[2] or words[3]
        month, day = MONTHS.get(name), int(words[1] or words[4])
    if month is None or day is None:
        raise ValueError(f"{text!r} is not a day: write it like `09-03`, `2017-09-03` or `3 September`")
    try:
        date(LEAP_YEAR, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a day of the year") from None
    return month, day


def day_key(month: int, day: int) -> str:
    return f"{month:02d}-{day:02d}"


def nearby_days(month: int, day: int, spread: int = 3) -> list[str]:
    """The days around (month, day), the day itself excluded, nearest first."""
    centre = date(LEAP_YEAR, month, day)
    offsets = [o for step in range(1, spread + 1) for o in (-step, step)]
    return [day_key(d.month, d.day) for d in (centre + timedelta(days=o) for o in offsets)]


def day_text(month: int, day: int) -> str:
    return f"{day} {calendar.month_name[month]}"
