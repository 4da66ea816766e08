"""Moderator forms: typed text to a fact and back, every problem named, and readable diffs."""

from __future__ import annotations

import pytest

from bot.facts.model.fact import InvalidFact, parse_fact
from bot.moderation.model.drafts import (
    Draft,
    draft_from_fact,
    draft_like,
    draft_to_fact,
    figures_template,
    parse_figures,
    parse_sources,
)
from bot.moderation.model.revisions import describe_changes
from bot.moderation.model.wording import explain
from tests.conftest import fact_record

LAUNCH = Draft(
    kind="missile_launch",
    fact_id="launch-2030-01-02",
    title="Test launch",
    dates="2030-01-02",
    summary="A launch.",
    body="Body.",
    figures="systems: Hwasong-20, KN-99\nsystem_classes: ICBM\nmissiles: 1\noutcome: success\napogee_km: 6,000\n"
    "overflew_japan: no",
    sources="https://example.org/a | Example Agency | A title",
    aliases="HS-20\nHwasong 20",
)


def test_a_complete_draft_becomes_a_typed_fact() -> None:
    fact = draft_to_fact(LAUNCH)
    assert fact.figures == {
        "systems": ["Hwasong-20", "KN-99"],
        "system_classes": ["ICBM"],
        "missiles": 1,
        "outcome": "success",
        "apogee_km": 6000,
        "overflew_japan": False,
    }
    assert fact.sources[0].publisher == "Example Agency"
    assert fact.aliases == ("HS-20", "Hwasong 20")


def test_every_problem_in_a_draft_is_named() -> None:
    bad = LAUNCH.with_text(
        dates="2017-02-30", figures="missiles: many\nnonsense line", sources="not a url | P"
    )
    with pytest.raises(InvalidFact) as caught:
        draft_to_fact(bad)
    problems = "\n".join(caught.value.problems)
    assert "February 2017 has 28 days" in problems
    assert "figures line 2" in problems
    assert "'missiles' must be integer" in problems
    assert "not a well-formed http(s) URL" in problems
    assert "'systems' is required" in problems


def test_a_date_range_is_typed_with_to() -> None:
    fact = draft_to_fact(LAUNCH.with_text(dates="2030-01-02 to 2030-01-03"))
    assert fact.end_date is not None
    assert fact.end_date.iso() == "2030-01-03"


def test_a_fact_round_trips_through_its_draft() -> None:
    fact = parse_fact(
        fact_record(
            "round-trip",
            date="2018-06-12",
            end_date="2018-06-13",
            aliases=["A", "B"],
            tags=["t"],
            note="n",
            figures={"participants": ["US", "DPRK"], "venue": "Sentosa"},
        )
    )
    assert draft_to_fact(draft_from_fact(fact)).content() == fact.content()


def test_the_figures_template_lists_required_names_first() -> None:
    lines = figures_template("missile_launch").splitlines()
    # Plain words, not the stored names: "Class", not "system_classes".
    assert lines[:4] == ["Systems: ", "Class: ", "Missiles: ", "Outcome: "]
    assert "Apogee (km): " in lines


def test_figures_are_read_by_label_unit_label_or_stored_name() -> None:
    figures, problems = parse_figures(
        "missile_launch",
        "systems: Hwasong-18\nCLASS: ICBM\nMissiles: 1\noutcome: success\nApogee (km): 6,000",
    )
    assert not problems
    assert figures == {
        "systems": ["Hwasong-18"],
        "system_classes": ["ICBM"],
        "missiles": 1,
        "outcome": "success",
        "apogee_km": 6000,
    }


@pytest.mark.parametrize(
    ("kind", "raw", "plain", "form"),
    [
        ("missile_launch", "figure 'systems' is required for missile_launch",
         "Systems is required for a missile launch", "details"),
        ("summit", "figure 'participants' is required for summit",
         "Participants is required for a summit", "details"),
        ("missile_launch", "figure 'missiles' must be integer (got 'many')",
         "Missiles must be a whole number (got 'many')", "details"),
        ("summit", "at least one source is required", "At least one source is required", "details"),
        ("summit", "date: February 2017 has 28 days", "Date: February 2017 has 28 days", "text"),
        ("summit", "title is missing", "Title is missing", "text"),
        ("summit", "x: responds_to names unknown id 'nope'", "In response to: no fact has the id 'nope'",
         "links"),
        ("summit", "date_uncertain must be yes or no", "Date uncertain must be yes or no", "links"),
        ("unilateral", "issuer must be one of us, japan", "Issued by must be one of us, japan", "details"),
    ],
)  # fmt: skip
def test_problems_are_said_in_plain_words_with_their_form(kind: str, raw: str, plain: str, form: str) -> None:
    problem = explain(kind, raw)
    assert (problem.text, problem.form) == (plain, form)


