"""How questions' words meet the record's: word forms (stems), rarity weights, Korean/Japanese character
pairs, dates and units written the way people type them, and what a name-only question must be answered
with."""

from __future__ import annotations

import pytest

from bot.facts.model.query import parse_query, rarer_terms
from bot.facts.model.question import SystemVocabulary, understand
from bot.facts.model.search import STOPWORDS, read_question
from bot.facts.model.spelling import WordVocabulary, stem
from bot.facts.service import FactService

# A small record: how many facts hold each word.
FREQUENCY = {
    "terrorism": 3, "terrorist": 1, "scud": 20, "scuds": 2, "inspection": 4, "inspections": 2,
    "country": 5, "countries": 6, "north": 90, "korea": 95, "launch": 60, "caatsa": 1, "hanoi": 2,
}  # fmt: skip


def test_a_word_is_searched_in_all_the_forms_the_record_writes() -> None:
    words = WordVocabulary.build(FREQUENCY, facts=100)
    assert set(words.forms("terror")) == {"terrorism"}  # Snowball: terrorism -> terror, terrorist stays
    assert set(words.forms("inspect")) == {"inspection", "inspections"}
    assert set(words.forms("country")) == {"country", "countries"}  # a stem that is not a prefix (countri)
    assert words.forms("sarmat") == ()
    assert stem("sanctioned") == stem("sanctions")


def test_a_form_of_a_record_word_is_not_corrected_as_a_typo() -> None:
    words = WordVocabulary.build(FREQUENCY | {"error": 5}, facts=100)
    assert words.correct("terror") is None  # was "error": one edit away, but a form of "terrorism"
    assert words.correct("hanio") == "hanoi"
    vocabulary = SystemVocabulary.build([(("Scud-B",), ()), (("Scud-ER",), ("extended-range Scud",))], words)
    question = understand("three extended range scuds", vocabulary, STOPWORDS)
    assert question.systems == {"Scud-ER"}  # not "corrected" into Scud-B
    assert not question.corrected


def test_rarer_terms_weigh_more_and_the_commonest_are_left_out_of_the_candidate_search() -> None:
    words = WordVocabulary.build(FREQUENCY, facts=100)
    query = parse_query("caatsa north korea", vocabulary=words)
    weight = {word: w for term, w in zip(query.terms, query.weights, strict=True) for word in term}
    assert weight["caatsa"] > 3 * weight["north"]
    assert query.common == {1, 2}
    assert rarer_terms(query) == [("caatsa",)]
    everything_common = parse_query("north korea", vocabulary=words)
    assert {w for term in rarer_terms(everything_common) for w in term} == {
        "dprk",
        "korea",
        "north",
        "pyongyang",
    }


def test_chat_verbs_weigh_little_and_never_pick_the_candidates() -> None:
    words = WordVocabulary.build(FREQUENCY | {"put": 1, "part": 2, "took": 1}, facts=100)
    query = parse_query("put caatsa", vocabulary=words)
    weight = {term[0]: w for term, w in zip(query.terms, query.weights, strict=True)}
    assert weight["put"] < weight["caatsa"] / 3  # as rare as "caatsa" in the record, but only chat
    assert rarer_terms(query) == [("caatsa",)]
    assert rarer_terms(parse_query("put north korea", vocabulary=words)) != [("put",)]
    took_part = parse_query("who took part in hanoi", vocabulary=words)
    assert {term[0] for i, term in enumerate(took_part.terms) if i in took_part.chat} == {"took", "part"}
    assert not parse_query("part of hanoi", vocabulary=words).chat  # "part" alone is a word like any


def test_kim_jong_uns_un_is_not_the_united_nations() -> None:
    leader = parse_query("sanctions after kim jong un first test")
    assert not leader.names_un
    assert ("un",) in leader.terms
    assert parse_query("un sanctions after the first test").names_un


