"""What the record is about: the gate every answer passes before its confidence is weighed.

A question is answerable only if it names something the record holds: North Korea or one of its leaders,
a launched system or a missile class, a resolution or other numbered name of the record, a proper name of
a fact (Hanoi, KEDO, Kaesong, Lazarus), a state or body that takes part in its talks or issues its
sanctions, a word of the subject itself (nuclear, missile, sanctions, summit, talks), a year of the record
together with a test or launch word, or a Korean/Japanese name of a fact. Chit-chat ("whats up", "are
you a real person") and general knowledge ("When did World War II end?") name none of these: however many
of their words some fact happens to hold, they are refused.

The names are built from the facts (RecordTopics.build), once per version of the facts (FactService).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.folding import cjk_grams, fold, tokens
from bot.facts.model.fact import Fact
from bot.facts.model.lexicon import CJK_SUBJECTS
from bot.facts.model.query import STOPWORDS, ParsedQuery
from bot.facts.model.question import FRAME_WORDS, PARTICIPANT_NAMES, Question

# Words of the subject itself: any of them makes a question about the record.
TOPIC_WORDS = frozenset(
    "nuclear nuke nukes atomic thermonuclear hydrogen plutonium uranium enrichment reactor yongbyon punggye "
    "denuclearization denuclearisation warhead warheads missile missiles ballistic icbm icbms irbm srbm "
    "slbm mrbm scud scuds salvo salvos nodong musudan taepodong unha rocket rockets satellite satellites launch launches "
    "launched sanction sanctions sanctioned embargo designation designations blacklist blacklists "
    "resolution resolutions unscr unsc un veto vetoed vetoes summit summits talks negotiations treaty npt "
    "kaesong panmunjom dmz armistice inter koreas".split()
)
# Words that make a year of the record a question about it ("what was tested in 2017").
EVENT_WORDS = frozenset(
    "test tests tested testing fire fired firing flew flown fly launch launches launched detonation "
    "detonated explosion agreed agreement signed meeting met".split()
)
_PHRASES = ("security council", "united nations", "north korea", "six party")
_ISSUER_NAMES = {"us": "US", "japan": "Japan", "south_korea": "South Korea", "eu": "EU"}
# A capitalised word of a title or alias is a proper name unless the record also writes it in lower case.
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_NUMBER = re.compile(r"\b\d{3,}\b")
_YEAR = re.compile(r"^(19|20)\d\d$")
GRAM_SHARE = 0.5  # a Korean/Japanese question names a fact when half its character pairs are in its names


@dataclass(frozen=True)
class RecordTopics:
    """The proper names, numbers, states and years the record holds."""

    names: frozenset[str] = frozenset()  # folded proper-name words of titles and aliases
    numbers: frozenset[int] = frozenset()  # resolution and other numbers of names (not years)
    states: frozenset[str] = frozenset()  # participants and issuers, as talks facts name them
    years: tuple[int, int] = (0, 0)  # the first and last year of the record
    # How many facts hold each Korean/Japanese character pair of their names (spelling.WordVocabulary).
    grams: Mapping[str, int] = field(default_factory=dict)
    facts: int = 0

    @classmethod
    def build(cls, facts: Iterable[Fact]) -> RecordTopics:
        builder = TopicsBuilder()
        for fact in facts:
            builder.add(fact.date.year, fact.title, fact.aliases, fact.summary, fact.figures)
        return builder.topics()


class TopicsBuilder:
    """RecordTopics gathered a fact at a time (FactService feeds it light rows, never whole facts)."""

    def __init__(self) -> None:
        self.capitalised: set[str] = set()
        self.lower: set[str] = set()
        self.numbers: set[int] = set()
        self.states: set[str] = set()
        self.first: int | None = None
        self.last: int | None = None
        self.grams: Counter[str] = Counter()
        self.facts = 0

    def add(
        self, year: int, title: str, aliases: Iterable[str], summary: str, figures: Mapping[str, Any]
    ) -> None:
        capitalised, lower, numbers, states = self.capitalised, self.lower, self.numbers, self.states
        self.facts += 1
        self.grams.update(set(cjk_grams(" ".join((title, *aliases)))))
        self.first = year if self.first is None else min(self.first, year)
        self.last = year if self.last is None else max(self.last, year)
        for name in (title, *aliases):
            for word in _WORD.findall(name):
                (capitalised if word[0].isupper() else lower).add(fold(word))
            numbers.update(int(n) for n in _NUMBER.findall(name) if not _YEAR.match(n))
        lower.update(fold(w) for w in _WORD.findall(summary) if w[0].islower())
        states.update(str(p) for p in figures.get("participants") or ())
        if figures.get("issuer") in _ISSUER_NAMES:
            states.add(_ISSUER_NAMES[str(figures["issuer"])])
        if isinstance(figures.get("resolution_number"), int):
            numbers.add(int(figures["resolution_number"]))

    def topics(self) -> RecordTopics:
        names = {
            word
            for word in self.capitalised - self.lower
            if len(word) >= 2 and word not in STOPWORDS and word not in FRAME_WORDS and not word.isdigit()
        }
        span = (self.first, self.last) if self.first is not None and self.last is not None else (0, 0)
        return RecordTopics(
            frozenset(names),
            frozenset(self.numbers),
            frozenset(self.states),
            span,
            dict(self.grams),
            self.facts,
        )


@dataclass(frozen=True)
class Gate:
    """Why a question is about the record (`reason`), or that it is not (empty)."""

    reason: str = ""
    words: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.reason)

    def held_by(self, query: ParsedQuery, held: Sequence[bool]) -> bool:
        """Whether a fact holding these of the query's terms (search.covers) holds what made the question
        about the record, when that was only a name or a state ("how far is the moon": Moon Jae-in, so
        the answer must be about Moon, not some fact that mentions the Earth)."""
        if self.reason not in ("name", "state"):
            return True
        named = [i for i, group in enumerate(query.terms) if not set(group).isdisjoint(self.words)]
        return not named or any(held[i] for i in named)


def names_record(
    question: Question,
    query: ParsedQuery,
    topics: RecordTopics,
    *,
    gram_share: float = 0.0,
    names: Iterable[str] = (),
    dated_match: bool = False,
) -> Gate:
    """Whether the question names something the record holds, and what. `names` are the folded names
    (title, aliases) of the best-ranked facts: two adjacent words of the question in one of them name it
    ("state sponsor of terrorism"). `dated_match`: a fact of the year the question names holds all its words."""
    words = set(question.words)
    text = f" {' '.join(question.words)} "
    if question.names_dprk or question.period is not None:
        return Gate("north korea")
    if question.systems or question.classes:
        return Gate("system", tuple(sorted(question.systems | question.classes)))
    if found := words & TOPIC_WORDS:
        return Gate("topic", tuple(sorted(found)))
    if found := words & topics.names:
        return Gate("name", tuple(sorted(found)))
    if any(f" {phrase} " in text for phrase in _PHRASES):
        return Gate("body")
    if set(query.numbers) & topics.numbers:
        return Gate("number")
    states = [state for state in topics.states if f" {' '.join(tokens(state))} " in text]
    if question.participants & topics.states or states:
        named = {w for w in words if PARTICIPANT_NAMES.get(w) in topics.states}
        return Gate("state", tuple(sorted(named | {w for state in states for w in tokens(state)})))
    first, last = topics.years
    if words & EVENT_WORDS and any(first <= year <= last for year in question.years):
        return Gate("year")
    if dated_match:  # "loudspeakers back on in 2024": a fact of the year asked holds every word of it
        return Gate("year")
    padded = [f" {name} " for name in names]
    if phrases := tuple(p for p in query.phrases if any(f" {p} " in name for name in padded)):
        return Gate("phrase", phrases)
    if any(concept in question.text for concept in CJK_SUBJECTS) or gram_share >= GRAM_SHARE:
        return Gate("cjk")
    return Gate()
