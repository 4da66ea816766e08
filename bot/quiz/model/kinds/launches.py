"""Launches: "which missile did North Korea launch on date D?", with other systems of its class."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from bot.facts.model.fact import DatePrecision, Fact
from bot.quiz.model.distractors import (
    confusable_systems,
    date_span,
    fact_span,
    identified_system,
    spans_overlap,
)
from bot.quiz.model.kinds.record import LAUNCH_KINDS, STRATEGIC_CLASSES, FactRecord, fame, rate
from bot.quiz.model.questions import MAX_OPTION, Question, QuestionType, explain, make_question, seeded_random

# A launch of another system this close to the asked date could be "the" answer in some time zone
# or source, so it is never a distractor.
SYSTEM_WINDOW_DAYS = 7


def system_classes(record: FactRecord) -> dict[str, frozenset[str]]:
    """The classes (SRBM, ICBM, SLV...) of each identified system, from launch days of that system
    alone or of systems all of one class; a satellite launch's rockets are the class "SLV"."""
    classes: dict[str, set[str]] = {}
    for fact in record.of_kind(*LAUNCH_KINDS, certain=False):
        systems = [s for s in fact.figures.get("systems", ()) if identified_system(s)]
        found = {"SLV"} if fact.kind == "satellite_launch" else set(fact.figures.get("system_classes", ()))
        if len(set(systems)) == 1 or len(found) == 1:
            for system in systems:
                classes.setdefault(system, set()).update(found)
    return {s: frozenset(c) for s, c in classes.items()}


def _worth_asking(fact: Fact, record: FactRecord, first: dict[str, object]) -> bool:
    """A day worth a question: a system's first flight, a satellite launch or a strategic missile.
    (Asking about every Scud day made these a third of all questions.)"""
    classes = set(fact.figures.get("system_classes", ()))
    day = fact_span(fact)[0]
    return (
        fact.kind == "satellite_launch"
        or bool(classes & STRATEGIC_CLASSES)
        or first.get(fact.figures["systems"][0]) == day
    )


def system_questions(record: FactRecord) -> Iterator[Question | None]:
    """ "Which system was launched on date D?" for launch days whose systems are all identified."""
    every_launch = record.of_kind(*LAUNCH_KINDS, certain=False)
    classes = system_classes(record)
    first: dict[str, object] = dict(record.first_launches())
    for fact in record.of_kind(*LAUNCH_KINDS):
        systems = list(fact.figures.get("systems", ()))
        # An unidentified missile that day could have been any of the distractors.
        if fact.date.precision is not DatePrecision.DAY or not systems:
            continue
        if not all(identified_system(s) for s in systems) or not _worth_asking(fact, record, first):
            continue
        answer = systems[0]
        day = date_span(fact.date)[0]
        window = (day - timedelta(days=SYSTEM_WINDOW_DAYS), day + timedelta(days=SYSTEM_WINDOW_DAYS))
        nearby = {
            s for f in every_launch if spans_overlap(fact_span(f), window) for s in f.figures["systems"]
        }
        own = classes.get(answer, frozenset())
        usable = sorted(
            s for s in classes if len(s) <= MAX_OPTION and not any(confusable_systems(s, n) for n in nearby)
        )
        # Other systems of the answer's class first (an ICBM among ICBMs), in a seeded order.
        rng = seeded_random("systems", fact.id)
        same = [s for s in usable if classes[s] & own]
        rest = [s for s in usable if not classes[s] & own]
        rng.shuffle(same)
        rng.shuffle(rest)
        distractors: list[str] = []
        for system in same + rest:
            if not any(confusable_systems(system, taken) for taken in distractors):
                distractors.append(system)
            if len(distractors) == 3:
                break
        when = fact.date.display()
        if fact.kind == "satellite_launch":
            prompt = f"Which rocket did North Korea use for its satellite launch on {when}?"
        elif len(systems) > 1:
            prompt = f"Which of these missiles did North Korea launch on {when}?"
        else:
            prompt = f"Which missile did North Korea launch on {when}?"
        close = sum(1 for s in distractors if classes[s] & own) == 3
        yield make_question(
            key=f"system:{fact.id}",
            question_type=QuestionType.SYSTEM,
            prompt=prompt,
            answer=answer,
            distractors=distractors,
            explanation=explain(f"On {when} North Korea launched: {', '.join(systems)}", fact),
            fact=fact,
            difficulty=rate(fame(fact, record), close),
        )