def test_a_korean_or_japanese_subject_word_is_found_in_a_facts_english_words() -> None:
    query = parse_query("日本の制裁")
    meanings = dict(zip(query.grams, query.gram_meanings, strict=True))
    assert "sanctions" in meanings["制裁"]
    assert "japan" in meanings["日本"]
    assert not meanings["の制"]  # a pair across two words means nothing


def test_korean_and_japanese_pairs_weigh_by_rarity_and_unknown_pairs_little() -> None:
    words = WordVocabulary.build(FREQUENCY, facts=100, grams={"하노": 1, "회담": 30})
    assert words.gram_weight("하노") > 2 * words.gram_weight("회담")
    assert words.gram_weight("이유") < words.gram_weight("회담")  # in no name: a particle or a word boundary


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2019年6月 板門店", ("2019", "年", "june", "板門店")),
        ("2024년 9월 발사", ("2024", "년", "september", "발사")),
        ("600mm rocket launcher", ("600", "mm", "rocket", "launcher")),
        ("1000km range", ("1000", "km", "range")),
        ("kn23 test", ("kn23", "test")),
    ],
)
def test_dates_and_units_are_read_as_the_record_writes_them(text: str, words: tuple[str, ...]) -> None:
    question = understand(text, SystemVocabulary(), STOPWORDS)
    assert question.words == words


async def test_a_question_naming_only_a_name_is_answered_with_a_fact_holding_it(
    seeded_service: FactService,
) -> None:
    off_topic = await seeded_service.answer("how far is the moon from earth")  # Moon Jae-in is in the record
    assert off_topic.refused
    on_topic = await seeded_service.answer("moon jae-in")
    assert not on_topic.refused
    assert on_topic.best is not None
    assert "Moon" in on_topic.best.summary


async def test_the_vocabulary_carries_the_record_counts(seeded_service: FactService) -> None:
    vocabulary = await seeded_service.system_vocabulary()
    assert vocabulary.words.facts == await seeded_service.facts.current_count()
    assert vocabulary.words.grams.get("핵실", 0) >= 6  # 핵실험: every nuclear test's Korean name
    query, _ = read_question("caatsa north korea part", vocabulary)
    assert query.weights[0] == max(query.weights)


@pytest.mark.parametrize(
    ("text", "period", "years"),
    [
        ("south korean sanctions since 2022", ("2022-01-01", "9999-12-31"), ()),
        ("launches after 2020", ("2021-01-01", "9999-12-31"), ()),
        ("launches before 2000", ("0000-01-01", "1999-12-31"), ()),
        ("launches between 2016 and 2017", ("2016-01-01", "2017-12-31"), ()),
        ("sanctions after the 2009 nuclear test", None, (2009,)),  # a year naming the event
        ("resolution after 2006 test", None, (2006,)),
    ],
)
def test_periods_of_years(text: str, period: tuple[str, str] | None, years: tuple[int, ...]) -> None:
    question = understand(text, SystemVocabulary(), STOPWORDS)
    assert question.period == period
    assert question.years == years


async def test_counts_over_a_period_and_in_other_words(seeded_service: FactService) -> None:
    since = await seeded_service.answer("how many south korean sanctions since 2022")
    in_2022 = await seeded_service.answer("how many south korean sanctions in 2022")
    assert since.kind == in_2022.kind == "count"
    assert since.count is not None
    assert in_2022.count is not None
    assert since.count > in_2022.count
    assert all(f.date.year >= 2022 and f.figures["issuer"] == "south_korea" for f in since.facts)
    for text in ("count of inter-korean summits", "total nuclear tests"):
        assert (await seeded_service.answer(text)).kind == "count", text


async def test_chat_verbs_do_not_make_a_question_less_about_the_record(seeded_service: FactService) -> None:
    answer = await seeded_service.answer("when did kim give up on reunification")
    assert not answer.refused
    assert answer.best is not None
    assert answer.best.id == "two-hostile-states-2023"
