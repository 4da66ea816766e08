"""Question generation and choice, as pure functions: every type, distractors never true, nothing
asked from an uncertain fact, hand-written questions, and the daily and practice choice."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app.settings import DEFAULT_DATASET_DIR
from bot.facts.model.fact import Fact, FactDate, parse_fact
from bot.quiz.model import (
    HandwrittenError,
    InvalidQuestion,
    Question,
    QuestionType,
    choose_daily_question,
    choose_practice_question,
    generate_questions,
    load_handwritten,
    weekday_difficulty,
)
from bot.quiz.model.distractors import (
    confusable_systems,
    date_span,
    fact_span,
    short_title,
    spans_overlap,
    weapons_test_label,
)
from bot.quiz.model.handwritten import MAX_QUESTION_ID
from bot.quiz.model.questions import MAX_EXPLANATION, MAX_OPTION, MAX_PROMPT
from tests.conftest import fact_record

# --- a small synthetic record with every kind a generator needs ------------------------------------


def make(fact_id: str, kind: str, when: str, title: str, figures: dict[str, Any], **extra: Any) -> Fact:
    return parse_fact(fact_record(fact_id, kind=kind, date=when, title=title, figures=figures, **extra))


def nuclear_test(number: int, when: str, **extra: Any) -> Fact:
    figures = {"test_number": number, "site": "Punggye-ri", "yield_kt_min": 1, "yield_kt_max": 9}
    return make(f"nt-{number}", "nuclear_test", when, f"Test number {number}", figures, **extra)


def resolution(number: int, when: str, responds_to: list[str], measures: list[str]) -> Fact:
    figures = {"resolution_number": number, "votes_for": 15, "votes_against": 0, "abstentions": 0}
    return make(
        f"unsc-{number}",
        "un_resolution",
        when,
        f"Resolution {number}: sanctions",
        figures | {"measures": measures},
        responds_to=responds_to,
    )


def launch(when: str, *systems: str, kind: str = "missile_launch", **extra: Any) -> Fact:
    figures = {
        "systems": list(systems),
        "system_classes": ["SRBM"],
        "missiles": 1,
        "outcome": "success",
    }
    return make(f"launch-{when}", kind, when, f"Launch of {', '.join(systems)}, {when}", figures, **extra)


def talks(fact_id: str, kind: str, when: str, title: str, parties: list[str], **extra: Any) -> Fact:
    return make(fact_id, kind, when, title, {"participants": parties}, **extra)


SIX = ["China", "US", "DPRK", "South Korea", "Japan", "Russia"]


def synthetic_facts() -> list[Fact]:
    return [
        nuclear_test(1, "2006-10-09"),
        nuclear_test(2, "2009-05-25"),
        nuclear_test(3, "2013-02-12"),
        nuclear_test(4, "2016-01-06"),
        resolution(1718, "2006-10-14", ["nt-1"], ["ban on exporting luxury goods to the DPRK"]),
        resolution(1874, "2009-06-12", ["nt-2"], ["ban on all arms exports by the DPRK"]),
        resolution(2094, "2013-03-07", ["nt-3"], ["ban on DPRK exports of seafood"]),
        resolution(2270, "2016-03-02", ["nt-4"], ["ban on DPRK exports of coal, iron and iron ore"]),
        resolution(2276, "2016-03", [], ["extends the Panel of Experts' mandate"]),
        launch("2016-06-22", "Musudan"),
        launch("2017-02-12", "Pukguksong-2"),
        launch("2017-03-06", "Scud-ER"),
        launch("2017-05-14", "Hwasong-12"),
        launch("2017-07-04", "Hwasong-14"),
        launch("2017-08-29", "Hwasong-12A"),
        launch("2017-11-29", "Hwasong-15"),
        launch("2017-12-01", "Scud-C"),  # within a week of the Hwasong-15: never its distractor
        launch("2017-09-15", "Unidentified SRBM"),
        launch("2017-10-20", "Hwasong-11A (KN-23)"),
        launch("2017-10-25", "Rail-mobile KN-23"),
        talks("singapore", "summit", "2018-06-12", "Singapore summit", ["US", "DPRK"]),
        talks(
            "six-party-1",
            "multilateral",
            "2003-08-27",
            "Six-party talks, first round",
            SIX,
            end_date="2003-08-29",
        ),
        talks("stockholm", "bilateral", "2019-10-05", "Stockholm working-level talks", ["US", "DPRK"]),
        talks("framework", "agreement", "1994-10-21", "Agreed Framework", ["US", "DPRK"]),
        talks(
            "kedo",
            "agreement",
            "1995-03-09",
            "KEDO founded",
            ["US", "South Korea", "Japan"],
            date_uncertain=True,
        ),
        make("exit", "withdrawal", "2003-01-10", "North Korea leaves the NPT", {"participants": ["DPRK"]}),
        make("sst", "unilateral", "2017-11-20", "Back on the terrorism list", {"issuer": "us"}),
    ]


@pytest.fixture(scope="module")
def synthetic() -> list[Fact]:
    return synthetic_facts()


# --- checks that no distractor is also true ------------------------------------------------------

_DISPLAY = re.compile(r"^(?:(\d{1,2}) )?(?:([A-Z][a-z]+) )?(\d{4})$")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]  # fmt: skip


def parse_display(text: str) -> FactDate:
    match = _DISPLAY.match(text)
    assert match, text
    day, month, year = match.groups()
    return FactDate(int(year), _MONTHS.index(month) + 1 if month else None, int(day) if day else None)


def wrong_options(question: Question) -> list[str]:
    return [o for i, o in enumerate(question.options) if i != question.correct_index]


def check_when(question: Question, fact: Fact, facts: Sequence[Fact]) -> None:
    assert question.answer == fact.date.display()
    same_category = [f for f in facts if f.category == fact.category and f.id != fact.id]
    for option in wrong_options(question):
        wrong = parse_display(option)
        assert wrong.precision == fact.date.precision  # dates honour the precision
        # Not the fact's date (within the margin for time zones) ...
        assert not spans_overlap(date_span(wrong), fact_span(fact), 3), option
        # ... but the date of another event of its kind or category: real, never an edited answer.
        assert any(spans_overlap(date_span(wrong), date_span(f.date)) for f in same_category), option


def check_resolution_test(question: Question, fact: Fact, facts: Sequence[Fact]) -> None:
    labels = {
        weapons_test_label(f): f
        for f in facts
        if f.kind in ("nuclear_test", "missile_launch", "satellite_launch")
    }
    assert labels[question.answer].id in fact.responds_to
    for option in wrong_options(question):
        assert labels[option].id not in fact.responds_to


def check_resolution_measure(question: Question, fact: Fact, facts: Sequence[Fact]) -> None:
    own = [m.lower() for m in fact.figures["measures"]]
    assert question.answer.lower() in own
    others = {
        m.lower()
        for f in facts
        if f.kind == "un_resolution" and f.id != fact.id
        for m in f.figures.get("measures", ())
    }
    for option in wrong_options(question):
        assert option.lower() not in own
        assert option.lower() in others


def check_system(question: Question, fact: Fact, facts: Sequence[Fact]) -> None:
    systems = fact.figures["systems"]
    assert question.answer in systems
    day = date_span(fact.date)[0]
    window = (day - timedelta(days=7), day + timedelta(days=7))
    nearby = {
        s
        for f in facts
        if f.kind in ("missile_launch", "satellite_launch") and spans_overlap(fact_span(f), window)
        for s in f.figures["systems"]
    }
    for option in wrong_options(question):
        assert option not in nearby
        assert not any(confusable_systems(option, s) for s in nearby)


def check_test_count(question: Question, fact: Fact, facts: Sequence[Fact]) -> None:
    year = int(question.key.rsplit(":", 1)[1])
    count = sum(1 for f in facts if f.kind == "nuclear_test" and f.date.year <= year)
    assert question.answer == str(count)
    assert str(count) not in wrong_options(question)


def check_first(question: Question, fact: Fact, facts: Sequence[Fact]) -> None:
    by_label = {short_title(f, MAX_OPTION): f for f in facts}
    assert by_label[question.answer].id == fact.id
    for option in wrong_options(question):
        assert fact_span(by_label[option])[0] > fact_span(fact)[1], option


CHECKS: dict[QuestionType, Callable[[Question, Fact, Sequence[Fact]], None]] = {
    QuestionType.WHEN: check_when,
    QuestionType.RESOLUTION_TEST: check_resolution_test,
    QuestionType.RESOLUTION_MEASURE: check_resolution_measure,
    QuestionType.SYSTEM: check_system,
    QuestionType.TEST_COUNT: check_test_count,
    QuestionType.FIRST: check_first,
}


def check_all(questions: Sequence[Question], facts: Sequence[Fact]) -> None:
    by_id = {f.id: f for f in facts}
    for question in questions:
        assert len(question.prompt) <= MAX_PROMPT
        assert len(question.explanation) <= MAX_EXPLANATION
        assert all(len(o) <= MAX_OPTION for o in question.options)
        assert len({o.casefold() for o in question.options}) == 4
        fact = by_id[question.fact_id]
        assert question.source == fact.sources[0]
        if question.type is QuestionType.HANDWRITTEN:
            continue
        assert not fact.date_uncertain, question.key
        CHECKS[question.type](question, fact, facts)


# --- generation ----------------------------------------------------------------------------------


def test_every_question_type_is_generated(synthetic: list[Fact]) -> None:
    types = Counter(q.type for q in generate_questions(synthetic))
    assert set(types) == set(CHECKS), types


def test_no_synthetic_distractor_is_also_true(synthetic: list[Fact]) -> None:
    check_all(generate_questions(synthetic), synthetic)


def test_no_distractor_in_the_real_dataset_is_also_true(dataset) -> None:
    questions = generate_questions(dataset.facts)
    assert len({q.type for q in questions}) >= 5
    check_all(questions, [f for f in dataset.facts if not f.retired])


def test_generation_is_deterministic(synthetic: list[Fact]) -> None:
    assert generate_questions(synthetic) == generate_questions(list(reversed(synthetic)))


def test_the_correct_option_is_shuffled_into_every_position(dataset) -> None:
    positions = Counter(q.correct_index for q in generate_questions(dataset.facts))
    assert set(positions) == {0, 1, 2, 3}
    assert min(positions.values()) > sum(positions.values()) / 8


def test_the_examples_in_the_issue(synthetic: list[Fact]) -> None:
    by_key = {q.key: q for q in generate_questions(synthetic)}
    assert by_key["when:nt-2"].prompt == "When did North Korea carry out its second nuclear test?"
    assert by_key["when:nt-2"].answer == "25 May 2009"
    assert by_key["resolution-test:unsc-1874"].answer == "2nd nuclear test (May 2009)"
    assert by_key["resolution-measure:unsc-1718"].answer == "Ban on exporting luxury goods to the DPRK"
    assert (
        by_key["system:launch-2017-11-29"].prompt
        == "Which missile did North Korea launch on 29 November 2017?"
    )
    assert "Scud-C" not in by_key["system:launch-2017-11-29"].options
    assert not [k for k in by_key if k.startswith("participants:")]  # titles named the parties
    assert by_key["test-count:2013"].answer == "3"
    assert by_key["first:framework"].answer == "Agreed Framework"


def test_a_month_precision_date_is_asked_and_offered_by_month(synthetic: list[Fact]) -> None:
    question = {q.key: q for q in generate_questions(synthetic)}["when:unsc-2276"]
    assert question.answer == "March 2016"
    assert all(re.fullmatch(r"[A-Z][a-z]+ \d{4}", o) for o in question.options)


def test_systems_that_could_be_the_same_missile_are_never_distractors(synthetic: list[Fact]) -> None:
    by_key = {q.key: q for q in generate_questions(synthetic)}
    assert "Hwasong-12A" not in by_key["system:launch-2017-05-14"].options
    assert "Rail-mobile KN-23" not in by_key["system:launch-2017-10-20"].options
    assert "system:launch-2017-09-15" not in by_key  # an unidentified system is not asked about


def test_nothing_is_asked_from_an_uncertain_fact(synthetic: list[Fact]) -> None:
    questions = generate_questions(synthetic)
    assert not [q for q in questions if q.fact_id == "kedo"]
    assert not [q for q in questions if "KEDO founded" in q.options]


def test_no_count_is_asked_when_a_test_date_is_uncertain(synthetic: list[Fact]) -> None:
    facts = [*synthetic, nuclear_test(5, "2016-09", date_uncertain=True)]
    questions = generate_questions(facts)
    assert not [q for q in questions if q.type is QuestionType.TEST_COUNT]
    assert "when:nt-5" not in {q.key for q in questions}
    assert "5th nuclear test (September 2016)" not in {o for q in questions for o in q.options}


def test_nothing_is_asked_about_yields(dataset) -> None:
    for question in generate_questions(dataset.facts):
        text = " ".join([question.prompt, *question.options]).lower()
        assert "yield" not in text, question.key
        assert not re.search(r"\d\s*kt\b", text), question.key


def test_a_moderators_edit_changes_the_questions_at_once(synthetic: list[Fact]) -> None:
    edited = [dataclasses.replace(f, date=FactDate(2009, 5, 26)) if f.id == "nt-2" else f for f in synthetic]
    assert {q.key: q for q in generate_questions(edited)}["when:nt-2"].answer == "26 May 2009"
    retired = [dataclasses.replace(f, retired=True) if f.id == "nt-2" else f for f in synthetic]
    keys = {q.key for q in generate_questions(retired)}
    assert "when:nt-2" not in keys
    assert "resolution-test:unsc-1874" not in keys


# --- hand-written questions ----------------------------------------------------------------------


def test_the_shipped_hand_written_questions_are_valid_and_linked(dataset) -> None:
    facts = {f.id: f for f in dataset.facts}
    written = load_handwritten(DEFAULT_DATASET_DIR, facts)
    assert len(written) >= 20
    for item in written:
        question = item.to_question(facts[item.fact_id])
        assert question is not None, item.id
        assert question.answer == item.answer
        assert question.source == facts[item.fact_id].sources[0]


def test_hand_written_questions_join_the_pool_unless_held_back(dataset) -> None:
    written = load_handwritten(DEFAULT_DATASET_DIR)
    keys = {q.key for q in generate_questions(dataset.facts, written)}
    assert {w.key for w in written} <= keys
    held = {written[0].id}
    keys = {q.key for q in generate_questions(dataset.facts, written, held_back=held)}
    assert written[0].key not in keys
    assert written[1].key in keys
    without_fact = [f for f in dataset.facts if f.id != written[1].fact_id]
    assert written[1].key not in {q.key for q in generate_questions(without_fact, written)}


def test_the_loader_reports_every_problem_at_once(tmp_path: Path) -> None:
    (tmp_path / "quiz").mkdir()
    (tmp_path / "quiz" / "bad.toml").write_text(
        """
