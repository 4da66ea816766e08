"""The weekly recap's calendar: which week a recap belongs to, the days it covers, and when it is due.

Pure functions of the server's schedule and one UTC instant, like the daily post's (`schedule.py`).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from bot.quiz.model.schedule import QuizSchedule

WEEKDAYS = tuple(name.lower() for name in calendar.day_name)  # monday … sunday, as date.weekday()
RECAP_DAYS = 7  # a recap covers the seven local dates before the day it is posted


def week_of(day: date) -> date:
    """The Monday of `day`'s week: a server gets at most one recap per such week, even if it changes
    its recap day in the middle of one."""
    return day - timedelta(days=day.weekday())


def recap_window(recap_date: date) -> tuple[date, date]:
    """The first and last local dates a recap posted on `recap_date` covers."""
    return recap_date - timedelta(days=RECAP_DAYS), recap_date - timedelta(days=1)


def recap_due(
    schedule: QuizSchedule, recap_day: int | None, now: datetime, last_week: date | None
) -> date | None:
    """The local date to post a recap for now, or None: on the server's recap day, from its post time,
    unless this week's recap was already handled. Like the daily post, a recap missed all day (the bot
    was down) is not posted late on another day."""
    if recap_day is None:
        return None
    today = schedule.local_date(now)
    if today.weekday() != recap_day or (last_week is not None and last_week >= week_of(today)):
        return None
    return today if now >= schedule.post_at(today) else None
