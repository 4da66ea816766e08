"""Question understanding: the entities a question names (launched systems and their spellings, missile
classes, years and months, resolution numbers, issuers, other countries) and what it asks for (when, how
many, first / last / Nth, a superlative), before anything is ranked.

The system vocabulary comes from the facts themselves (the `systems` of launch facts and the aliases of
single-system launches) and is built once per version of the facts.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.core.folding import fold, is_cjk, tokens
from bot.facts.model.asked import FIGURE_NOUNS, LESS, MORE, SUPERLATIVES, named_figure, over_japan
from bot.facts.model.lexicon import (
    CJK_CLASSES,
    CJK_NAMES,
    CJK_SUBJECTS,
    CLASS_WORDS,
    FOREIGN_WORDS,
    FRAME_WORDS,
    LEADERS,
    MONTH_NAMES,
    MONTHS,
    ORDINAL_WORDS,
    PARTICIPANT_NAMES,
    PARTICIPANT_STATES,
    cjk_compact,
    cjk_numbers,
)
from bot.facts.model.spelling import WordVocabulary

__all__ = ["CLASS_WORDS", "FRAME_WORDS", "PARTICIPANT_NAMES", "Question", "SystemVocabulary", "understand"]

_FIRST_WORDS = frozenset({"first", "earliest", "debut", "maiden", "첫", "最初", "初"})
_LAST_WORDS = frozenset({"last", "latest", "newest", "recent", "lately", "최근", "最新", "最近"})
# Korean and Japanese write first / last / most inside a word, particles attached ("最後に", "처음으로",
# "一番大きかった"): found anywhere in the folded text.
_CJK_FIRST = ("最初", "初めて", "初の", "初打ち上げ", "初発射", "처음", "최초", "첫")
_CJK_LAST = ("最後", "最新", "最近", "直近", "마지막", "최근", "가장 최근")
# "一番規模が大きかった", "가장 큰", "最大": the largest (a yield, unless a system or class is named).
_CJK_LARGEST = (
    "最大",
    "一番大き",
    "最も大き",
    "規模が大き",
    "가장 큰",
    "최대",
    "제일 큰",
    "가장 강력",
    "最も強",
)
_CJK_HIGHEST = ("最高高度", "一番高", "最も高", "가장 높", "최고 고도")
_CJK_FARTHEST = ("最長", "一番遠", "最も遠", "가장 멀", "가장 먼", "최장")
# "Which flew higher": between two launches the higher one, as the superlative picks it.
_COMPARATIVES: dict[str, tuple[str, bool]] = {
    "higher": ("apogee_km", True), "lower": ("apogee_km", False), "farther": ("distance_km", True),
    "bigger": ("yield_kt_max", True), "larger": ("yield_kt_max", True), "stronger": ("yield_kt_max", True),
    "weaker": ("yield_kt_max", False), "smaller": ("yield_kt_max", False),
}  # fmt: skip
# Ordinals as they are often mistyped ("forth nuclear test"): read as the ordinal, never "corrected" into
# some other word of the record.
_ORDINAL_TYPOS = {"forth": "fourth", "fith": "fifth", "fifht": "fifth", "thrid": "third", "secnd": "second", "sixht": "sixth", "frist": "first"}  # fmt: skip
# "몇" asks how many, except in "몇 시간" (what time / how many hours before), "몇 살", "몇 월", "몇 년", "몇 일".
_KO_NOT_COUNT = re.compile(r"몇\s*(시|살|월|년|일|분)")
_COUNT_PHRASES = (
    "how many",
    "how often",
    "number of",
    "total number",
    "count of",
    "tally of",
    "in total",
    "몇",
    "何回",
    "何発",
    "何本",
    "何件",
    "何個",
    "全部で",
    "合計",
    "통틀어",
    "何度",
    "いくつ",
)
_SUCCESS_WORDS = frozenset({"successful", "successfully", "succeeded", "success", "work", "worked", "orbit"})
# "Attempt to put a satellite in orbit": every attempt, not only the launches that reached orbit.
_ATTEMPT_WORDS = frozenset({"attempt", "attempts", "attempted", "try", "tries", "tried", "bid"})
_FINALLY_WORDS = frozenset({"finally", "eventually"})
_GOAL_WORDS = frozenset({"orbit", "work"})
_FAILURE_WORDS = frozenset(
    {"failed", "failure", "fail", "failing", "exploded", "crash", "crashed", "blew", "broke", "disintegrated"}
)
WITHDRAWAL_WORDS = frozenset({"leave", "leaving", "left", "quit", "withdraw", "withdrew", "withdrawal", "withdrawing", "탈퇴", "脱退"})  # fmt: skip
# Korean and Japanese names of North Korea and its leaders, found inside a word.
_CJK_DPRK = ("북한", "北朝鮮", "김정은", "김정일", "김일성", "金正恩", "金正日", "金日成")
# Names that mean North Korea: with one of them a question is about the record even if it names another state.
_DPRK_WORDS = frozenset(
    {"dprk", "nk", "pyongyang", "koreas", "inter", "북한", "北朝鮮", "조선", "朝鮮", "대북", "南北", "남북"}
)
_WEAPON_WORDS = frozenset(
    "test tests tested launch launches missile missiles rocket nuclear atomic nukes icbm bomb bombs hypersonic "
    "warhead warheads arsenal arsenals stockpile weapon weapons programme program".split()
)
_MEASURE_WORDS = frozenset(
    "sanction sanctions sanctioned sanctioning blacklist blacklists blacklisted designates designated "
    "freezes froze freeze bans banned".split()
)
_PLACE_PREPOSITIONS = frozenset(
    {"over", "to", "on", "at", "near", "toward", "towards", "against", "into", "off"}
)
_ALIAS_SKIP = (
    frozenset(
        "launch test first second last missile north korean new type solid fuel day the of and tactical guided "
        "weapon launches tests".split()
    )
    | set(MONTHS)
    | set(CLASS_WORDS)
)
_SUFFIX = re.compile(r"(형|호|号|형태)$")
_YEAR = re.compile(r"19[5-9]\d|20[0-4]\d")
_LEADER_FIRST_WORDS = frozenset(name[0] for name in LEADERS)  # where _leader looks for a name
_CJK_LEADERS = tuple(
    (name[0], tenure) for name, tenure in LEADERS.items() if len(name) == 1 and is_cjk(name[0])
)
# Korean and Japanese names of other states, found inside a word (particles attach to them).
_CJK_FOREIGN_WORDS = frozenset(word for word in FOREIGN_WORDS if is_cjk(word))


def system_key(text: str) -> str:
    """A system name as compared: folded words run together, a Korean/Japanese type suffix dropped
    ("Hwasŏng-15" -> hwasong15, "화성-15형" -> 화성15, "HS-15" -> hs15)."""
    return _SUFFIX.sub("", "".join(tokens(text)))


@dataclass(frozen=True)
class SystemVocabulary:
    """Every spelling of every launched system: key -> system names (a key like kn23 can name several)."""

    names: dict[str, frozenset[str]] = field(default_factory=dict)
    stems: tuple[
        str, ...
    ] = ()  # the letter parts of Latin keys (hwasong, musudan): what typos are corrected to
    words: WordVocabulary = field(default_factory=WordVocabulary)  # every word of the record

    @classmethod
    def build(
        cls,
        launches: Iterable[tuple[Sequence[str], Sequence[str]]],
        vocabulary: WordVocabulary | None = None,
    ) -> SystemVocabulary:
        names: dict[str, set[str]] = {}

        def add(spelling: str, system: str) -> None:
            key = system_key(spelling)
            if len(key) >= 3 and not key.isdigit():
                names.setdefault(key, set()).add(system)
                if key.startswith("hwasong"):
                    names.setdefault("hs" + key[7:], set()).add(system)
                    names.setdefault("hwaseong" + key[7:], set()).add(system)

        for systems, aliases in launches:
            named = [s for s in systems if not s.lower().startswith(("unidentified", "new-type"))]
            for system in named:
                add(system, system)
                for inner in re.findall(r"\(([^)]*)\)", system):  # "Hwasong-11A (KN-23)"
                    if re.fullmatch(r"[A-Za-z]+-?\d+[A-Za-z]?", inner.strip()):
                        add(inner, system)
                add(re.sub(r"\s*\(.*\)", "", system), system)
            if len(named) == 1:
                for alias in aliases:
                    words = tokens(alias)
                    dated = any(w.isdigit() and len(w) == 4 for w in words)
                    if 1 <= len(words) <= 3 and not dated and not _ALIAS_SKIP.intersection(words):
                        add(alias, named[0])
        stems = sorted({m.group() for key in names if (m := re.match(r"[a-z]{4,}", key))})
        return cls({k: frozenset(v) for k, v in names.items()}, tuple(stems), vocabulary or WordVocabulary())

    @functools.cached_property
    def families(self) -> dict[str, frozenset[str]]:
        """Family keys (a key up to a number, "hwasong11") and the systems whose keys add only letters to
        them (Hwasong-11A, Hwasong-11B...): worked out once, not for every question."""
        found: dict[str, set[str]] = {}
        for key, systems in self.names.items():
            for end in range(1, len(key)):
                if key[end - 1].isdigit() and key[end:].isalpha():
                    found.setdefault(key[:end], set()).update(systems)
        return {key: frozenset(systems) for key, systems in found.items()}

    def correct(self, word: str) -> str | None:
        """The system stem a misspelt word means ("hwasnog" -> hwasong), if any is close enough."""
        if len(word) < 5 or not word.isalpha() or not word.isascii() or word in self.stems:
            return None
        found = process.extractOne(word, self.stems, scorer=fuzz.ratio, score_cutoff=80)
        return found[0] if found else None

    def find(self, words: Sequence[str]) -> tuple[frozenset[str], frozenset[int]]:
        """The systems `words` name, and the positions of the words that name them (longest match first;
        a family such as "hwasong 11" names every Hwasong-11 variant)."""
        systems: set[str] = set()
        used: set[int] = set()
        i = 0
        while i < len(words):
            for width in (5, 4, 3, 2, 1):
                if i + width > len(words):
                    continue
                key = _SUFFIX.sub("", "".join(words[i : i + width]))
                if width == 1 and (key.isdigit() or len(key) < 3):
                    continue
                found = self.names.get(key)
                if found is None and key.endswith("s") and key.isascii():
                    found = self.names.get(key[:-1])  # "nodongs", "extended range scuds"
                if found is None and width >= 2 and key[-1].isdigit():
                    found = self.families.get(key)
                if found:
                    systems |= found
                    used.update(range(i, i + width))
                    i += width
                    break
            else:
                i += 1
        return frozenset(systems), frozenset(used)


@dataclass(frozen=True)
class Question:
    """What a question names and asks."""

    text: str
    words: tuple[str, ...]  # folded words, misspelt system names corrected
    systems: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    years: tuple[int, ...] = ()
    months: tuple[int, ...] = ()
    counts: bool = False  # how many
    sums_missiles: bool = False  # how many missiles (not launch days)
    first: bool = False
    last: bool = False
    nth: int | None = None
    superlative: tuple[str, bool] | None = None  # (figure, largest wins); with nth, the Nth by it
    place: int | None = None  # "the second biggest": the place by the superlative's figure
    flags: frozenset[str] = frozenset()  # true/false figures that must be true ("overflew_japan")
    outcome: str | None = None
    withdrawal: bool = False
    names_dprk: bool = False
    period: tuple[str, str] | None = None  # the tenure of the leader named (ISO dates)
    participants: frozenset[str] = frozenset()  # the states and leaders named, as talks facts name them
    foreign: bool = False  # about another state's own weapons or sanctions
    corrected: tuple[tuple[str, str], ...] = ()
    leftover: tuple[str, ...] = ()  # content words that none of the above explains
    # The English words of the Korean and Japanese subjects and names the question writes ("核実験":
    # nuclear, test): what it is about, read as an English question's words would be.
    meant: frozenset[str] = frozenset()

    @functools.cached_property
    def subject_words(self) -> frozenset[str]:
        """The question's words and the English words of its Korean and Japanese ones."""
        return frozenset(self.words) | self.meant

    @property
    def selects(self) -> bool:
        """Asks for one fact picked by date or by a figure, or for a count."""
        return self.counts or self.first or self.last or self.nth is not None or self.superlative is not None


