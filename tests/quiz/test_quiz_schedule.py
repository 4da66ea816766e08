"""Daily-post scheduling with a fixed clock: parsing, DST changes, midnight edges and downtime."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.quiz.model.schedule import (
    MIN_OPEN_WINDOW,
    QuizSchedule,
    parse_post_time,
    parse_timezone,
    timezone_suggestions,
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def schedule(at: str, zone: str, close: str | None = None) -> QuizSchedule:
    return QuizSchedule(parse_post_time(at), zone, parse_post_time(close) if close else None)


# --- parsing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"), [("09:00", time(9)), ("9:05", time(9, 5)), (" 23:59 ", time(23, 59))]
)
def test_post_times_are_read_as_24_hour_clock_times(text: str, expected: time) -> None:
    assert parse_post_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "24:00", "12:60", "9am", "09.00", "", "0900", "-1:00"])
def test_bad_post_times_get_a_message_that_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time of day: use HH:MM on a 24-hour clock"):
        parse_post_time(text)


def test_time_zones_are_iana_names_matched_without_regard_to_case() -> None:
    assert parse_timezone("europe/london") == "Europe/London"
    assert parse_timezone(" Asia/Seoul ") == "Asia/Seoul"
    assert parse_timezone("UTC") == "UTC"


@pytest.mark.parametrize("text", ["Mars/Olympus", "", "Europe", "../etc/passwd", "GMT+25"])
def test_unknown_time_zones_get_a_message_with_examples(text: str) -> None:
    with pytest.raises(ValueError, match="is not a known time zone: use an IANA time zone name"):
        parse_timezone(text)


def test_a_schedule_keeps_the_canonical_zone_name() -> None:
    assert QuizSchedule(time(9), "asia/seoul").timezone == "Asia/Seoul"


def test_a_schedule_refuses_an_unknown_zone() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        QuizSchedule(time(9), "Mars/Olympus")


def test_time_zone_suggestions_put_prefix_matches_first() -> None:
    assert timezone_suggestions("seoul") == ["Asia/Seoul"]
    suggestions = timezone_suggestions("europe/lo")
    assert suggestions[0] == "Europe/London"
    assert len(timezone_suggestions("", limit=25)) == 25


# --- local times to UTC across daylight-saving changes --------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected_utc"),
    [
        # New York: EST (-5) until 10 March 2024, EDT (-4) until 3 November 2024.
        ("America/New_York", "2024-03-09", "09:00", "2024-03-09T14:00"),
        ("America/New_York", "2024-03-10", "09:00", "2024-03-10T13:00"),
        ("America/New_York", "2024-11-02", "09:00", "2024-11-02T13:00"),
        ("America/New_York", "2024-11-03", "09:00", "2024-11-03T14:00"),
        # London: GMT until 31 March 2024, BST (+1) until 27 October 2024.
        ("Europe/London", "2024-03-30", "09:00", "2024-03-30T09:00"),
        ("Europe/London", "2024-03-31", "09:00", "2024-03-31T08:00"),
        ("Europe/London", "2024-10-27", "09:00", "2024-10-27T09:00"),
        # Chatham: +12:45, and +13:45 in summer (from 29 September 2024, until 7 April 2024).
        ("Pacific/Chatham", "2024-09-28", "09:00", "2024-09-27T20:15"),
        ("Pacific/Chatham", "2024-09-29", "09:00", "2024-09-28T19:15"),
        ("Pacific/Chatham", "2024-04-06", "09:00", "2024-04-05T19:15"),
        ("Pacific/Chatham", "2024-04-07", "09:00", "2024-04-06T20:15"),
        # Seoul has no daylight saving time: always +9.
        ("Asia/Seoul", "2024-03-10", "09:00", "2024-03-10T00:00"),
        ("Asia/Seoul", "2024-11-03", "09:00", "2024-11-03T00:00"),
        # Midnight and the last minute of the day.
        ("Asia/Seoul", "2024-06-01", "00:00", "2024-05-31T15:00"),
        ("Asia/Seoul", "2024-06-01", "23:59", "2024-06-01T14:59"),
        ("America/New_York", "2024-06-01", "23:59", "2024-06-02T03:59"),
        ("Pacific/Chatham", "2024-06-01", "00:00", "2024-05-31T11:15"),
    ],
)
def test_the_post_is_at_the_same_local_time_on_both_sides_of_a_change(
    zone: str, day: str, at: str, expected_utc: str
) -> None:
    assert schedule(at, zone).post_at(date.fromisoformat(day)) == utc(expected_utc)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected_utc"),
    [
        # 02:30 does not exist on 10 March 2024 in New York: the first valid instant is 03:00 EDT.
        ("America/New_York", "2024-03-10", "02:30", "2024-03-10T07:00"),
        ("Europe/London", "2024-03-31", "01:30", "2024-03-31T01:00"),
        # Chatham jumps from 02:45 to 03:45 on 29 September 2024.
        ("Pacific/Chatham", "2024-09-29", "03:00", "2024-09-28T14:00"),
        ("Pacific/Chatham", "2024-09-29", "02:44", "2024-09-28T13:59"),
    ],
)
def test_a_time_skipped_by_spring_forward_moves_to_the_end_of_the_gap(
    zone: str, day: str, at: str, expected_utc: str
) -> None:
    assert schedule(at, zone).post_at(date.fromisoformat(day)) == utc(expected_utc)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected_utc"),
    [
        # 01:30 happens twice on 3 November 2024 in New York: the first is 01:30 EDT.
        ("America/New_York", "2024-11-03", "01:30", "2024-11-03T05:30"),
        ("Europe/London", "2024-10-27", "01:30", "2024-10-27T00:30"),
        # Chatham goes back from 03:45 to 02:45 on 7 April 2024: the first 03:00 is at +13:45.
        ("Pacific/Chatham", "2024-04-07", "03:00", "2024-04-06T13:15"),
    ],
)
def test_a_time_repeated_by_fall_back_means_its_first_occurrence(
    zone: str, day: str, at: str, expected_utc: str
) -> None:
    assert schedule(at, zone).post_at(date.fromisoformat(day)) == utc(expected_utc)


# --- due: exactly one post per local day ------------------------------------------------------------


def run_scheduler(
    plan: QuizSchedule,
    start: datetime,
    end: datetime,
    *,
    down: list[tuple[datetime, datetime]] | None = None,
) -> dict[date, datetime]:
    """Tick every minute from `start` (the local day of `start` already handled) to `end`, posting
    whenever `due` says so; `down` lists (from, to) outages. Returns {local date: UTC instant posted}."""
    posted: dict[date, datetime] = {}
    last: date | None = plan.local_date(start)
    now = start
    while now < end:
        if not any(a <= now < b for a, b in down or []):
            day = plan.due(now, last)
            if day is not None:
                assert day not in posted, f"posted twice for {day}"
                posted[day] = now
                last = day
        now += timedelta(minutes=1)
    return posted


@pytest.mark.parametrize(
    ("zone", "at", "start", "days"),
    [
        ("America/New_York", "09:00", "2024-03-08T00:00", 4),
        ("America/New_York", "01:30", "2024-11-01T00:00", 4),
        ("America/New_York", "02:30", "2024-03-08T00:00", 4),
        ("Europe/London", "00:00", "2024-10-25T00:00", 4),
        ("Europe/London", "23:59", "2024-03-29T00:00", 4),
        ("Pacific/Chatham", "03:00", "2024-09-26T00:00", 5),
        ("Pacific/Chatham", "03:00", "2024-04-04T00:00", 5),
        ("Asia/Seoul", "00:00", "2024-03-08T00:00", 4),
        ("Asia/Seoul", "23:59", "2024-03-08T00:00", 4),
    ],
)
def test_one_post_per_local_day_at_the_local_time_across_changes(
    zone: str, at: str, start: str, days: int
) -> None:
    plan = schedule(at, zone)
    begin = utc(start)
    posted = run_scheduler(plan, begin, begin + timedelta(days=days))
    first, last = plan.local_date(begin), plan.local_date(begin + timedelta(days=days))
    later_days = {first + timedelta(days=n) for n in range(1, (last - first).days + 1)}
    expected = {d for d in later_days if plan.post_at(d) < begin + timedelta(days=days)}
    assert len(expected) >= days - 1
    assert set(posted) == expected
    for day, instant in posted.items():
        assert instant == plan.post_at(day), day  # one-minute ticks land exactly on the post time
        assert plan.local_date(instant) == day


def test_after_downtime_the_post_is_late_the_same_day() -> None:
    plan = schedule("09:00", "Europe/London")
    outage = (utc("2024-06-03T07:00"), utc("2024-06-03T15:20"))
    posted = run_scheduler(plan, utc("2024-06-01T12:00"), utc("2024-06-05T00:00"), down=[outage])
    assert posted == {
        date(2024, 6, 2): utc("2024-06-02T08:00"),
        date(2024, 6, 3): utc("2024-06-03T15:20"),  # late, as soon as the bot is back
        date(2024, 6, 4): utc("2024-06-04T08:00"),
    }


def test_a_day_missed_entirely_is_never_posted_later() -> None:
    plan = schedule("09:00", "America/New_York")
    # Down from before Monday's post until Tuesday 06:00 local: Monday's question is never posted,
    # and Tuesday's comes at Tuesday's time.
    outage = (utc("2024-06-03T12:00"), utc("2024-06-04T10:00"))
    posted = run_scheduler(plan, utc("2024-06-02T00:00"), utc("2024-06-05T00:00"), down=[outage])
    assert sorted(posted) == [date(2024, 6, 2), date(2024, 6, 4)]
    assert posted[date(2024, 6, 4)] == utc("2024-06-04T13:00")


def test_after_downtime_past_the_next_post_time_only_today_is_posted() -> None:
    plan = schedule("09:00", "Asia/Seoul")
    last_handled = date(2024, 6, 2)
    now = utc("2024-06-04T05:00")  # 14:00 on 4 June in Seoul; 3 June was missed
    assert plan.due(now, last_handled) == date(2024, 6, 4)


def test_nothing_is_due_before_the_post_time_or_after_today_was_handled() -> None:
    plan = schedule("09:00", "Asia/Seoul")
    assert plan.due(utc("2024-06-03T23:59"), None) is None  # 08:59 on 4 June in Seoul
    assert plan.due(utc("2024-06-04T00:00"), None) == date(2024, 6, 4)
    assert plan.due(utc("2024-06-04T00:00"), date(2024, 6, 4)) is None


def test_a_post_at_midnight_belongs_to_the_new_local_day() -> None:
    plan = schedule("00:00", "Asia/Seoul")
    assert plan.due(utc("2024-06-03T14:59"), date(2024, 6, 3)) is None
    assert plan.due(utc("2024-06-03T15:00"), date(2024, 6, 3)) == date(2024, 6, 4)


def test_next_post_at_is_now_when_due_else_the_next_post_time() -> None:
    plan = schedule("09:00", "Europe/London")
    now = utc("2024-06-03T10:00")
    assert plan.next_post_at(now, date(2024, 6, 2)) == now
    assert plan.next_post_at(now, date(2024, 6, 3)) == utc("2024-06-04T08:00")
    assert plan.next_post_at(utc("2024-06-03T06:00"), date(2024, 6, 2)) == utc("2024-06-03T08:00")


# --- closing -------------------------------------------------------------------------------------


def test_a_question_closes_at_the_next_days_post_across_a_change() -> None:
    plan = schedule("09:00", "America/New_York")
    posted = plan.post_at(date(2024, 3, 9))
    assert plan.closes_at(date(2024, 3, 9), posted) == utc("2024-03-10T13:00")  # 23 hours later


def test_a_close_time_after_the_post_time_closes_the_same_day() -> None:
    plan = schedule("09:00", "Europe/London", close="21:00")
    day = date(2024, 6, 3)
    assert plan.closes_at(day, plan.post_at(day)) == utc("2024-06-03T20:00")


def test_a_close_time_before_the_post_time_closes_the_next_day() -> None:
    plan = schedule("18:00", "Europe/London", close="08:00")
    day = date(2024, 6, 3)
    assert plan.closes_at(day, plan.post_at(day)) == utc("2024-06-04T07:00")


def test_a_late_post_stays_open_at_least_the_minimum_window() -> None:
    plan = schedule("09:00", "Europe/London", close="12:00")
    day = date(2024, 6, 3)
    late = utc("2024-06-03T10:30")  # 11:30 local, 30 minutes before the close time
    assert plan.closes_at(day, late) == plan.post_at(day + timedelta(days=1))
    plan = schedule("00:00", "Asia/Seoul")
    very_late = utc("2024-06-04T14:30")  # 23:30 local: the next post is 30 minutes away
    assert plan.closes_at(date(2024, 6, 4), very_late) == very_late + MIN_OPEN_WINDOW


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule("09:00", "UTC").due(datetime(2024, 6, 3, 9), None)
