"""Reading a query: turn a person's question into terms (each a group of alternatives) and a safe FTS5
expression, with any year, number, ordinal or category it names.

User text never reaches FTS5 as syntax: every term is quoted, so `"`, `*`, `AND(`, `NEAR` and
unbalanced parentheses are just words.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from bot.core.errors import InvalidInput
from bot.core.folding import cjk_grams, fold, is_cjk, tokens
from bot.facts.model.fact import Category
from bot.facts.model.lexicon import CHAT_WORDS, CJK_NAMES, CJK_SUBJECTS, cjk_compact
from bot.facts.model.spelling import WordVocabulary

MAX_QUERY_LENGTH = 300
MAX_TERMS = 24

STOPWORDS = frozenset(
    (
        "a an and are as at be by can did do does for from had has have how i in into is it its me of on or "
        "s she show tell that the their them then there these they this to was were what when where which "
        "who whom why will with would you your about after before during than against any all ever"
    ).split()
)

# Words that mean the same thing to a reader; each group is searched as alternatives.
_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("icbm", "intercontinental"),
    ("irbm", "intermediate"),
    ("slbm", "submarine"),
    ("srbm", "short"),
    ("unsc", "security", "council"),
    ("un", "united", "nations"),
    ("resolution", "unscr", "res"),
    ("nuclear", "atomic", "nuke"),
    ("test", "tests", "tested", "testing", "detonation", "detonated", "explosion", "blast"),
    ("launch", "launches", "launched", "fired", "firing", "missile", "missiles"),
    ("satellite", "satellites", "space", "rocket", "slv", "sat"),
    ("sanction", "sanctions", "sanctioned", "measures", "penalties"),
    ("ban", "banned", "bans", "prohibited", "prohibit", "embargo"),
    ("talks", "negotiations", "negotiation", "dialogue"),
    ("summit", "summits", "met", "meeting", "meet"),
    ("agreement", "deal", "accord", "framework"),
    ("withdraw", "withdrew", "withdrawal", "quit", "left", "leave", "leaving", "withdrawing"),
    ("us", "usa", "america", "american", "washington", "states"),
    ("dprk", "north", "pyongyang"),
    ("rok", "south", "seoul"),
    ("japan", "japanese", "tokyo"),
    ("china", "chinese", "beijing"),
    ("russia", "russian", "moscow"),
    ("eu", "european", "europe"),
    ("uk", "britain", "british"),
    ("australia", "australian"),
    ("rail", "railway", "train", "trains"),
    ("organisation", "organization"),
    ("programme", "program"),
    ("defence", "defense"),
    ("treasury", "ofac"),
    ("veto", "vetoed", "vetoes"),
    ("adopt", "adopts", "adopted", "adoption", "passed", "approved"),  # a resolution is "adopted"
    ("admit", "admits", "admitted", "confirm", "confirms", "confirmed", "acknowledge", "acknowledged"),
    # "Put back on the list", "loudspeakers back on": done again.
    ("back", "again", "relisted", "resumed", "restored", "reinstated", "reimposed"),
    ("full", "fully", "total", "totally", "complete", "completely", "entire", "entirely"),
    ("oil", "petroleum", "fuel"),
    ("trump", "donald"),
    ("kim", "jong"),
    ("hydrogen", "thermonuclear", "h"),
    ("yield", "kilotons", "kt", "powerful", "strongest", "biggest", "largest"),
    ("six", "6"),
    ("party", "parties"),
)
_SYNONYMS: dict[str, tuple[str, ...]] = {word: group for group in _SYNONYM_GROUPS for word in group}
SYNONYM_WORDS = frozenset(_SYNONYMS)

_ORDINALS = {
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}
_CARDINALS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}

# Question words that say which category the asker wants.
_CATEGORY_HINTS: dict[Category, frozenset[str]] = {
    Category.TESTS: frozenset(
        "test tests tested launch launches launched missile missiles icbm irbm srbm slbm rocket satellite nuclear detonation apogee fired yield magnitude".split()
    ),
    Category.SANCTIONS: frozenset(
        "sanction sanctions resolution resolutions unsc ban banned cap capped embargo veto vetoed order eo act treasury measures panel committee".split()
    ),
    Category.TALKS: frozenset(
        "talks summit agreement deal framework declaration negotiations meeting met statement npt withdraw withdrew withdrawal party parties joint".split()
    ),
}
_YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
# Korean and Japanese words for what a question is about and whom it names: searched as English words too
# (bot.facts.model.lexicon).
CJK_CONCEPTS: dict[str, str] = CJK_SUBJECTS | CJK_NAMES
# A term translated from Korean or Japanese counts for less than one typed: the character pairs of the
# Korean or Japanese words already weigh what the question says.
TRANSLATED_WEIGHT = 0.25
# Korean and Japanese counters after a number: 6차 / 第6回 / 5回目 (the Nth event), 2397호 / 2397号.
_CJK_ORDINAL_COUNTERS = ("차", "회", "번째", "回")


@dataclass(frozen=True)
class ParsedQuery:
    """What a query asks for: its terms (each a group of alternatives) and any year, number or
    category it names."""

    text: str
    terms: tuple[tuple[str, ...], ...]
    years: tuple[int, ...]
    numbers: tuple[int, ...]
    ordinals: tuple[int, ...]
    category_hint: Category | None
    phrases: tuple[str, ...] = ()
    wants_latest: bool = False
    asks_who: bool = False
    superlative: bool = False
    wants_sanctions: bool = False
    name: str = ""  # the content words in order, folded: compared with fact names
    names_un: bool = False
    grams: tuple[str, ...] = ()  # Korean/Japanese/Chinese character pairs (see folding.cjk_grams)
    weights: tuple[float, ...] = ()  # how rare each term is in the record (see spelling.WordVocabulary)
    gram_weights: tuple[float, ...] = ()  # the same for each of `grams`
    # For each of `grams`, the English words of the Korean/Japanese subject words holding it (制裁:
    # sanctions): a fact whose text holds one of them holds the pair's meaning.
    gram_meanings: tuple[frozenset[str], ...] = ()
    common: frozenset[int] = frozenset()  # terms most facts hold: left out of the search for candidates
    chat: frozenset[int] = frozenset()  # chat verbs ("put", "get"): never what candidates are found by
    unknown: frozenset[int] = frozenset()  # terms no fact holds ("football"): the record does not know them

    @property
    def empty(self) -> bool:
        return not self.terms and not self.grams

    @functools.cached_property
    def term_sets(self) -> tuple[frozenset[str], ...]:
        """Each term's alternatives as a set, for ranking many facts against the same query."""
        return tuple(frozenset(group) for group in self.terms)

    # Ranking compares dozens of facts with one query: what it compares is worked out once, here.

    @functools.cached_property
    def padded_phrases(self) -> tuple[str, ...]:
        """The phrases, and below the name, with a space either side: found whole in a padded name."""
        return tuple(f" {phrase} " for phrase in self.phrases)

    @functools.cached_property
    def padded_name(self) -> str:
        return f" {self.name} "

    @functools.cached_property
    def number_words(self) -> frozenset[str]:
        return frozenset(str(number) for number in self.numbers)