def understand(
    text: str, vocabulary: SystemVocabulary, stopwords: frozenset[str], *, known: frozenset[str] = frozenset()
) -> Question:
    """What `text` names and asks. Words in `stopwords`, `known` or this module's own word lists are never
    corrected; any other word of four or more letters that no fact holds is (see spelling)."""
    folded = fold(" ".join(text.split()))
    if not folded.isascii():
        folded = cjk_numbers(folded)
    raw = [part for word in tokens(folded) for part in _split_unit(word)]
    cjk = any(is_cjk(word) for word in raw)
    corrected: list[tuple[str, str]] = []
    words: list[str] = []
    for word in raw:
        if word in _ORDINAL_TYPOS:
            corrected.append((word, _ORDINAL_TYPOS[word]))
            words.append(_ORDINAL_TYPOS[word])
            continue
        # A form of a word of the record ("scuds", "terror") is no typo of a system's name.
        fix = None if vocabulary.words.forms(word) else vocabulary.correct(word)
        if fix is None and word not in stopwords and word not in known and word not in _UNDERSTOOD:
            fix = vocabulary.words.correct(word)
        if fix is not None:
            corrected.append((word, fix))
        words.append(fix or word)
    words, span = _year_range(words)
    systems, used = vocabulary.find(words)
    period, leader_words = _leader(words)
    if period is None and cjk:  # "김정은이", "金正恩の": a Korean or Japanese name with a particle attached
        period = next((tenure for name, tenure in _CJK_LEADERS if name in folded), None)
    if span is not None:  # "since 2022", "between 2016 and 2018": within the leader's tenure if one is named
        period = (max(span[0], period[0]), min(span[1], period[1])) if period else span
    used = used | leader_words
    classes = {CLASS_WORDS[w] for w in words if w in CLASS_WORDS}
    if "satellite" in words or "spy" in words or "sat" in words or "위성" in folded or "衛星" in folded:
        classes.add("SLV")
    classes |= {c for w, c in CJK_CLASSES.items() if w in folded}
    years: list[int] = []
    months: list[int] = []
    nth: int | None = None
    first = last = False
    superlative: tuple[str, bool] | None = None
    explained: set[int] = set(used)
    in_english: dict[int, str] = {}  # words searched as English words instead
    written_years = any(re.fullmatch(_YEAR, w) for w in words)
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word.isdigit() and re.fullmatch(_YEAR, word) and i not in used:
            years.append(int(word))
            explained.add(i)
        elif word.isdigit() and len(word) <= 2 and following[:1] in ("년", "年"):
            explained.add(i)
        elif word.isdigit() and len(word) <= 2 and following[:1] in ("월", "月") and 1 <= int(word) <= 12:
            months.append(int(word))
            explained.update((i, i + 1))
            in_english[i] = MONTH_NAMES[int(word) - 1]  # "6月" is searched as "june", not a number
            in_english[i + 1] = ""
        elif word in MONTHS and (word != "may" or any(w.isdigit() for w in words)):
            months.append(MONTHS[word])
            explained.add(i)
            in_english[i] = MONTH_NAMES[MONTHS[word] - 1]  # "dec" as the record writes it: "december"
        elif re.fullmatch(r"\d\d", word) and i > 0 and words[i - 1] in MONTHS and not written_years:
            # "aug 17", "oct '22": a year, unless the question writes one out ("dec 31 2022": a day).
            years.append(int(word) + (1900 if int(word) > 50 else 2000))
            explained.add(i)
        if word in _FIRST_WORDS or (word == "very" and following == "first"):
            first = True
            explained.add(i)
        elif word in _LAST_WORDS:
            last = True
            explained.add(i)
        elif word in ORDINAL_WORDS:
            nth = ORDINAL_WORDS[word]
            explained.add(i)
        if word in SUPERLATIVES and superlative is None:
            superlative = SUPERLATIVES[word]
            explained.add(i)
        if word == "most" and following in ("missiles", "rockets"):
            superlative = ("missiles", True)
            explained.add(i)
        if word in _COMPARATIVES and superlative is None:
            superlative = _COMPARATIVES[word]
            explained.add(i)
    if cjk:
        first, last, superlative = _cjk_intents(folded, first, last, superlative)
    place = None
    if superlative is not None and nth is not None:
        at = next(i for i, w in enumerate(words) if ORDINAL_WORDS.get(w) == nth)
        if at + 1 < len(words) and (words[at + 1] in SUPERLATIVES or words[at + 1] in MORE | LESS):
            place, nth = nth, None  # "second biggest", not the second test
    if nth == 1:
        first, nth = True, None
    if "longest" in words and not (
        classes or systems or {"missile", "missiles", "range", "flown", "flew"} & set(words)
    ):
        superlative = ("duration", True)
    named = named_figure(words)
    if named is not None:
        superlative = named
    elif superlative and superlative[0] == "yield_kt_max" and classes | systems:
        superlative = None  # "largest ICBM": a size, not a yield
    counts = (
        any(p in folded for p in _COUNT_PHRASES if p != "몇")
        or (cjk and "몇" in _KO_NOT_COUNT.sub("", folded))
        or bool(_TOTAL.search(" ".join(words)))
    ) and not (named and named[0] == "missiles")
    after_count = re.search(r"how many (\w+)", folded)
    sums_missiles = bool(after_count and after_count.group(1) in ("missiles", "rockets"))
    outcome = None
    success = _SUCCESS_WORDS - (_GOAL_WORDS if _ATTEMPT_WORDS.intersection(words) else frozenset())
    if success.intersection(words) or "성공" in folded or "成功" in folded:
        outcome = "success"
    elif _FAILURE_WORDS.intersection(words) or "실패" in folded or "失敗" in folded:
        outcome = "failure"
    if outcome == "success" and not last and _FINALLY_WORDS.intersection(words):
        first = True  # "the launch that finally worked": the first that did
    names_dprk = bool(systems) or any(w in _DPRK_WORDS for w in words) or "north korea" in " ".join(words)
    names_dprk = names_dprk or "kim jong" in " ".join(words) or (cjk and any(w in folded for w in _CJK_DPRK))
    foreign = not names_dprk and (
        any(
            (w in FOREIGN_WORDS and not _votes(words, i)) or (cjk and any(f in w for f in _CJK_FOREIGN_WORDS))
            for i, w in enumerate(words)
        )
        or "south africa" in " ".join(words)
        or _participant_weapons(words)
        or (cjk and _cjk_state_weapons(folded))
    )
    leftover = tuple(
        w
        for i, w in enumerate(words)
        if i not in explained
        and w not in stopwords
        and w not in FRAME_WORDS
        and w not in CLASS_WORDS
        and w not in _SUCCESS_WORDS
        and w not in _FAILURE_WORDS
        and w
        not in ("satellite", "satellites", "sat", "space", "nuclear", "nuke", "nukes", "atomic", "times")
        and not w.isdigit()
        and not is_cjk(w)
    )
    return Question(
        text=folded,
        words=tuple(w for i, word in enumerate(words) if (w := in_english.get(i, word))),
        systems=systems,
        classes=frozenset(classes),
        years=tuple(years),
        months=tuple(months),
        counts=counts,
        sums_missiles=sums_missiles,
        first=first,
        last=last,
        nth=nth,
        superlative=superlative,
        place=place,
        flags=frozenset({"overflew_japan"} if over_japan(folded, words) else ()),
        outcome=outcome,
        withdrawal=any(w in WITHDRAWAL_WORDS for w in words) or any(w in folded for w in ("탈퇴", "脱退")),
        names_dprk=names_dprk,
        period=period,
        participants=_participants(words),
        foreign=foreign,
        corrected=tuple(corrected),
        leftover=leftover,
        meant=_cjk_meanings(folded) if cjk else frozenset(),
    )


