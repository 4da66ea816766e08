"""Typo correction for every word the record uses: a word of four or more letters that no fact holds is
replaced by the closest word that facts do hold ("agred framwork" -> agreed framework, "hanio" -> hanoi).

The vocabulary is the search index's own words with how many facts hold each, built once per version of
the facts (FactService). Closeness is the optimal string alignment distance (a swap of two neighbouring
letters is one edit, so "hanio" is as close to "hanoi" as "hanoj"): one edit for words of up to eight
letters, two for longer ones; ties go to the word more facts hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LENGTH = 4
LONG_WORD = 9  # from this length on two edits are allowed ("reaction" is not "reactor")
CORRECTIONS_KEPT = 20_000


@dataclass(frozen=True)
class WordVocabulary:
    """The record's words and how many facts hold each."""

    frequency: Mapping[str, int] = field(default_factory=dict)
    candidates: tuple[str, ...] = ()  # the Latin words of MIN_LENGTH letters or more: what typos become
    # Words already looked up and what they became: the same words come in question after question.
    corrected: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, frequency: Mapping[str, int]) -> WordVocabulary:
        candidates = sorted(w for w in frequency if len(w) >= MIN_LENGTH and w.isascii() and w.isalpha())
        return cls(dict(frequency), tuple(candidates))

    def __contains__(self, word: object) -> bool:
        return word in self.frequency

    def correct(self, word: str) -> str | None:
        """The record's word a misspelt `word` means, if one is close enough; None for known words."""
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
        ):
            return None
        most = 1 if len(word) < LONG_WORD else 2
        found = process.extract(word, self.candidates, scorer=OSA.distance, score_cutoff=most, limit=8)
        if not found:
            return None
        best = min(distance for _, distance, _ in found)
        closest = [w for w, distance, _ in found if distance == best]
        return max(closest, key=lambda w: (self.frequency.get(w, 0), -abs(len(w) - len(word))))