class QueryError(InvalidInput):
    """A query that cannot be searched; the message says how to fix it."""


def checked_text(text: str) -> str:
    """The question with its spaces tidied. Raises QueryError for empty or over-long text."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise QueryError(
            "Type a few words to search for, for example `sixth nuclear test` or `resolution 2397`."
        )
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"That question is {len(cleaned):,} characters long; keep it under {MAX_QUERY_LENGTH} "
            "characters (a few keywords work best)."
        )
    return cleaned


def parse_query(
    text: str, *, system_words: frozenset[int] = frozenset(), vocabulary: WordVocabulary | None = None
) -> ParsedQuery:
    """Understand a free-text question. Raises QueryError for empty or over-long text.

    `system_words` are the positions of words that name a launched system (bot.facts.model.question):
    their numbers are part of a name ("Hwasong-19"), never a year, a resolution or a day of the month.
    With the record's `vocabulary`, each word is searched in all its forms and terms are weighed by
    how rare they are."""
    cleaned = checked_text(text)
    folded = fold(cleaned)
    words = tokens(folded)
    grams = tuple(cjk_grams(folded))
    compact = folded if folded.isascii() else cjk_compact(folded)
    extra = [english for cjk, english in CJK_CONCEPTS.items() if cjk in compact] if grams else []
    years, numbers, ordinals = [], [], []
    terms: list[tuple[str, ...]] = []
    chat_terms: set[tuple[str, ...]] = set()  # chat verbs and the idioms they make ("took part")
    hint_votes = dict.fromkeys(Category, 0)
    for index, word in enumerate(words):
        for category, hints in _CATEGORY_HINTS.items():
            hint_votes[category] += word in hints
        if word in STOPWORDS or is_cjk(word):
            continue
        if index in system_words:
            terms.append((word,))
            continue
        # An ordinal counts a series only next to the series' noun: "sixth nuclear test", "round 6",
        # not "first ICBM" or "for the first time" (those mean the earliest, see _first_of_series).
        following = words[index + 1] if index + 1 < len(words) else ""
        counts_series = following in _SERIES_NOUNS or (index > 0 and words[index - 1] == "round")
        alternatives = {word}
        if word in _ORDINALS:
            alternatives.add(_ORDINALS[word])
            if counts_series:
                ordinals.append(int(_ORDINALS[word][:-2]))
        elif word in _CARDINALS:
            alternatives.add(_CARDINALS[word])
        elif re.fullmatch(r"\d+(st|nd|rd|th)", word):
            if counts_series:
                ordinals.append(int(word[:-2]))
            alternatives.add(word[:-2])
            alternatives.update(k for k, v in _ORDINALS.items() if v == word)
        elif word.isdigit():
            if following.startswith(_CJK_ORDINAL_COUNTERS) or (index > 0 and words[index - 1] == "第"):
                ordinals.append(int(word))
            elif _YEAR.match(word):
                years.append(int(word))
            elif counts_series:
                ordinals.append(int(word))
            else:
                numbers.append(int(word))
        if not _leader_un(words, index):  # Kim Jong Un's "un" is not the United Nations
            alternatives.update(_SYNONYMS.get(word, ()))
        if vocabulary is not None:
            alternatives.update(vocabulary.forms(word))
        terms.append(tuple(sorted(alternatives)))
        if word in CHAT_WORDS or (
            word in _IDIOM_ENDS and index > 0 and words[index - 1] in _IDIOM_ENDS[word]
        ):
            chat_terms.add(terms[-1])
    translated: list[tuple[str, ...]] = []
    for english in extra:
        for word in english.split():
            translated.append(tuple(sorted({word, *_SYNONYMS.get(word, ())})))
            for category, hints in _CATEGORY_HINTS.items():
                hint_votes[category] += word in hints
    typed_terms = set(terms)
    terms = list(dict.fromkeys(terms + translated))[:MAX_TERMS]
    best = max(hint_votes.values())
    leaders = [c for c, v in hint_votes.items() if v == best]
    hint = leaders[0] if best > 0 and len(leaders) == 1 else None
    content = [w for w in words if w not in STOPWORDS and not is_cjk(w)]
    phrases = tuple(dict.fromkeys(f"{a} {b}" for a, b in itertools.pairwise(content)))
    # A Korean or Japanese name with its number ("光明星 4" of 光明星4号, "화성 15") names one thing.
    if grams:
        phrases += tuple(
            f"{a} {b}"
            for a, b in itertools.pairwise(words)
            if (b.isdigit() and is_cjk(a)) and f"{a} {b}" not in phrases
        )
    return ParsedQuery(
        cleaned,
        tuple(terms),
        tuple(years),
        tuple(numbers),
        tuple(ordinals),
        hint,
        phrases,
        wants_latest=any(w in _RECENT_WORDS for w in words),
        asks_who=any(w in _PARTICIPANT_WORDS for w in words),
        superlative=any(w in _SUPERLATIVE_WORDS for w in words),
        wants_sanctions=any(w in _SANCTION_WORDS for w in words),
        name=" ".join(content),
        names_un=any(w in _UN_WORDS and not _leader_un(words, i) for i, w in enumerate(words)),
        grams=grams,
        weights=tuple(
            vocabulary.weight(group)
            * (1.0 if group in typed_terms else TRANSLATED_WEIGHT)
            * (CHAT_WEIGHT if group in chat_terms else 1.0)
            for group in terms
        )
        if vocabulary is not None
        else (),
        gram_weights=tuple(vocabulary.gram_weight(g) for g in grams) if vocabulary is not None else (),
        gram_meanings=_gram_meanings(compact, grams),
        # Chat verbs are rare in the record's prose ("put") but never what a question is about: like the
        # words most facts hold, they do not pick the candidates.
        common=frozenset(i for i, g in enumerate(terms) if vocabulary.is_common(g) or g in chat_terms)
        if vocabulary is not None
        else frozenset(),
        chat=frozenset(i for i, g in enumerate(terms) if g in chat_terms),
        unknown=frozenset(i for i, g in enumerate(terms) if not vocabulary.document_frequency(g))
        if vocabulary is not None
        else frozenset(),
    )


def _gram_meanings(folded: str, grams: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    concepts = [(cjk, english) for cjk, english in CJK_CONCEPTS.items() if cjk in folded] if grams else []
    if not concepts:
        return ()
    return tuple(
        frozenset(
            word
            for cjk, english in concepts
            if gram in cjk or (len(cjk) == 1 and gram == cjk)
            for word in english.split()
            for word in (word, *_SYNONYMS.get(word, ()))
        )
        for gram in grams
    )


def _leader_un(words: list[str], index: int) -> bool:
    return words[index] == "un" and index > 0 and words[index - 1] == "jong"


CHAT_WEIGHT = 0.3  # a chat verb's share of its rarity weight


# Words that are chat only after a chat verb: "took part" is "participated" (asks_who), not a part.
_IDIOM_ENDS = {"part": frozenset({"take", "took", "taken", "takes", "taking"})}


_RECENT_WORDS = frozenset({"last", "latest", "recent", "newest", "most recent"})
_PARTICIPANT_WORDS = frozenset({"who", "participants", "participated", "attended", "part", "members"})
_SERIES_NOUNS = frozenset({"nuclear", "test", "atomic", "detonation", "bomb", "round", "phase"})
_SUPERLATIVE_WORDS = frozenset({"powerful", "strongest", "biggest", "largest"})
_SANCTION_WORDS = frozenset(
    {
        "resolution",
        "resolutions",
        "sanction",
        "sanctions",
        "unsc",
        "council",
        "impose",
        "imposed",
        "punish",
        "response",
        "respond",
        "responded",
    }
)
_UN_WORDS = frozenset({"un", "unsc", "united", "nations", "security", "council", "resolution", "resolutions"})


def rarer_terms(query: ParsedQuery) -> list[tuple[str, ...]]:
    """The terms to find candidates by when any may match. Words most facts hold ("launch", "north")
    are left out when the question has rarer ones: they would only bring in the facts that repeat them
    most, crowding out the facts that hold the rarer words."""
    return (
        [g for i, g in enumerate(query.terms) if i not in query.common]
        or [g for i, g in enumerate(query.terms) if i not in query.chat]
        or list(query.terms)
    )