def _cjk_intents(
    folded: str, first: bool, last: bool, superlative: tuple[str, bool] | None
) -> tuple[bool, bool, tuple[str, bool] | None]:
    """First / last / largest as Korean and Japanese write them, inside words."""
    if any(marker in folded for marker in _CJK_FIRST):
        first = True
    elif any(marker in folded for marker in _CJK_LAST):
        last = True
    if superlative is None:
        if any(marker in folded for marker in _CJK_LARGEST):
            superlative = SUPERLATIVES["largest"]
        elif any(marker in folded for marker in _CJK_HIGHEST):
            superlative = SUPERLATIVES["highest"]
        elif any(marker in folded for marker in _CJK_FARTHEST):
            superlative = SUPERLATIVES["farthest"]
    return first, last, superlative


def _cjk_meanings(folded: str) -> frozenset[str]:
    compact = cjk_compact(folded)
    return frozenset(
        word
        for cjk, english in itertools.chain(CJK_SUBJECTS.items(), CJK_NAMES.items())
        if cjk in compact
        for word in english.split()
    )


_NUMBER_UNIT = re.compile(r"(\d+)(mm|cm|km|kt|mt|kg|t|tons?|tonnes?|m|kms|miles?)")


_TOTAL = re.compile(
    r"\btotal (?:\w+ )?(?:tests|launches|launch days|missiles|resolutions|summits|meetings|rounds|drafts|"
    r"vetoes|sanctions|packages|measures)\b"
)
_FROM_WORDS = frozenset({"since", "after", "from"})
_UNTIL_WORDS = frozenset({"before", "until", "till", "to", "through", "thru"})
# A year followed by one of these names an event ("after the 2009 test"), not the start of a period.
_EVENT_NOUNS = frozenset(
    "test tests nuclear launch launches missile missiles icbm summit talks resolution sanctions vote veto".split()
)