[[question]]
id = "Bad Id"
fact = "nt-1"
prompt = "Which?"
answer = "Same"
wrong = ["same", "Other"]
difficulty = 4
colour = "red"

[[question]]
id = "fine"
fact = "no-such-fact"
prompt = "Which came first?"
answer = "A"
wrong = ["B", "C", "D"]
difficulty = 1

[[question]]
id = "fine"
fact = "nt-1"
prompt = "Again?"
answer = "A"
wrong = ["B", "C", "D"]
difficulty = 2

[[question]]
id = "a-very-long-question-id-a-very-long-question-id-a-very-long-question-id-a-very-long-question-id-x"
fact = "nt-1"
prompt = "Long id?"
answer = "A"
wrong = ["B", "C", "D"]
difficulty = 2
""",
        encoding="utf-8",
    )
    with pytest.raises(HandwrittenError) as caught:
        load_handwritten(tmp_path, known_fact_ids={"nt-1"})
    problems = "\n".join(caught.value.problems)
    for expected in (
        "unknown field 'colour'",
        "id 'Bad Id' must be lowercase",
        "exactly 4 options",
        "two options are the same",
        "difficulty must be 1, 2 or 3",
        "duplicate question id 'fine'",
        "fact 'no-such-fact' does not exist",
        f"is longer than {MAX_QUESTION_ID} characters",
    ):
        assert expected in problems


# --- the question model --------------------------------------------------------------------------


def test_a_question_survives_its_json_snapshot(dataset) -> None:
    for question in generate_questions(dataset.facts)[:50]:
        assert Question.from_json(question.to_json()) == question


def test_a_question_refuses_to_break_the_rules(synthetic: list[Fact]) -> None:
    good = generate_questions(synthetic)[0]
    with pytest.raises(InvalidQuestion, match="two options are the same"):
        dataclasses.replace(good, options=("A", "a", "B", "C"))
    with pytest.raises(InvalidQuestion, match="1-80 characters"):
        dataclasses.replace(good, options=("A" * 81, "B", "C", "D"))
    with pytest.raises(InvalidQuestion, match="one paragraph"):
        dataclasses.replace(good, explanation="One.\n\nTwo.")
    with pytest.raises(InvalidQuestion, match="difficulty"):
        dataclasses.replace(good, difficulty=4)


# --- choosing questions ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pool(synthetic: list[Fact]) -> list[Question]:
    return generate_questions(synthetic)


def test_the_same_server_gets_the_same_question_on_the_same_day(pool: list[Question]) -> None:
    day = date(2024, 6, 5)
    first = choose_daily_question(pool, set(), 42, day)
    again = choose_daily_question(list(reversed(pool)), set(), 42, day)
    assert first is not None
    assert again is not None
    assert first.question == again.question
    choices = [choose_daily_question(pool, set(), guild, day) for guild in range(30)]
    picks = {c.question.key for c in choices if c is not None}
    assert len(picks) > 1  # servers do not all get the same question


def test_no_repeats_until_the_pool_is_exhausted(pool: list[Question]) -> None:
    asked: set[str] = set()
    day = date(2024, 6, 3)
    for _ in range(len(pool)):
        choice = choose_daily_question(pool, asked, 7, day)
        assert choice is not None
        assert not choice.new_round
        assert choice.question.key not in asked
        asked.add(choice.question.key)
        day += timedelta(days=1)
    assert asked == {q.key for q in pool}
    choice = choose_daily_question(pool, asked, 7, day)
    assert choice is not None
    assert choice.new_round


def test_difficulty_follows_the_weekday_while_questions_last(pool: list[Question]) -> None:
    monday = date(2024, 6, 3)
    for offset in range(7):
        day = monday + timedelta(days=offset)
        choice = choose_daily_question(pool, set(), 1, day)
        assert choice is not None
        assert choice.question.difficulty == weekday_difficulty(day)
    assert [weekday_difficulty(monday + timedelta(days=n)) for n in range(7)] == [1, 1, 2, 2, 2, 3, 3]
    only_hard = [q for q in pool if q.difficulty == 3]
    choice = choose_daily_question(only_hard, set(), 1, monday)
    assert choice is not None
    assert choice.question.difficulty == 3


def test_an_empty_pool_has_no_question() -> None:
    assert choose_daily_question([], set(), 1, date(2024, 6, 3)) is None
    assert choose_practice_question([], set(), set(), 1) is None


def test_practice_never_shows_the_daily_question_and_prefers_new_ones(pool: list[Question]) -> None:
    daily = pool[0].key
    recent = {q.key for q in pool[1:-1]}
    for seed in range(20):
        question = choose_practice_question(pool, recent, {daily}, seed)
        assert question is not None
        assert question.key == pool[-1].key
    everything = {q.key for q in pool}
    question = choose_practice_question(pool, everything, {daily}, 3)
    assert question is not None
    assert question.key != daily
