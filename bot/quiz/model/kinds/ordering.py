"""Order: "which of these came first?" over events of different kinds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

from bot.facts.model.fact import Fact
from bot.quiz.model.distractors import fact_span, shared_words, short_title
from bot.quiz.model.kinds.record import FactRecord, fame, rate
from bot.quiz.model.questions import MAX_OPTION, Question, QuestionType, explain, make_question, seeded_random

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
# Options in "which came first" start at least this long after the answer ends.
FIRST_GAP_DAYS = 7
# Later events are drawn from this many years after the answer, so the options belong to one era.
FIRST_WINDOW_DAYS = 6 * 365
# No event is a wrong option in more than this many questions.
MAX_USES = 3


def _alike(a: str, b: str) -> bool:
    """Labels of about the same length: neither is more than half as long again as the other."""
    return max(len(a), len(b)) <= 1.5 * min(len(a), len(b))


def _stands_out(answer: str, others: list[str]) -> bool:
    """The answer is much shorter or longer than every other option ("Resolution 2207" among
    sentences), which a guesser would pick without knowing anything."""
    shortest, longest = min(map(len, others)), max(map(len, others))
    return len(answer) * 1.5 < shortest or len(answer) > 1.5 * longest


def first_questions(record: FactRecord) -> Iterator[Question | None]:
    """ "Which of these came first?" over four events of different kinds, at least a week apart;
    the later events are drawn at random from the years after, each used a few times at most."""
    pool: list[tuple[Fact, str]] = []
    for fact in record.of_kind(*FIRST_KINDS):
        option = short_title(fact, MAX_OPTION)
        if option is not None:
            pool.append((fact, option))
    pool.sort(key=lambda pair: (fact_span(pair[0]), pair[0].id))
    uses: Counter[str] = Counter()
    for anchor, label in pool:
        anchor_end = fact_span(anchor)[1]
        start = anchor_end + timedelta(days=FIRST_GAP_DAYS)
        after = [(o, lbl) for o, lbl in pool if fact_span(o)[0] > start and uses[o.id] < MAX_USES]
        near = [(o, lbl) for o, lbl in after if fact_span(o)[0] <= start + timedelta(days=FIRST_WINDOW_DAYS)]
        later = near if len(near) >= 6 else after  # a small record has few events in any window
        rng = seeded_random("first", anchor.id)
        rng.shuffle(later)
        # Least used first, then of a length like the answer's (a short title among long ones
        # stands out), shuffled within (the sort is stable).
        later.sort(key=lambda pair: (uses[pair[0].id], not _alike(label, pair[1])))
        chosen: list[tuple[Fact, str]] = []
        kinds = {anchor.kind}  # one option per kind: two resolutions would be ordered by number
        for other, other_label in later:
            if other.kind in kinds:
                continue
            if other_label.casefold() in {label.casefold(), *(c[1].casefold() for c in chosen)}:
                continue
            # "Agreed Framework" before "Collapse of the Agreed Framework" needs no knowledge.
            if any(shared_words(other_label, taken) for taken in [label, *(c[1] for c in chosen)]):
                continue
            chosen.append((other, other_label))
            kinds.add(other.kind)
            if len(chosen) == 3:
                break
        if len(chosen) < 3 or _stands_out(label, [lbl for _, lbl in chosen]):
            continue
        uses.update(other.id for other, _ in chosen)
        chosen.sort(key=lambda pair: fact_span(pair[0]))
        gap = (fact_span(chosen[0][0])[0] - anchor_end).days
        then = "; ".join(f"{lbl} ({f.date_text})" for f, lbl in chosen)
        yield make_question(
            key=f"first:{anchor.id}",
            question_type=QuestionType.FIRST,
            prompt="Which of these came first?",
            answer=label,
            distractors=[lbl for _, lbl in chosen],
            explanation=explain(f"{label} came first ({anchor.date_text}); later: {then}", anchor),
            fact=anchor,
            difficulty=rate(min(fame(anchor, record), 1), gap < 365) if gap < 3 * 365 else 1,
        )