def _year_range(words: list[str]) -> tuple[list[str], tuple[str, str] | None]:
    """A period of years the question asks within ("since 2022", "before 2010", "between 2016 and 2018",
    "from 2017 to 2019"), as ISO dates, and the words without it (its years are no single year asked)."""
    text = " ".join(words)
    year = r"(19[5-9]\d|20[0-4]\d)"
    found = re.search(rf"\b(?:between|from) {year} (?:and|to|until|through) {year}\b", text)
    if found:
        first, last = sorted((found.group(1), found.group(2)))
        return _without(words, found), (f"{first}-01-01", f"{last}-12-31")
    found = re.search(
        rf"\b(since|after|from|before|until|till) {year}\b(?! (?:{'|'.join(_EVENT_NOUNS)})\b)", text
    )
    if found is None:
        return words, None
    start = found.group(1) in _FROM_WORDS
    bound = int(found.group(2))
    span = (
        (f"{bound + (found.group(1) == 'after')}-01-01", "9999-12-31")
        if start
        else ("0000-01-01", f"{bound - 1}-12-31")
    )
    return _without(words, found), span


def _without(words: list[str], found: re.Match[str]) -> list[str]:
    """`words` less those of a match on their joined text."""
    before = " ".join(words)[: found.start()].split()
    return before + " ".join(words)[found.end() :].split()


