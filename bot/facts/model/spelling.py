"""The record's words as questions are matched against them: word forms (stems), how rare each word is,
and typo correction.

Forms: "scuds", "terror", "inspections" find the facts that write "Scud", "terrorism", "inspection": a
question's word is searched as every word of the record with the same Snowball stem. Rarity: a word few
facts hold says more about which fact is meant than one most facts hold ("caatsa" against "north");
ranking weighs a question's terms by it (inverse document frequency).

Typos: a word of four or more letters that no fact holds, in no form, is replaced by the closest word that
facts do hold ("agred framwork" -> agreed framework, "hanio" -> hanoi). Closeness is the optimal string
alignment distance (a swap of two neighbouring letters is one edit, so "hanio" is as close to "hanoi" as
"hanoj"): one edit for words of up to eight letters, two for longer ones; ties go to the word more facts
hold.

The vocabulary is the search index's own words with how many facts hold each, built once per version of
the facts (FactService); a word's forms and correction are worked out the first time a question uses it
and remembered for that version.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LENGTH = 4
LONG_WORD = 9  # from this length on two edits are allowed ("reaction" is not "reactor")
MIN_STEMMED = 3  # shorter words are taken as written ("un", "us", "eo")
FORMS_REMEMBERED = 50_000
UNKNOWN_GRAM_WEIGHT = 1.0
COMMON_SHARE = 0.5
_STEMMER = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a folded Latin word: sanctions, sanctioned -> sanction."""
    if len(word) < MIN_STEMMED or not word.isascii() or not word.isalpha():
        return word
    return str(_STEMMER.stemWord(word))


CORRECTIONS_KEPT = 20_000


@dataclass(frozen=True)
class WordVocabulary:
    """The record's words and how many facts hold each."""

    frequency: Mapping[str, int] = field(default_factory=dict)
    candidates: tuple[str, ...] = ()  # the Latin words of MIN_LENGTH letters or more: what typos become
    facts: int = 0  # how many facts the frequencies were counted over
    latin: tuple[str, ...] = ()  # every Latin word, sorted: the words sharing a stem are neighbours
    grams: Mapping[str, int] = field(default_factory=dict)  # Korean/Japanese pairs of names (topics)
    _forms: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    # Words already looked up and what they became: the same words come in question after question.
    corrected: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(
        cls, frequency: Mapping[str, int], facts: int = 0, grams: Mapping[str, int] | None = None
    ) -> WordVocabulary:
        latin = sorted(w for w in frequency if w.isascii() and w.isalpha())
        candidates = tuple(w for w in latin if len(w) >= MIN_LENGTH)
        total = facts or max(frequency.values(), default=0)
        return cls(dict(frequency), candidates, total, tuple(latin), dict(grams or {}))

    def __contains__(self, word: object) -> bool:
        return word in self.frequency

    def forms(self, word: str) -> tuple[str, ...]:
        """The record's words with the same stem as `word` (perhaps `word` itself), rarest last."""
        found = self._forms.get(word)
        if found is None:
            if len(self._forms) >= FORMS_REMEMBERED:
                self._forms.clear()  # rare: many distinct words within one version of the facts
            found = self._forms[word] = self._find_forms(word)
        return found

    def _find_forms(self, word: str) -> tuple[str, ...]:
        if len(word) < MIN_STEMMED or not word.isascii() or not word.isalpha():
            return (word,) if word in self.frequency else ()
        root = stem(word)
        # A stem is the word's start but for its last letter or two (countries -> countri, country):
        # the words that can share it start with the stem less one letter.
        prefix = root[: max(MIN_STEMMED, len(root) - 1)]
        start = bisect.bisect_left(self.latin, prefix)
        found = []
        for other in self.latin[start:]:
            if not other.startswith(prefix):
                break
            if stem(other) == root:
                found.append(other)
        return tuple(sorted(found, key=lambda w: -self.frequency.get(w, 0)))

    def document_frequency(self, words: Iterable[str]) -> int:
        """How many facts hold the commonest of `words` (a term's alternatives)."""
        return max((self.frequency.get(w, 0) for w in words), default=0)

    def weight(self, words: Iterable[str]) -> float:
        """How much a term with these alternatives says: its inverse document frequency, a word no fact
        holds counting as one that a single fact holds."""
        df = self.document_frequency(words)
        return max(math.log((self.facts + 1) / (max(df, 1) + 0.5)), 0.1)

    def is_common(self, words: Iterable[str]) -> bool:
        """Whether a term with these alternatives is held by more than COMMON_SHARE of the facts."""
        return self.document_frequency(words) > COMMON_SHARE * self.facts

    def gram_weight(self, gram: str) -> float:
        """How much a Korean/Japanese character pair says, as `weight` for a word; but a pair no name
        holds is mostly one across two words or a particle ("で会" of "板門店で会談"): it counts little."""
        df = self.grams.get(gram, 0)
        return max(math.log((self.facts + 1) / (df + 0.5)), 0.1) if df else UNKNOWN_GRAM_WEIGHT

    def correct(self, word: str) -> str | None:
        """The record's word a misspelt `word` means, if one is close enough; None for known words and
        other forms of them."""
        if word not in self.corrected:
            if len(self.corrected) >= CORRECTIONS_KEPT:
                self.corrected.clear()  # rare: a simple bound
            self.corrected[word] = self._closest(word)
        return self.corrected[word]

    def _closest(self, word: str) -> str | None:
        if (
            not self.candidates
            or len(word) < MIN_LENGTH
            or not word.isascii()
            or not word.isalpha()
            or word in self.frequency
            or self.forms(word)
        ):
            return None
        most = 1 if len(word) < LONG_WORD else 2
        found = process.extract(word, self.candidates, scorer=OSA.distance, score_cutoff=most, limit=8)
        if not found:
            return None
        best = min(distance for _, distance, _ in found)
        closest = [w for w, distance, _ in found if distance == best]
        return max(closest, key=lambda w: (self.frequency.get(w, 0), -abs(len(w) - len(word))))
