"""Sanctions: "which test led to resolution N?" and "which ban or cap came with resolution N?"."""

from __future__ import annotations

from collections.abc import Iterator

from bot.facts.model.fact import Fact
from bot.quiz.model.distractors import (
    distinct_labels,
    fact_span,
    is_ban_or_cap,
    measure_subjects,
    sentence_case,
    spread_pick,
    weapons_test_label,
)
from bot.quiz.model.kinds.record import TEST_KINDS, FactRecord, fame, rate
from bot.quiz.model.questions import MAX_OPTION, Question, QuestionType, explain, make_question

# --- which test led to resolution N --------------------------------------------------------------


def resolution_test_questions(record: FactRecord) -> Iterator[Question | None]:
    """ "Which test led to resolution N?" for resolutions answering one or two tests."""
    resolutions = record.of_kind("un_resolution")
    answered_by: dict[str, set[str]] = {}
    for resolution in record.of_kind("un_resolution", certain=False):
        for target in resolution.responds_to:
            answered_by.setdefault(target, set()).add(resolution.id)
    tests = {f.id: f for f in record.of_kind(*TEST_KINDS)}
    all_tests = {f.id for f in record.of_kind(*TEST_KINDS, certain=False)}
    for resolution in resolutions:
        linked = [t for t in resolution.responds_to if t in all_tests]
        # A resolution answering many launches at once makes "which one" a matter of reading it closely.
        if not 1 <= len(linked) <= 2 or any(t not in tests for t in linked):
            continue
        triggers = sorted((tests[t] for t in linked), key=lambda t: (t.kind != "nuclear_test", t.date))
        answer = triggers[0]
        # Distractors: tests of the same kind that another resolution answered and this one did not,
        # placed so that the answer is as often the earliest option as the latest.
        pool = [
            t
            for t in tests.values()
            if t.id not in resolution.responds_to and answered_by.get(t.id, set()) - {resolution.id}
        ]
        same_kind = [t for t in pool if t.kind == answer.kind]
        chosen = spread_pick(
            fact_span(answer)[0].toordinal(),
            [(fact_span(t)[0].toordinal(), t) for t in (same_kind if len(same_kind) >= 3 else pool)],
            resolution.id,
        )
        labels = distinct_labels(weapons_test_label(answer), (weapons_test_label(t) for t in chosen))
        number = resolution.figures["resolution_number"]
        which = "Which of these North Korean tests" if len(linked) > 1 else "Which North Korean test"
        yield make_question(
            key=f"resolution-test:{resolution.id}",
            question_type=QuestionType.RESOLUTION_TEST,
            prompt=f"{which} led the UN Security Council to adopt Resolution {number}?",
            answer=weapons_test_label(answer),
            distractors=labels,
            explanation=explain(
                f"Resolution {number} ({resolution.date.display()}) answered the "
                f"{weapons_test_label(answer)}",
                resolution,
            ),
            fact=resolution,
            difficulty=rate(fame(resolution, record), answer.kind != "nuclear_test"),
        )


# --- what did resolution N ban or cap ------------------------------------------------------------


def _quiz_measures(fact: Fact) -> list[str]:
    return [
        sentence_case(m)
        for m in fact.figures.get("measures", ())
        if is_ban_or_cap(m) and len(m) <= MAX_OPTION and measure_subjects(m)
    ]


def resolution_measure_questions(record: FactRecord) -> Iterator[Question | None]:
    """ "Which new ban or cap came with resolution N?", with other resolutions' measures as
    distractors, each on a subject resolution N does not touch."""
    every_resolution = record.of_kind("un_resolution", certain=False)
    for resolution in record.of_kind("un_resolution"):
        measures = _quiz_measures(resolution)
        if not measures:
            continue
        answer = measures[0]
        covered = set().union(*(measure_subjects(m) for m in resolution.figures.get("measures", ())))
        others = sorted(
            (r for r in every_resolution if r.id != resolution.id),
            key=lambda r: (abs((fact_span(r)[0] - fact_span(resolution)[0]).days), r.id),
        )
        distractors: list[str] = []
        seen = set(covered)
        for other in others:  # at most one measure from each other resolution, nearest first
            for measure in _quiz_measures(other):
                subjects = measure_subjects(measure)
                if not subjects & seen:
                    distractors.append(measure)
                    seen |= subjects
                    break
            if len(distractors) == 3:
                break
        number = resolution.figures["resolution_number"]
        yield make_question(
            key=f"resolution-measure:{resolution.id}",
            question_type=QuestionType.RESOLUTION_MEASURE,
            prompt=(
                f"Which of these new bans or caps came with UN Security Council Resolution {number} "
                f"({resolution.date.year})?"
            ),
            answer=answer,
            distractors=distractors,
            explanation=explain(
                f"Resolution {number} included this measure: {answer[0].lower()}{answer[1:]}", resolution
            ),
            fact=resolution,
            difficulty=rate(fame(resolution, record), close_options=True),
        )