def _split_unit(word: str) -> tuple[str, ...]:
    """A number run together with its unit, as the record writes them apart: "600mm" -> 600, mm."""
    found = _NUMBER_UNIT.fullmatch(word)
    return found.groups() if found else (word,)


# "With India abstaining", "France voted for it": a state as a voter on a resolution, not a subject.
_VOTE_WORDS = frozenset(
    "abstain abstained abstaining abstention abstentions vote voted voting votes veto vetoed vetoing".split()
)


def _votes(words: Sequence[str], at: int) -> bool:
    return any(w in _VOTE_WORDS for w in words[max(at - 1, 0) : at + 2])


# Korean and Japanese names of states with weapons of their own, and the weapons words that make a question
# about them ("中国のDF-41 ICBM 発射実験", "러시아 핵실험").
_CJK_ARMED_STATES = ("中国", "중국", "러시아", "ロシア", "미국", "米国", "アメリカ", "인도", "インド", "이란", "イラン", "파키스탄", "パキスタン")  # fmt: skip
_CJK_WEAPONS = (
    "icbm",
    "미사일",
    "ミサイル",
    "핵실험",
    "核実験",
    "핵무기",
    "核兵器",
    "발사",
    "発射",
    "탄도",
    "弾道",
)


def _cjk_state_weapons(folded: str) -> bool:
    return any(s in folded for s in _CJK_ARMED_STATES) and any(w in folded for w in _CJK_WEAPONS)


