"""Answer quality: /search's top-1 and top-3 accuracy over natural questions with known answers."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.facts.model.query import QueryError
from bot.facts.service import FactService

DATA = Path(__file__).parents[1] / "data"
# The first set was written while tuning ranking; the second was written separately, without looking at
# the ranking code, to check that it generalises. Both must meet the targets.
QUESTION_SETS = {
    name: tomllib.loads((DATA / f"{name}.toml").read_text("utf-8"))["q"]
    for name in ("search_questions", "search_questions_holdout")
}
QUESTIONS = [q for questions in QUESTION_SETS.values() for q in questions]
# The raw ranking's figures last measured (100% on both sets, 2026-12-08): a regression guard.
TOP1_TARGET = 1.00
TOP3_TARGET = 1.00


def test_the_question_set_is_large_and_covers_every_category(dataset) -> None:
    facts = {f.id: f for f in dataset.facts}
    assert len(QUESTIONS) >= 80
    missing = [q["fact"] for q in QUESTIONS if q["fact"] not in facts]
    assert not missing, f"answers not in the dataset: {missing}"
    assert {facts[q["fact"]].category.value for q in QUESTIONS} == {"tests", "sanctions", "talks"}


@pytest.mark.parametrize("question_set", list(QUESTION_SETS))
async def test_search_finds_the_right_fact_first(
    seeded_service: FactService, capsys: pytest.CaptureFixture[str], question_set: str
) -> None:
    questions = QUESTION_SETS[question_set]
    top1 = top3 = 0
    misses = []
    for item in questions:
        results = await seeded_service.search(item["question"], limit=3)
        ids = [r.fact.id for r in results]
        top1 += bool(ids) and ids[0] == item["fact"]
        top3 += item["fact"] in ids
        if not ids or ids[0] != item["fact"]:
            misses.append(f"{item['question']!r}: expected {item['fact']}, got {ids}")
    total = len(questions)
    with capsys.disabled():
        print(f"\n{question_set}: {total} questions, top-1 {top1 / total:.1%}, top-3 {top3 / total:.1%}")
        for miss in misses:
            print("  miss:", miss)
    assert top1 / total >= TOP1_TARGET, misses
    assert top3 / total >= TOP3_TARGET, misses


# --- FactService.answer: understanding, typed answers and refusals ------------------------------------

ANSWER_SETS = {
    name: tomllib.loads((DATA / f"{name}.toml").read_text("utf-8"))["q"]
    for name in (
        "search_questions",
        "search_questions_holdout",
        "search_questions_blind",
        "search_questions_blind2",
        "search_questions_blind3",
        "search_questions_blind4",
        "search_questions_blind5",
    )
}
# Four off-topic sets, written like the blind sets (see below).
OFFTOPIC_SETS = {
    name: tomllib.loads((DATA / f"{name}.toml").read_text("utf-8"))["q"]
    for name in (
        "search_offtopic",
        "search_offtopic2",
        "search_offtopic3",
        "search_offtopic4",
        "search_offtopic5",
    )
}
# Issue #15's targets are top-1 >= 95% and top-3 = 100% on every set. Each floor is the figure last
# measured, so that a regression fails; raise them as the engine improves.
# The blind sets were written without seeing the engine and held out while they measured whether changes
# generalised; the first became a tuning set from the fourth tuning round on, the second and third (and the
# second and third off-topic sets) from 8 December 2026, when the fourth and fifth blind and off-topic sets
# took over that role: those are held out, and only their aggregate figures are ever looked at.
# Held-out sets: their questions are never printed, here or in a failure's message, so that whoever tunes the
# engine sees only their aggregate figures.
HELD_OUT = frozenset(
    {"search_questions_blind4", "search_questions_blind5", "search_offtopic4", "search_offtopic5"}
)


def _shown(question_set: str, lines: list[str]) -> list[str]:
    return [f"{len(lines)} (held out: not shown)"] if question_set in HELD_OUT else lines


ANSWER_FLOORS = {
    "search_questions": (1.00, 1.00, 0),
    "search_questions_holdout": (1.00, 1.00, 0),
    # (top-1, top-3, most on-topic questions refused). Before it was used for tuning: 91.8%, 95.3%, 4;
    # after the 2020s facts were added 96.5%, 97.7%, 2; then 98.8%, 98.8%, 1; then 98.8%, 99.4%, 1.
    "search_questions_blind": (0.988, 0.994, 1),
    # Held out until 8 December 2026: first measured 80.7%, 84.4%, 16; after the third round (refusal
    # gate, typed figures) 83.3%, 87.5%, 16; with the Korean and Japanese aliases of the 2020s facts
    # merged, 84.9%, 90.1%, 12; with word forms, rarity weights and weighted Korean/Japanese character
    # pairs, 87.5%, 93.2%, 8; with Korean and Japanese subject words and the aliases of every system,
    # 89.6%, 94.2%, 5; with a Korean or Japanese subject word's pairs found in a fact's English words,
    # 90.1%, 94.8%, 4. Then tuned on (Korean/Japanese intents, "the one before/after", sanctions that
    # impose, refusals; three expectations of counts moved to the newest fact counted): 98.4%, 100%, 0.
    "search_questions_blind2": (0.984, 1.00, 0),
    # Written blind on 8 December 2026 from the dataset alone: 83.9%, 89.4%, 11 refused against the engine
    # of that morning; 90.3%, 94.9%, 3 after that session's two quality rounds (measured once, held out);
    # then tuned on as the second set was (two expectations moved to a newer US measure): 98.6%, 100%, 0.
    "search_questions_blind3": (0.986, 1.00, 0),
    # Written blind on 8 December 2026 (388 questions) from the dataset alone by a helper that never read the
    # engine or the other sets; held out. Measured against the engine of that morning: 92.3%, 95.6%, 7; with
    # the 15 facts of dataset 2026.12.08.8 (its expectations re-checked against them, blind): 92.3%, 95.4%, 8;
    # after the third quality round (tuned on the second and third sets) and typed answers in SQL: 94.1%,
    # 96.4%, 7.
    "search_questions_blind4": (0.940, 0.963, 7),
    # Written blind on 8 December 2026 (434 questions, dataset 2026.12.08.10), like the fourth; held out.
    # Against the engine before that day's third quality round: 84.3%, 90.8%, 15; after it: 89.6%, 93.8%, 11.
    "search_questions_blind5": (0.896, 0.937, 11),
}
# Count questions answered with the right number, per blind set (the expected counts follow the dataset:
# four answers of the first set were updated when facts were added after it was written).
BLIND_COUNTS_RIGHT = {
    "search_questions_blind": 15,
    "search_questions_blind2": 14,
    "search_questions_blind3": 21,
    "search_questions_blind4": 26,  # of 29 (24, then 23 with dataset 2026.12.08.8, before the third round)
    "search_questions_blind5": 30,  # of 35 (26 before the third round)
}
# The target is 95% on each off-topic set. The second was at 93.2% when first measured, 98.6% at
# the end of the third round; the third at 92.4%, then 93.7%; tuned on from 8 December 2026: 100%, 97.5%.
OFFTOPIC_REFUSED = {
    "search_offtopic": 1.00,
    "search_offtopic2": 1.00,
    "search_offtopic3": 0.974,
    "search_offtopic4": 0.957,  # held out (95 questions): 91.6% that morning, 95.8% after the third round
    "search_offtopic5": 0.954,  # held out (88 questions): 95.5% before the third round and after it
}


@pytest.mark.parametrize("question_set", list(ANSWER_SETS))
async def test_answers_find_the_right_fact_and_refuse_no_on_topic_question(
    seeded_service: FactService, capsys: pytest.CaptureFixture[str], question_set: str
) -> None:
    questions = ANSWER_SETS[question_set]
    top1 = top3 = counts = counts_right = 0
    refused, misses = [], []
    for item in questions:
        answer = await seeded_service.answer(item["question"])
        ids = [f.id for f in answer.facts[:3]]
        top1 += bool(ids) and ids[0] == item["fact"]
        top3 += item["fact"] in ids
        if answer.refused:
            refused.append(item["question"])
        elif not ids or ids[0] != item["fact"]:
            misses.append(f"{item['question']!r}: expected {item['fact']}, got {ids}")
        if "count" in item:
            counts += 1
            counts_right += answer.count == item["count"]
            if answer.count != item["count"]:
                misses.append(f"{item['question']!r}: expected the count {item['count']}, got {answer.count}")
    total = len(questions)
    top1_floor, top3_floor, most_refused = ANSWER_FLOORS[question_set]
    misses, refused_shown = _shown(question_set, misses), _shown(question_set, refused)
    with capsys.disabled():
        print(
            f"\nanswer() on {question_set}: {total} questions, top-1 {top1 / total:.1%}, top-3 {top3 / total:.1%},"
            f" refused {len(refused)}, counts {counts_right}/{counts}"
        )
        for miss in misses:
            print("  miss:", miss)
        for question in refused_shown:
            print("  refused (on-topic):", question)
    assert top1 / total >= top1_floor, misses
    assert top3 / total >= top3_floor, misses
    assert len(refused) <= most_refused, refused_shown
    if question_set in BLIND_COUNTS_RIGHT:
        assert counts >= 14
        assert counts_right >= BLIND_COUNTS_RIGHT[question_set], misses


@pytest.mark.parametrize("offtopic_set", list(OFFTOPIC_SETS))
async def test_off_topic_questions_are_refused_with_suggestions_only(
    seeded_service: FactService, capsys: pytest.CaptureFixture[str], offtopic_set: str
) -> None:
    answered = []
    questions = OFFTOPIC_SETS[offtopic_set]
    for item in questions:
        try:
            answer = await seeded_service.answer(item["question"])
        except QueryError:
            continue  # refused before searching (too long: Discord's option limit stops it first anyway)
        if not answer.refused:
            answered.append(f"{item['group']}: {item['question']!r} -> {answer.best and answer.best.id}")
        else:
            assert answer.facts == ()
            assert answer.best is None
            assert len(answer.suggestions) <= 5
    share = 1 - len(answered) / len(questions)
    answered = _shown(offtopic_set, answered)
    with capsys.disabled():
        print(f"\n{offtopic_set}: {len(questions)} questions, refused {share:.1%}")
        for line in answered:
            print("  answered:", line)
    assert share >= OFFTOPIC_REFUSED[offtopic_set], answered


@pytest.mark.parametrize(
    ("question", "count", "newest"),
    [
        ("how many nuclear tests has north korea conducted", 6, "nuclear-test-6"),
        ("How many times did North Korea test the Musudan missile?", 6, "launch-2016-10-20"),
        ("how many launches in 2017", 15, "launch-2017-11-29"),
    ],
)
async def test_counting_questions_carry_the_count_and_the_facts_counted(
    seeded_service: FactService, question: str, count: int, newest: str
) -> None:
    answer = await seeded_service.answer(question)
    assert answer.kind == "count"
    assert answer.count == count
    assert len(answer.facts) == count
    assert answer.facts[0].id == newest
    assert answer.lead.startswith(str(count))


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("first ICBM launch", "launch-2017-07-04"),
        ("latest launch", "launch-2026-04-19"),
        ("most powerful nuclear test", "nuclear-test-6"),
        ("when did North Korea leave the NPT", "npt-withdrawal-1993"),
        ("sanctions after the 6th test", "unsc-2375"),
        ("hwasnog 17 first launch", "launch-2022-03-16"),
        ("HS-15", "launch-2017-11-29"),
        ("KN-22", "launch-2017-11-29"),
        ("火星15", "launch-2017-11-29"),
        ("화성-15", "launch-2017-11-29"),
        ("Hwasong-19", "launch-2024-10-31"),
        ("resolution 2397", "unsc-2397"),
        ("北朝鮮 核実験 6回目", "nuclear-test-6"),
        ("6차 핵실험", "nuclear-test-6"),
        # Korean and Japanese first / last / largest and numbers in words, written inside words.
        ("北朝鮮が最初にICBMを発射したのはいつ", "launch-2017-07-04"),
        ("北朝鮮の核実験で一番規模が大きかったのは", "nuclear-test-6"),
        ("北朝鮮の四回目の核実験", "nuclear-test-4"),
        ("북한 네 번째 핵실험", "nuclear-test-4"),
        # A comparative picks as the superlative does; a mistyped ordinal is the ordinal.
        ("which hwasong-14 launch went higher", "launch-2017-07-28"),
        ("when was the forth nuclear test", "nuclear-test-4"),
        # Sanctions asked for: a resolution that imposes some (825 only called on the DPRK).
        ("first UN sanctions resolution", "unsc-1718"),
        # The one before or after the fact the rest of the question names.
        ("the nuclear test after the third", "nuclear-test-4"),
        ("the nuclear test before the sixth one", "nuclear-test-5"),
        ("the resolution after 2375", "unsc-2397"),
        ("sanctions after the first test", "unsc-1718"),  # what answered the test, not the next measure
        # No test of the kind that year: the nearest one before it.
        ("did north korea test a nuclear bomb in 2019", "nuclear-test-6"),
        # A launch's own name, not its system's (the Unha-3 carried several satellites).
        ("Kwangmyongsong-4 launch", "launch-2016-02-07"),
    ],
)
async def test_entities_and_intents_decide_the_answer(
    seeded_service: FactService, question: str, fact: str
) -> None:
    answer = await seeded_service.answer(question)
    assert not answer.refused
    assert answer.best is not None
    assert answer.best.id == fact, [f.id for f in answer.facts[:3]]


@pytest.mark.parametrize(
    "question",
    [
        "when did india test its first nuclear bomb",
        "russia's own icbm tests",
        "Pakistan nuclear tests 1998",
        # About North Korea, but on a subject the record does not hold (words no fact has).
        "north korea football world cup",
        "north korea women football team",
        # North Korea's leader beside a subject no fact about him holds.
        "kim jong un's birthday",
        "kim jong un height",
        # Another state as the subject of its own weapons, in English and in Korean/Japanese.
        "how many nukes does china have",
        "how many nuclear tests did the us do",
        # Korean/Japanese: only the name of North Korea or its leader is held, not what is asked.
        "김정은 키",
        "北朝鮮の人口は",
        "latest sanctions on russia",
        "중국 ICBM 발사",
        "hi",
        "????",
    ],
)
async def test_other_states_and_small_talk_are_refused(seeded_service: FactService, question: str) -> None:
    answer = await seeded_service.answer(question)
    assert answer.refused
    assert answer.best is None
