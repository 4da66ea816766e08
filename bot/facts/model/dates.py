"""Dates as the record knows them: to a day, a month or a year, each shown at its own precision."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date as Date
from enum import StrEnum
from typing import Any

_DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


# English month names, whatever the machine's locale (calendar.month_name follows the locale, and is
# slow: it formats a date on every lookup).
MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, order=True)
class FactDate:
    """A calendar date known to a day, a month or a year."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> FactDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError for anything else or a day that
        does not exist (2017-02-30)."""
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
        return _parse_date(text)

    @property
    def precision(self) -> DatePrecision:
        if self.day is not None:
            return DatePrecision.DAY
        return DatePrecision.MONTH if self.month is not None else DatePrecision.YEAR

    def iso(self) -> str:
        """The form it was written in: `2017`, `2017-09` or `2017-09-03`."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """Honour the precision: `3 September 2017`, `September 2017` or `2017`."""
        if self.month is None:
            return str(self.year)
        month = MONTH_NAMES[self.month]
        return f"{month} {self.year}" if self.day is None else f"{self.day} {month} {self.year}"

    def __str__(self) -> str:
        return self.iso()


@functools.lru_cache(maxsize=4096)
def _parse_date(text: str) -> FactDate:
    """FactDate.parse, remembered: the store turns the same few thousand date strings into dates again
    and again (FactDate is immutable, so sharing one is safe; errors are not remembered)."""
    match = _DATE_PATTERN.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if not 1900 <= year <= 2100:
        raise ValueError(f"{text!r}: the year must be between 1900 and 2100")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text!r}: there is no month {month}")
    if day is not None:
        assert month is not None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"{text!r}: {MONTH_NAMES[month]} {year} has {last} days")
    return FactDate(year, month, day)


def display_date_range(start: FactDate, end: FactDate | None) -> str:
    """`3 September 2017`, or both ends of a range: `26 August – 19 September 2005`."""
    if end is None or end == start:
        return start.display()
    if start.precision == end.precision == DatePrecision.DAY and start.year == end.year:
        if start.month == end.month:
            return f"{start.day}–{end.display()}"
        return f"{start.day} {MONTH_NAMES[start.month or 1]} – {end.display()}"
    return f"{start.display()} – {end.display()}"


def parse_checked(value: Any, today: Date | None = None) -> FactDate:
    """A `checked` value: `YYYY-MM` or `YYYY-MM-DD`, an existing date, and (given `today`) not after it.
    Raise ValueError saying what is wrong."""
    checked = FactDate.parse(value if isinstance(value, str) else repr(value))
    if checked.month is None:
        raise ValueError(f"{value!r} is not a month or a day in the form YYYY-MM or YYYY-MM-DD")
    if today is not None and checked.iso() > today.isoformat()[: len(checked.iso())]:
        raise ValueError(f"{value!r} is in the future (today is {today.isoformat()})")
    return checked


def month_of(day: Date) -> FactDate:
    """The month a day falls in, as a `checked` value."""
    return FactDate(day.year, day.month)
