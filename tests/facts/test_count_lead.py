"""A counted answer's first line says what was counted: "34 launch days in 2022", never a number that
reads as the record's total ("34 launch days in the record") when the question narrowed it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.facts import render
from bot.facts.model.replies import CountScope, count_lead
from bot.facts.service import FactService
from bot.i18n import using_locale

LAUNCHES = ("missile_launch", "satellite_launch")


def _launch_days(
    dataset, *, year: int | None = None, month: int | None = None, cls: str | None = None
) -> int:
    return sum(
        1
        for fact in dataset.facts
        if fact.kind in LAUNCHES
        and (year is None or fact.date.year == year)
        and (month is None or fact.date.month == month)
        and (cls is None or cls in (fact.figures.get("system_classes") or ()))
    )


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("how many launch days in 2022", lambda d: f"{_launch_days(d, year=2022)} launch days in 2022"),
        (
            "how many launches in march 2022",
            lambda d: f"{_launch_days(d, year=2022, month=3)} launch days in March 2022",
        ),
        (
            "how many icbm launches in 2023",
            lambda d: f"{_launch_days(d, year=2023, cls='ICBM')} ICBM launch days in 2023",
        ),
        (
            "how many nuclear tests",
            lambda d: f"{sum(f.kind == 'nuclear_test' for f in d.facts)} nuclear tests in the record",
        ),
        (
            "how many japanese sanctions",
            lambda d: (
                f"{sum(f.figures.get('issuer') == 'japan' for f in d.facts)} sanctions measures by Japan"
            ),
        ),
    ],
)
async def test_a_count_says_what_it_counted(
    seeded_service: FactService, dataset, question: str, lead
) -> None:
    answer = await seeded_service.answer(question)
    assert answer.kind == "count"
    assert answer.lead == lead(dataset)
    assert answer.lead.startswith(f"{answer.count} ")


async def test_a_count_narrowed_by_more_than_its_line_says_is_never_the_record_s(
    seeded_service: FactService,
) -> None:
    answer = await seeded_service.answer("how many spy satellite launches")
    assert answer.kind == "count"
    assert answer.scope.narrowed
    assert "in the record" not in answer.lead
    assert answer.lead == f"{answer.count} matching launch days"


def test_the_english_line_reads_naturally() -> None:
    assert count_lead(1, "nuclear tests", CountScope(years=(2006,))) == "1 nuclear test in 2006"
    assert (
        count_lead(6, "launch days", CountScope(outcome="failure", years=(2016,)))
        == "6 failed launch days in 2016"
    )
    assert count_lead(3, "launch days", CountScope(named=("Hwasong-15",))) == "3 Hwasong-15 launch days"
    assert (
        count_lead(2, "launch days", CountScope(months=(3,), years=(2022,))) == "2 launch days in March 2022"
    )
    assert count_lead(4, "launch days", CountScope(months=(3,))) == "4 launch days in March"
    both = CountScope(named=("Hwasong-15", "Hwasong-17"))
    assert count_lead(9, "launch days", both) == "9 Hwasong-15/Hwasong-17 launch days"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", "{n} launch days in 2022"),
        ("ko", "발사일 {n}건 (2022년)"),
        ("ja", "発射日 {n}件 (2022年)"),
    ],
)
async def test_the_card_leads_with_the_count_once_in_the_member_s_language(
    seeded_service: FactService, locale: str, expected: str
) -> None:
    answer = await seeded_service.answer("how many launch days in 2022")
    assert answer.count is not None
    with using_locale(locale):
        title = render.count_card(answer).title
    assert title == expected.format(n=answer.count)


async def test_the_card_says_how_many_more_it_counted_than_it_lists(seeded_service: FactService) -> None:
    answer = await seeded_service.answer("how many launch days in 2022")
    assert answer.count is not None
    assert answer.count > 10
    # A count at scale lists only its newest facts (typed.COUNTED_SHOWN): the card counts from the answer.
    listed_fewer = replace(answer, facts=answer.facts[:12])
    description = render.count_card(listed_fewer).description or ""
    assert f"…and {answer.count - 10} more" in description
