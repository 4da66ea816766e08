"""Questions generated from the facts: one generator per question type.

Generation is a pure function of the current facts, so a moderator's edit changes the questions at
once. Facts with a disputed date (`date_uncertain`) are never the subject of a question or a
distractor, and nothing is asked about yields (every yield in the record is an estimate).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.facts.model.fact import DatePrecision, Fact
from bot.quiz.model.distractors import (
    PARTIES,
    confusable_systems,
    date_distractors,
    date_span,
    distinct_labels,
    fact_span,
    identified_system,
    is_ban_or_cap,
    measure_subjects,
    mentions_a_date,
    ordinal_word,
    participant_distractors,
    participants_text,
    sentence_case,
    shared_words,
    short_title,
    spans_overlap,
    weapons_test_label,
)
from bot.quiz.model.questions import MAX_OPTION, Question, QuestionType, explain, make_question

TEST_KINDS = ("nuclear_test", "missile_launch", "satellite_launch")
LAUNCH_KINDS = ("missile_launch", "satellite_launch")
TALKS_WITH_PARTIES = ("summit", "multilateral", "bilateral", "agreement")
# Kinds whose titles name an event without its date, so they can be options in "which came first".
FIRST_KINDS = (
    "un_resolution",
    "un_draft",
    "un_body",
    "unilateral",
    "agreement",
    "multilateral",
    "summit",
    "bilateral",
    "withdrawal",
)
# A launch of another system this close to the asked date could be "the" answer in some time zone
# or source, so it is never a distractor.
SYSTEM_WINDOW_DAYS = 7
# Options in "which came first" start at least this long after the answer ends.
FIRST_GAP_DAYS = 7


@dataclass(frozen=True)
class FactRecord:
    """The facts a generation works from: every current fact, and those certain enough to ask about."""

    current: tuple[Fact, ...]
    certain: tuple[Fact, ...] = field(init=False)
    latest: date = field(init=False)

    def __post_init__(self) -> None:
        certain = tuple(f for f in self.current if not f.date_uncertain and f.sources)
        object.__setattr__(self, "certain", certain)
        latest = max((fact_span(f)[1] for f in self.current), default=date(2000, 1, 1))
        object.__setattr__(self, "latest", latest)

    @classmethod
    def of(cls, facts: Iterable[Fact]) -> FactRecord:
        """The record of the current (not retired) facts."""
        return cls(tuple(f for f in facts if not f.retired))

    def of_kind(self, *kinds: str, certain: bool = True) -> list[Fact]:
        """Facts of these kinds: only certain ones unless `certain` is False."""
        return [f for f in (self.certain if certain else self.current) if f.kind in kinds]


def generated_questions(facts: Iterable[Fact]) -> list[Question]:
    """Every generated question for these facts (retired ones ignored), in a stable order."""
    record = FactRecord.of(facts)
    questions: list[Question] = []
    for generator in GENERATORS:
        questions.extend(q for q in generator(record) if q is not None)
    return questions


# --- when did X happen ---------------------------------------------------------------------------


def _when_prompt(fact: Fact, record: FactRecord) -> str | None:
    if fact.kind == "nuclear_test":
        number = int(fact.figures["test_number"])
        return f"When did North Korea carry out its {ordinal_word(number)} nuclear test?"
    if fact.kind == "un_resolution":
        return f"When did the UN Security Council adopt Resolution {fact.figures['resolution_number']}?"
    if fact.kind == "missile_launch":
        return None  # launch titles carry their date; the system question covers launches
    if fact.kind == "satellite_launch":
        payload = fact.figures.get("payload")
        payloads = [f.figures.get("payload") for f in record.of_kind("satellite_launch", certain=False)]
        if not payload or payloads.count(payload) != 1 or mentions_a_date(payload):
            return None
        return f"When did North Korea try to put the {payload} satellite into orbit?"
    if mentions_a_date(fact.title):
        return None
    if fact.end_date is not None and fact.end_date != fact.date:
        verb = "begin"
    elif fact.kind == "un_body":
        verb = "get set up"
    elif fact.kind in ("summit", "multilateral", "bilateral"):
        verb = "take place"
    else:
        verb = "happen"
    return f"{fact.title} — when did it {verb}?"


def when_questions(record: FactRecord) -> Iterator[Question | None]:
    """ "When did X happen?" for facts whose date is certain and not given away by their title."""
    for fact in record.certain:
        prompt = _when_prompt(fact, record)
        if prompt is None:
            continue
        key = f"when:{fact.id}"
        # Avoid every real date of the same kind (another test, another resolution) and the fact's own span.
        avoid = [fact_span(f) for f in record.of_kind(fact.kind, certain=False)]
        distractors = date_distractors(fact.date, avoid, record.latest, key)
        if fact.date.precision is not DatePrecision.DAY:
            difficulty = 1 if fact.date.precision is DatePrecision.YEAR else 2
        else:
            difficulty = 2 if fact.kind in ("nuclear_test", "summit", "agreement", "satellite_launch") else 3
        yield make_question(
            key=key,
            question_type=QuestionType.WHEN,
            prompt=prompt,
            answer=fact.date.display(),
            distractors=[d.display() for d in distractors],
            explanation=explain(f"Date on record: {fact.date_text}", fact),
            fact=fact,
            difficulty=difficulty,
        )


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
        # Distractors: tests another resolution answered and this one did not.
        pool = sorted(
            (
                t
                for t in tests.values()
                if t.id not in resolution.responds_to and answered_by.get(t.id, set()) - {resolution.id}
            ),
            key=lambda t: (t.kind != answer.kind, abs((fact_span(t)[0] - fact_span(answer)[0]).days), t.id),
        )
        labels = distinct_labels(weapons_test_label(answer), (weapons_test_label(t) for t in pool))
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
            difficulty=2 if answer.kind == "nuclear_test" else 3,
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
            difficulty=3,
        )


# --- which system was launched on date D ---------------------------------------------------------


def system_questions(record: FactRecord) -> Iterator[Question | None]:
    """ "Which system was launched on date D?" for launch days whose systems are all identified."""
    every_launch = record.of_kind(*LAUNCH_KINDS, certain=False)
    for fact in record.of_kind(*LAUNCH_KINDS):
        systems = list(fact.figures.get("systems", ()))
        # An unidentified missile that day could have been any of the distractors.
        if fact.date.precision is not DatePrecision.DAY or not systems:
            continue
        if not all(identified_system(s) for s in systems):
            continue
        day = date_span(fact.date)[0]
        window = (day - timedelta(days=SYSTEM_WINDOW_DAYS), day + timedelta(days=SYSTEM_WINDOW_DAYS))
        nearby = {
            s for f in every_launch if spans_overlap(fact_span(f), window) for s in f.figures["systems"]
        }
        distance: dict[str, int] = {}
        for other in every_launch:
            if other.kind != fact.kind:
                continue
            gap = abs((fact_span(other)[0] - day).days)
            for system in other.figures["systems"]:
                if identified_system(system) and len(system) <= MAX_OPTION:
                    distance[system] = min(distance.get(system, gap), gap)
        distractors: list[str] = []
        for system in sorted(distance, key=lambda s: (distance[s], s)):
            if any(confusable_systems(system, taken) for taken in [*nearby, *distractors]):
                continue
            distractors.append(system)
            if len(distractors) == 3:
                break
        when = fact.date.display()
        classes = fact.figures.get("system_classes", ())
        if fact.kind == "satellite_launch":
            prompt = f"Which rocket did North Korea use for its satellite launch on {when}?"
        elif len(systems) > 1:
            prompt = f"Which of these missiles did North Korea launch on {when}?"
        else:
            prompt = f"Which missile did North Korea launch on {when}?"
        yield make_question(
            key=f"system:{fact.id}",
            question_type=QuestionType.SYSTEM,
            prompt=prompt,
            answer=systems[0],
            distractors=distractors,
            explanation=explain(f"On {when} North Korea launched: {', '.join(systems)}", fact),
            fact=fact,
            difficulty=2 if fact.kind == "satellite_launch" or "ICBM" in classes else 3,
        )


# --- who took part in the talks ------------------------------------------------------------------


def participant_questions(record: FactRecord) -> Iterator[Question | None]:
    """ "Who took part?" for talks with two or more participants; options are whole party lists."""
    for fact in record.of_kind(*TALKS_WITH_PARTIES):
        parties = frozenset(fact.figures.get("participants", ()))
        if len(parties) < 2 or not parties & set(PARTIES):
            continue
        key = f"participants:{fact.id}"
        answer = participants_text(parties)
        yield make_question(
            key=key,
            question_type=QuestionType.PARTICIPANTS,
            prompt=f"{fact.title}: which option lists everyone who took part?",
            answer=answer,
            distractors=[participants_text(p) for p in participant_distractors(parties, key)],
            explanation=explain(f"Participants on record: {answer}", fact),
            fact=fact,
            difficulty=1 if len(parties) == 2 else 2,
        )


# --- how many nuclear tests by the end of year Y -------------------------------------------------


def nuclear_count_questions(record: FactRecord) -> Iterator[Question | None]:
    """ "How many nuclear tests by the end of year Y?" while every test is on record with a certain date."""
    tests = sorted(record.of_kind("nuclear_test", certain=False), key=lambda t: t.date)
    numbers = [int(t.figures["test_number"]) for t in tests]
    # A count is only right if every test is in the record with a certain date.
    if not tests or numbers != list(range(1, len(tests) + 1)) or any(t.date_uncertain for t in tests):
        return
    years = list(range(tests[0].date.year, tests[-1].date.year + 1))
    if record.latest.year - 1 > years[-1]:
        years.append(record.latest.year - 1)  # a complete year well after the last test
    for year in years:
        done = [t for t in tests if t.date.year <= year]
        count = len(done)
        distractors = [n for n in (count + 1, count - 1, count + 2, count - 2, count + 3) if n >= 1][:3]
        dates = "; ".join(t.date.display() for t in done)
        noun = "test" if count == 1 else "tests"
        yield make_question(
            key=f"test-count:{year}",
            question_type=QuestionType.TEST_COUNT,
            prompt=f"How many nuclear tests had North Korea carried out by the end of {year}?",
            answer=str(count),
            distractors=[str(n) for n in distractors],
            explanation=explain(f"By the end of {year}: {count} nuclear {noun} ({dates})", done[-1]),
            fact=done[-1],
            difficulty=2,
        )


# --- which of these came first -------------------------------------------------------------------


def first_questions(record: FactRecord) -> Iterator[Question | None]:
    """ "Which of these came first?" over four events of different kinds, at least a week apart."""
    pool: list[tuple[Fact, str]] = []
    for fact in record.of_kind(*FIRST_KINDS):
        option = short_title(fact, MAX_OPTION)
        if option is not None:
            pool.append((fact, option))
    pool.sort(key=lambda pair: fact_span(pair[0]))
    for anchor, label in pool:
        anchor_end = fact_span(anchor)[1]
        chosen: list[tuple[Fact, str]] = []
        kinds = {anchor.kind}  # one option per kind: two resolutions would be ordered by number
        for other, other_label in pool:
            if fact_span(other)[0] <= anchor_end + timedelta(days=FIRST_GAP_DAYS) or other.kind in kinds:
                continue
            if other_label.casefold() in {label.casefold(), *(c[1].casefold() for c in chosen)}:
                continue
            # "Agreed Framework" before "Collapse of the Agreed Framework" needs no knowledge.
            if shared_words(label, other_label):
                continue
            chosen.append((other, other_label))
            kinds.add(other.kind)
            if len(chosen) == 3:
                break
        if len(chosen) < 3:
            continue
        gap = (fact_span(chosen[0][0])[0] - anchor_end).days
        later = "; ".join(f"{lbl} ({f.date_text})" for f, lbl in chosen)
        yield make_question(
            key=f"first:{anchor.id}",
            question_type=QuestionType.FIRST,
            prompt="Which of these came first?",
            answer=label,
            distractors=[lbl for _, lbl in chosen],
            explanation=explain(f"{label} came first ({anchor.date_text}); later: {later}", anchor),
            fact=anchor,
            difficulty=3 if gap < 365 else 2 if gap < 3 * 365 else 1,
        )


GENERATORS: tuple[Callable[[FactRecord], Iterable[Question | None]], ...] = (
    when_questions,
    resolution_test_questions,
    resolution_measure_questions,
    system_questions,
    participant_questions,
    nuclear_count_questions,
    first_questions,
)
