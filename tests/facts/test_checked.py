"""`checked`: when a fact was last verified against its sources, from the model to the store and files."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.core.errors import Conflict
from bot.dataset.loader import read_facts_file
from bot.db.database import Database
from bot.facts import render
from bot.facts.model.fact import FactDate, InvalidFact, month_of, parse_fact
from bot.facts.model.interchange import export_csv, export_json, parse_import
from bot.facts.store import FactStore
from bot.moderation.store import Editor, FactEditStore
from cogs.moderation import months_before
from tests.conftest import fact_record

TODAY = date(2026, 12, 7)
MOD = Editor(42, "mod")


# --- the model -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2026-11", "2026-12", "2026-12-07", "2019-02-28"])
def test_a_month_or_a_day_up_to_today_is_accepted(value: str) -> None:
    fact = parse_fact(fact_record(checked=value), today=TODAY)
    assert fact.checked == FactDate.parse(value)
    assert fact.content()["checked"] == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2027-01", "in the future"),
        ("2026-12-08", "in the future"),
        ("2026", "not a month or a day"),
        ("2026-13", "there is no month 13"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("December 2026", "not a date"),
        (202611, "not a date"),
    ],
)
def test_a_future_or_malformed_checked_is_refused(value: object, message: str) -> None:
    with pytest.raises(InvalidFact) as caught:
        parse_fact(fact_record(checked=value), today=TODAY)
    assert any(p.startswith("checked:") and message in p for p in caught.value.problems), caught.value


def test_checked_is_optional_in_the_model_and_only_records_judged_against_today_are_refused() -> None:
    assert parse_fact(fact_record()).checked is None
    assert "checked" not in parse_fact(fact_record()).content()
    # A stored revision is parsed without `today`: a clock ahead of the calendar never breaks it.
    assert parse_fact(fact_record(checked="2099-01")).checked == FactDate(2099, 1)


def test_the_month_of_a_day_and_the_cutoff_for_stale_facts() -> None:
    assert month_of(TODAY) == FactDate(2026, 12)
    assert months_before(2026, 12, 12) == FactDate(2025, 12)
    assert months_before(2026, 1, 1) == FactDate(2025, 12)
    assert months_before(2026, 3, 27) == FactDate(2023, 12)


def test_the_card_shows_when_the_fact_was_checked() -> None:
    card = render.fact_card(parse_fact(fact_record(checked="2026-11")))
    assert card.footer.text is not None
    assert card.footer.text.endswith("· Checked 2026-11")
    unchecked = render.fact_card(parse_fact(fact_record()))
    assert "Checked" not in (unchecked.footer.text or "")


# --- the dataset files ---------------------------------------------------------------------------


def _facts_file(tmp_path: Path, checked_line: str) -> Path:
    path = tmp_path / "facts.toml"
    path.write_text(
        f"""
[[fact]]
id = "a-summit"
kind = "summit"
title = "A summit"
date = "2018-06-12"
{checked_line}
summary = "s"
figures = {{ participants = ["US"] }}
sources = [{{ url = "https://example.org/a", publisher = "P" }}]
"""
    )
    return path


def test_the_dataset_requires_checked_and_refuses_a_future_one(tmp_path: Path) -> None:
    missing = read_facts_file(_facts_file(tmp_path, ""), today=TODAY)
    assert missing.facts == []
    assert "facts.toml: fact 1 (a-summit): checked is missing" in missing.problems[0]
    future = read_facts_file(_facts_file(tmp_path, 'checked = "2027-01"'), today=TODAY)
    assert future.facts == []
    assert "checked: '2027-01' is in the future" in future.problems[0]
    good = read_facts_file(_facts_file(tmp_path, 'checked = "2026-12"'), today=TODAY)
    assert good.problems == []
    assert good.facts[0].checked == FactDate(2026, 12)


# --- export and import ---------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_an_export_import_round_trip_keeps_checked(file_format: str) -> None:
    facts = [
        parse_fact(fact_record("checked-by-month", checked="2026-11")),
        parse_fact(fact_record("checked-by-day", checked="2025-03-14")),
        parse_fact(fact_record("never-checked")),
    ]
    text = export_json(facts) if file_format == "json" else export_csv(facts)
    back = parse_import(text.encode(), file_format, today=TODAY)
    assert back.rejected == ()
    assert [f.checked for f in back.facts] == [FactDate(2026, 11), FactDate(2025, 3, 14), None]
    assert back.facts == tuple(facts)


def test_the_csv_export_has_a_checked_column_after_end_date() -> None:
    header = export_csv([parse_fact(fact_record(checked="2026-11"))]).splitlines()[0].split(",")
    assert header[header.index("end_date") + 1] == "checked"


def test_an_import_refuses_a_checked_date_in_the_future() -> None:
    data = json.dumps([fact_record("from-the-future", checked="2027-02")]).encode()
    parsed = parse_import(data, "json", today=TODAY)
    assert parsed.facts == ()
    assert parsed.rejected[0][0] == "from-the-future"
    assert "in the future" in parsed.rejected[0][1]


async def test_importing_a_file_without_checked_keeps_the_stored_one(fact_store: FactStore) -> None:
    await fact_store.seed([parse_fact(fact_record("kept", checked="2026-11"))], "v1")
    old_file = [parse_fact(fact_record("kept"))]  # an export from before the field existed
    report = await fact_store.import_facts(old_file, editor_id=1, editor_name="m", dry_run=False)
    assert report.unchanged == ("kept",)
    stored = await fact_store.get_fact("kept")
    assert stored is not None
    assert stored.checked == FactDate(2026, 11)
    newer = [parse_fact(fact_record("kept", checked="2026-12"))]
    report = await fact_store.import_facts(newer, editor_id=1, editor_name="m", dry_run=False)
    assert report.changed == ("kept",)
    stored = await fact_store.get_fact("kept")
    assert stored is not None
    assert stored.checked == FactDate(2026, 12)


# --- the store -----------------------------------------------------------------------------------


async def test_an_edit_that_changes_only_checked_changes_nothing(
    database: Database, fact_store: FactStore
) -> None:
    await fact_store.seed([parse_fact(fact_record("summit-x", checked="2026-11"))], "v1")
    edits = FactEditStore(database)
    same = parse_fact(fact_record("summit-x", checked="2026-12"))
    with pytest.raises(Conflict, match="Nothing changed"):
        await edits.edit_fact(same, base_revision=1, editor=MOD)
    stored = await fact_store.get_fact("summit-x")
    assert stored is not None
    assert (stored.revision, stored.checked) == (1, FactDate(2026, 11))
    changed = replace(same, summary="Corrected.")
    await edits.edit_fact(changed, base_revision=1, editor=MOD)
    stored = await fact_store.get_fact("summit-x")
    assert stored is not None
    assert (stored.revision, stored.checked) == (2, FactDate(2026, 12))


async def test_unchecked_since_lists_never_checked_then_the_oldest_check_first(
    fact_store: FactStore, database: Database
) -> None:
    records = [
        fact_record("recent", checked="2026-11"),
        fact_record("old-day", checked="2024-05-20"),
        fact_record("older", checked="2023-01"),
        fact_record("same-month-as-cutoff", checked="2025-12"),
        fact_record("never"),
        fact_record("retired-old", checked="2020-01"),
    ]
    await fact_store.seed([parse_fact(r) for r in records], "v1")
    await FactEditStore(database).retire_fact("retired-old", editor=MOD, reason="gone")
    stale = await fact_store.unchecked_since("2025-12")
    assert [f.id for f in stale] == ["never", "older", "old-day"]
    assert stale[1].checked == FactDate(2023, 1)