# "How many nuclear weapons does China have", "what missiles has Russia tested": the state as the subject.
_AUXILIARIES = frozenset("does do did has have will can is are was".split())


def _participant_weapons(words: Sequence[str]) -> bool:
    """A state of the record named as the one testing ("russia sarmat icbm test", "china's first nuclear
    test"), not as a place ("over japan") or a sanctioner."""
    for i, word in enumerate(words):
        state = word in PARTICIPANT_STATES or (word == "korea" and i > 0 and words[i - 1] == "south")
        if not state:
            continue
        before = [w for w in words[max(i - 3, 0) : i] if w != "the"]  # "did the US", "sanctions on the US"
        if before[-2:-1] and before[-2] in _MEASURE_WORDS and before[-1] in ("on", "against"):
            return True  # "sanctions on Russia": sanctions on that state, not North Korea's
        if i > 0 and words[i - 1] in _PLACE_PREPOSITIONS:
            continue
        if (
            before
            and before[-1] in _AUXILIARIES
            and any(w in _WEAPON_WORDS for w in words[:i])
            and not any(w in _MEASURE_WORDS for w in words)
        ):
            return True
        after = words[i + 1 : i + 5]
        weapon = next((j for j, w in enumerate(after) if w in _WEAPON_WORDS), None)
        measure = next((j for j, w in enumerate(after) if w in _MEASURE_WORDS), None)
        if weapon is not None and (measure is None or weapon < measure):
            return True  # "us sanctions ... rocket industry": a sanctioner, not a state testing
    return False


