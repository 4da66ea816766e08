"""Options that need knowledge, kinds in balance and difficulty through the week, on the real bank."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest

from bot.app.settings import DEFAULT_DATASET_DIR
from bot.quiz.model import Question, QuestionType, generate_questions, load_handwritten, weekday_difficulty
from bot.quiz.model.distractors import spread_pick
from bot.quiz.model.kinds.launches import system_classes
from bot.quiz.model.kinds.ordering import MAX_USES
from bot.quiz.model.kinds.record import FactRecord
from bot.quiz.model.pool import BALANCE_DAYS, MAX_KIND_SHARE
from tests.quiz.test_guessers import schedule


@pytest.fixture(scope="module")
def bank(dataset) -> list[Question]:
    return generate_questions(dataset.facts, load_handwritten(DEFAULT_DATASET_DIR))


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.casefold()))


def wrong(question: Question) -> list[str]:
    return [o for i, o in enumerate(question.options) if i != question.correct_index]


def test_no_event_is_a_wrong_option_in_many_which_came_first_questions(bank: list[Question]) -> None:
    uses = Counter(o for q in bank if q.type is QuestionType.FIRST for o in wrong(q))
    assert uses
    assert max(uses.values()) <= MAX_USES, uses.most_common(3)


def test_wrong_systems_are_of_the_answers_class_where_the_record_has_enough(
    bank: list[Question], dataset
) -> None:
    classes = system_classes(FactRecord.of(dataset.facts))
    questions = [q for q in bank if q.type is QuestionType.SYSTEM]
    classed = [q for q in questions if q.answer in classes]
    same = sum(all(classes.get(o, set()) & classes[q.answer] for o in wrong(q)) for q in classed)
    assert same / len(classed) > 0.8, f"{same}/{len(classed)}"
    # No more "which missile on <date>" for every Scud day: first flights and strategic systems only.
    assert len(questions) / len(bank) <= 0.3


def test_the_answer_is_as_often_the_earliest_option_as_the_latest() -> None:
    ranks = Counter()
    for seed in range(400):
        picked = spread_pick(50, [(n, n) for n in range(100) if n != 50], seed)
        ranks[sorted([50, *picked]).index(50)] += 1
    assert all(80 <= ranks[r] <= 120 for r in range(4)), ranks


def test_no_prompt_names_its_answer(bank: list[Question]) -> None:
    for question in bank:
        if question.type is QuestionType.HANDWRITTEN:
            continue
        assert not words(question.answer) <= words(question.prompt), question.key


@pytest.mark.parametrize("guild_id", [1, 2, 3])
def test_any_60_days_balance_the_kinds_and_never_repeat_a_fact(bank: list[Question], guild_id: int) -> None:
    days = schedule(bank, guild_id, date(2026, 12, 7), 400)
    cap = int(BALANCE_DAYS * MAX_KIND_SHARE)
    worst = 0
    for start in range(len(days) - BALANCE_DAYS + 1):
        window = days[start : start + BALANCE_DAYS]
        kinds = Counter(q.type for q in window)
        worst = max(worst, max(kinds.values()))
        assert max(kinds.values()) <= cap, (start, kinds.most_common(2))
        facts = Counter(q.fact_id for q in window)
        assert max(facts.values()) == 1, (start, facts.most_common(1))
    print(f"\nserver {guild_id}: the biggest kind in any 60 days: {worst}/{BALANCE_DAYS}")


def test_difficulty_rotates_through_the_week(bank: list[Question]) -> None:
    start = date(2026, 12, 7)  # a Monday
    assert [weekday_difficulty(start + timedelta(days=n)) for n in range(7)] == [1, 1, 2, 2, 2, 3, 3]
    days = schedule(bank, 1, start, 60)
    hits = sum(q.difficulty == weekday_difficulty(start + timedelta(days=n)) for n, q in enumerate(days))
    assert hits / len(days) >= 0.9, hits
    assert {q.difficulty for q in bank} == {1, 2, 3}
    assert min(Counter(q.difficulty for q in bank).values()) >= 30


def test_well_known_facts_are_easy_and_obscure_ones_hard(bank: list[Question], dataset) -> None:
    unilateral = {f.id for f in dataset.facts if f.kind == "unilateral"}
    by_key = {q.key: q for q in bank}
    assert by_key["when:nuclear-test-6"].difficulty <= 2
    assert by_key["resolution-test:unsc-1718"].difficulty == 1
    obscure = [q for q in bank if q.type is QuestionType.WHEN and q.fact_id in unilateral]
    assert obscure
    assert all(q.difficulty == 3 for q in obscure), [
        (q.key, q.difficulty) for q in obscure if q.difficulty != 3
    ]
