"""The fact model's rules: dates with a precision, typed figures, every problem reported at once."""

from __future__ import annotations

import pytest

from bot.facts.model.fact import FactDate, InvalidFact, display_date_range, parse_fact, valid_url
from tests.conftest import fact_record


@pytest.mark.parametrize(
    ("text", "display"),
    [
        ("2017-09-03", "3 September 2017"),
        ("2017-09", "September 2017"),
        ("2017", "2017"),
        ("2016-02-29", "29 February 2016"),
    ],
)
def test_dates_display_with_their_precision(text: str, display: str) -> None:
    date = FactDate.parse(text)
    assert date.display() == display
    assert date.iso() == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2017-02-30", "February 2017 has 28 days"),
        ("2017-13", "no month 13"),
        ("2017-9-3", "not a date"),
        ("", "not a date"),
        ("1850", "between 1900 and 2100"),
        ("2018-02-29", "has 28 days"),
        ("2017-04-31", "April 2017 has 30 days"),
    ],
)
def test_impossible_dates_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        FactDate.parse(text)


def test_date_ranges_show_both_ends() -> None:
    start, end = FactDate.parse("2005-07-26"), FactDate.parse("2005-09-19")
    assert display_date_range(start, end) == "26 July – 19 September 2005"
    assert (
        display_date_range(FactDate.parse("2019-02-27"), FactDate.parse("2019-02-28"))
        == "27–28 February 2019"
    )
    assert display_date_range(FactDate.parse("2006"), FactDate.parse("2007-02")) == "2006 – February 2007"


def test_every_problem_is_reported_at_once() -> None:
    record = fact_record(
        "Bad Id",
        kind="summit",
        date="2017-02-30",
        summary="",
        title="x" * 201,
        sources=[{"url": "javascript:alert(1)", "publisher": "P"}],
        figures={"participants": "US"},
    )
    with pytest.raises(InvalidFact) as caught:
        parse_fact(record)
    problems = "\n".join(caught.value.problems)
    for expected in (
        "id 'Bad Id'",
        "February 2017 has 28 days",
        "summary is missing",
        "title is 201",
        "not a well-formed http(s) URL",
        "figure 'participants' must be list of text",
    ):
        assert expected in problems


@pytest.mark.parametrize(
    ("kind", "figures", "problem"),
    [
        (
            "missile_launch",
            {"systems": ["X"], "system_classes": ["ICBM"], "missiles": 1, "outcome": "great"},
            "outcome must be one of",
        ),
        (
            "missile_launch",
            {"systems": ["X"], "system_classes": ["ABM"], "missiles": 1, "outcome": "success"},
            "unknown system class",
        ),
        (
            "nuclear_test",
            {"test_number": 1, "site": "P", "yield_kt_min": 10, "yield_kt_max": 2},
            "larger than",
        ),
        (
            "un_resolution",
            {"resolution_number": 1, "votes_for": 15, "votes_against": 1, "abstentions": 0},
            "15 members",
        ),
        ("unilateral", {"issuer": "mars"}, "issuer must be one of"),
        ("nuclear_test", {"test_number": "six", "site": "P"}, "must be integer"),
        ("summit", {"participants": ["US"], "colour": "red"}, "unknown figure 'colour'"),
        (
            "un_resolution",
            {"votes_for": 15, "votes_against": 0, "abstentions": 0},
            "'resolution_number' is required",
        ),
    ],
)
def test_figures_are_typed_per_kind(kind: str, figures: dict, problem: str) -> None:
    with pytest.raises(InvalidFact, match=problem):
        parse_fact(fact_record(kind=kind, figures=figures))


def test_end_date_cannot_precede_the_start() -> None:
    with pytest.raises(InvalidFact, match="before date"):
        parse_fact(fact_record(date="2018-06-12", end_date="2018-06-11"))
    assert parse_fact(fact_record(date="2018-06-12", end_date="2018-06")).end_date is not None


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://press.un.org/en/2017/sc12945.doc.htm", True),
        ("http://example.org", True),
        ("ftp://example.org/x", False),
        ("https://", False),
        ("https://exa mple.org", False),
        ("javascript:alert(1)", False),
        ("https://localhost/x", False),
    ],
)
def test_only_well_formed_http_urls_are_sources(url: str, ok: bool) -> None:
    assert valid_url(url) is ok