def _leader(words: Sequence[str]) -> tuple[tuple[str, str] | None, frozenset[int]]:
    """The tenure of the North Korean leader `words` name, and the positions of the words naming him."""
    for i in range(len(words)):
        if words[i] not in _LEADER_FIRST_WORDS:
            continue
        for name, tenure in LEADERS.items():
            if tuple(words[i : i + len(name)]) == name:
                return tenure, frozenset(range(i, i + len(name)))
    return None, frozenset()


def _participants(words: Sequence[str]) -> frozenset[str]:
    """The states a question about meetings names (Trump -> US, inter-Korean -> South Korea); North Korea
    takes part in every meeting of the record, so it is implied."""
    named = {PARTICIPANT_NAMES[w] for w in words if w in PARTICIPANT_NAMES}
    named |= {
        "South Korea" for a, b in itertools.pairwise(words) if a == "south" and b in ("korea", "korean")
    }
    return frozenset(named)


# Words this module explains: never "corrected" into some other word of the record.
_UNDERSTOOD = (
    frozenset(CLASS_WORDS)
    | frozenset(MONTHS)
    | frozenset(ORDINAL_WORDS)
    | _FIRST_WORDS
    | _LAST_WORDS
    | frozenset(SUPERLATIVES)
    | _SUCCESS_WORDS
    | _FAILURE_WORDS
    | _ATTEMPT_WORDS
    | _FINALLY_WORDS
    | frozenset(_COMPARATIVES)
    | frozenset(_ORDINAL_TYPOS)
    | MORE
    | LESS
    | frozenset(FIGURE_NOUNS)
    | WITHDRAWAL_WORDS
    | _DPRK_WORDS
    | FOREIGN_WORDS
    | PARTICIPANT_STATES
    | _WEAPON_WORDS
    | FRAME_WORDS
    | frozenset(PARTICIPANT_NAMES)
    | frozenset(w for name in LEADERS for w in name)
    | frozenset("nuke nukes atomic satellite satellites space spy times".split())
)