def test_links_tags_note_and_date_uncertain_are_typed_in_the_draft() -> None:
    fact = draft_to_fact(
        LAUNCH.with_text(
            links="launch-2017-11-29", responds_to="nuclear-test-6", tags="icbm, test", note="A note.",
            date_uncertain="yes",
        )
    )  # fmt: skip
    assert (fact.related, fact.responds_to, fact.tags) == (
        ("launch-2017-11-29",),
        ("nuclear-test-6",),
        ("icbm", "test"),
    )
    assert (fact.note, fact.date_uncertain) == ("A note.", True)
    with pytest.raises(InvalidFact, match="date_uncertain must be yes or no"):
        draft_to_fact(LAUNCH.with_text(date_uncertain="maybe"))


def test_a_draft_kept_before_the_links_form_reads_its_extra_fields() -> None:
    old = '{"kind": "summit", "extra": {"tags": ["a", "b"], "note": "n", "responds_to": [], "date_uncertain": true}}'
    draft = Draft.from_json(old)
    assert (draft.tags, draft.note, draft.date_uncertain, dict(draft.extra)) == ("a\nb", "n", "yes", {})


def test_a_like_draft_takes_figures_publishers_and_tags_not_the_text() -> None:
    similar = draft_to_fact(
        LAUNCH.with_text(sources="https://example.org/a | Example Agency | A title | 2030-01-02")
    )
    draft = draft_like("missile_launch", similar)
    assert "Systems: Hwasong-20, KN-99" in draft.figures.splitlines()
    assert "Apogee (km): 6000" in draft.figures.splitlines()
    assert draft.sources == "https://… | Example Agency"
    assert (draft.title, draft.dates, draft.summary) == ("Test launch", "", "")


def test_diffs_read_like_a_changelog() -> None:
    old = parse_fact(fact_record("d", summary="Old.", aliases=["A"])).content()
    new = parse_fact(
        fact_record("d", summary="New.", aliases=["B"], figures={"participants": ["US"], "venue": "Hanoi"})
    ).content()
    lines = describe_changes(old, new)
    assert "Summary: Old. → New." in lines
    assert "Removed alias: A" in lines
    assert "Added alias: B" in lines
    assert "Participants: US, DPRK → US" in lines
    assert "Venue: — → Hanoi" in lines
    assert describe_changes(None, new)[0] == "Created: Title of d (d)"
    launch = parse_fact(
        fact_record(
            "l",
            kind="missile_launch",
            figures={
                "systems": ["Hwasong-15"],
                "system_classes": ["ICBM"],
                "missiles": 1,
                "outcome": "success",
            },
        )
    )
    later = parse_fact(
        fact_record(
            "l",
            kind="missile_launch",
            date_uncertain=True,
            responds_to=["d"],
            figures={
                "systems": ["Hwasong-17"],
                "system_classes": ["ICBM"],
                "missiles": 1,
                "outcome": "success",
            },
        )
    )
    lines = describe_changes(launch.content(), later.content())
    assert lines == [
        "Date uncertain: no → yes",
        "Systems: Hwasong-15 → Hwasong-17",
        "Added in response to: d",
    ]


def test_every_dataset_fact_survives_an_unchanged_edit(dataset) -> None:  # type: ignore[no-untyped-def]
    """Opening the forms and saving without touching anything changes nothing, for every fact: source
    dates, aliases with commas ("29 May, 1993"), list figures whose items hold commas, notes, tags and
    links all come back exactly."""
    changed = []
    for fact in dataset.facts:
        back = draft_to_fact(draft_from_fact(fact))
        if back.content() != fact.content():
            differing = [k for k, v in fact.content().items() if back.content().get(k) != v]
            changed.append(f"{fact.id}: {differing}")
    assert not changed, changed


def test_a_source_date_and_a_title_with_a_bar_round_trip() -> None:
    sources, problems = parse_sources(
        "https://a.example/1 | Publisher | A | B title | 2019-06-30\nhttps://b.example/2 | Other |  | 2019\n"
        "https://c.example/3 | Third | Title only"
    )
    assert not problems
    assert sources == [
        {
            "url": "https://a.example/1",
            "publisher": "Publisher",
            "title": "A | B title",
            "date": "2019-06-30",
        },
        {"url": "https://b.example/2", "publisher": "Other", "date": "2019"},
        {"url": "https://c.example/3", "publisher": "Third", "title": "Title only"},
    ]
