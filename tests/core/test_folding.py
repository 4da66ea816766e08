"""Folding keeps Hangul, kana and kanji, and cuts them into character pairs for search."""

from __future__ import annotations

import unicodedata

from bot.core.folding import cjk_grams, fold, name_key, tokens
from bot.facts.model.question import SystemVocabulary
from bot.facts.model.search import parse_query


def test_latin_diacritics_are_stripped_but_hangul_and_kana_are_kept() -> None:
    assert tokens("Hwasŏng-15") == ["hwasong", "15"]
    assert tokens("화성-15형") == ["화성", "15", "형"]
    assert fold("がぎぐ") == "がぎぐ"  # voicing marks are part of the letter
    assert tokens("ＩＣＢＭ") == ["icbm"]
    assert name_key("北朝鮮の核実験") == "北朝鮮の核実験"


def test_cjk_text_is_cut_into_character_pairs() -> None:
    assert cjk_grams("6차 핵실험") == ["차", "핵실", "실험"]
    assert set(cjk_grams("核実験")) <= set(cjk_grams("北朝鮮の6回目の核実験"))
    assert cjk_grams("hwasong 15") == []


def test_numbers_next_to_korean_and_japanese_counters_are_ordinals() -> None:
    assert parse_query("6차 핵실험").ordinals == (6,)
    assert parse_query("第6回核実験").ordinals == (6,)
    assert parse_query("北朝鮮 核実験").grams


def test_system_spellings_and_misspellings_are_recognised() -> None:
    vocabulary = SystemVocabulary.build(
        [(("Hwasong-15",), ("KN-22", "火星15", "화성-15형", "29 November 2017"))]
    )
    for text in ("hwasong 15", "hs 15", "kn22", "火星 15", "화성 15 형"):
        assert vocabulary.find(tokens(text))[0] == {"Hwasong-15"}, text
    assert vocabulary.correct("hwasnog") == "hwasong"
    assert vocabulary.find(tokens("29 november 2017"))[0] == frozenset()
    # The number of a system name is not a year, a resolution or a day of the month.
    query = parse_query("hwasong 19", system_words=frozenset({0, 1}))
    assert query.numbers == ()
    assert query.years == ()


def _fold_whole(text: str) -> str:
    """fold() as first written: the whole text decomposed, marks dropped, recomposed (the reference for
    folding only the runs of non-ASCII characters)."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c in "\u3099\u309a")
    return unicodedata.normalize("NFC", kept).casefold()


def test_folding_runs_of_other_characters_folds_as_the_whole_text_would() -> None:
    samples = [
        "Hwasŏng-15 화성-15형 北朝鮮の核実験 ＩＣＢＭ Ångström e\u0301 か\u3099 ﬁ İ ß",
        *(f"a{chr(code)}b{chr(code)}\u3099" for code in range(0x80, 0x3100)),
        *(f"{chr(code)}e e{chr(code)}" for code in range(0xAC00, 0xAD00)),
        *(f"x{chr(code)}" for code in range(0xFF00, 0xFFF0)),
    ]
    for text in samples:
        assert fold(text) == _fold_whole(text), ascii(text)
