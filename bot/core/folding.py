"""Text folding shared by search and the store: lowercase, diacritics stripped, split into words.

Latin letters lose their diacritics (Hwasŏng -> hwasong); Hangul, kana and kanji are kept whole
(a Hangul syllable is recomposed after decomposition, and kana keep their voicing marks: が stays が).
Korean, Japanese and Chinese text is also cut into overlapping character pairs (`cjk_grams`), because
Japanese and Chinese are written without spaces and Korean attaches particles to words: "北朝鮮の核実験"
and "核実験" share the pairs 核実 and 実験.
"""

from __future__ import annotations

import re
import unicodedata

# Hangul jamo and syllables, kana (not the ・ separator), CJK ideographs (extension A, compatibility
# ideographs). Migration 0006 spells the same ranges in SQL.
CJK_CLASS = (
    "\u1100-\u11ff\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\u3131-\u318e\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff"
)
_TOKEN = re.compile(rf"[a-z0-9]+|[{CJK_CLASS}]+")
_CJK_RUN = re.compile(rf"[{CJK_CLASS}]+")
# Kana voicing marks are combining characters, but part of the letter (か + ゙ = が): never stripped.
_KEPT_MARKS = frozenset("\u3099\u309a")


_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """Lowercase and strip diacritics, as the FTS tokenizer does (Hwasŏng -> hwasong); full-width forms
    become ordinary ones (ＩＣＢＭ -> icbm) and Hangul, kana and kanji are kept."""
    if text.isascii():  # nothing to strip: the common case, and a hot path
        return text.casefold()
    # Only the runs of other characters are decomposed and recomposed (ASCII is neither, and never
    # composes with a neighbour): a long English text with a Korean name costs what the name costs.
    return _NOT_ASCII.sub(_fold_run, text).casefold()


def _fold_run(match: re.Match[str]) -> str:
    decomposed = unicodedata.normalize("NFKD", match.group())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c in _KEPT_MARKS)
    return unicodedata.normalize("NFC", kept)


def tokens(text: str) -> list[str]:
    """Words: runs of Latin letters and digits, and runs of Hangul, kana or kanji ("화성-15형" -> 화성, 15, 형)."""
    return _TOKEN.findall(fold(text))


def is_cjk(word: str) -> bool:
    return bool(word) and _CJK_RUN.fullmatch(word) is not None


def cjk_grams(text: str) -> list[str]:
    """The overlapping character pairs of every Hangul, kana or kanji run (a lone character stands for
    itself), in order, without repeats: "6차 핵실험" -> 차, 핵실, 실험."""
    grams: dict[str, None] = {}
    for run in _CJK_RUN.findall(fold(text)):
        if len(run) == 1:
            grams[run] = None
        for i in range(len(run) - 1):
            grams[run[i : i + 2]] = None
    return list(grams)


def name_key(text: str) -> str:
    """A name as autocomplete compares it: folded words joined by single spaces, so that what someone
    types is a prefix of it ("hwasong 1" and "Hwasŏng-1" both lead to "hwasong 15 icbm test")."""
    return " ".join(tokens(text))
