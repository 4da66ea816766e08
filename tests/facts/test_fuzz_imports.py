"""Fuzz: /factmod import with malformed, mis-encoded and huge files; CSV export never runs formulas.

A dry run never changes the record; a file that is refused changes nothing; a file that is accepted can
be confirmed and its facts shown, within Discord's limits and without pings.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from bot.facts.model.fact import parse_fact
from bot.facts.model.interchange import MAX_IMPORT_FACTS, export_csv, parse_import
from tests.conftest import WatchEnv, fact_record
from tests.emulator.messages import Upload
from tests.fuzz_settings import assert_answered_well, database_digest, fuzz_settings, nasty_text

NASTY_CELL = nasty_text(0, 200)


def records(values: list[str]) -> list[dict]:
    """Valid records whose free text is the fuzzed values."""
    out = []
    for n, value in enumerate(values):
        out.append(
            fact_record(
                f"fuzz-import-{n}",
                title=("Imported " + value)[:200] or "Imported",
                summary=("S " + value)[:300],
                body=value,
                aliases=[value[:100]] if value.strip() else [],
                sources=[{"url": "https://example.org/import", "publisher": ("P " + value)[:200]}],
            )
        )
    return out


@st.composite
def import_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file name and bytes: valid exports, mutated ones, other encodings, and structural junk."""
    values = draw(st.lists(NASTY_CELL, min_size=1, max_size=4))
    as_csv = draw(st.booleans())
    text = export_csv_records(records(values)) if as_csv else json.dumps(records(values), ensure_ascii=False)
    mutation = draw(
        st.sampled_from(
            ["none", "none", "truncate", "flip", "splice", "utf-16", "latin-1", "bom", "nested", "junk"]
        )
    )
    data = text.encode()
    if mutation == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif mutation == "flip":
        at = draw(st.integers(0, max(0, len(data) - 1)))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    elif mutation == "splice":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(NASTY_CELL).encode() + data[at:]
    elif mutation == "utf-16":
        data = text.encode("utf-16")
    elif mutation == "latin-1":
        data = text.encode("latin-1", errors="replace") + "é".encode("latin-1")
    elif mutation == "bom":
        data = b"\xef\xbb\xbf" + data
    elif mutation == "nested":
        depth = draw(st.sampled_from([50, 1000, 100_000]))
        data = (
            (b"[" * depth + b"]" * depth)
            if not as_csv
            else b"id,kind,title,date,summary,sources\n" + b'"' * depth
        )
    elif mutation == "junk":
        data = draw(st.binary(max_size=2000))
    event(mutation)
    return ("facts.csv" if as_csv else "facts.json"), data


def export_csv_records(recs: list[dict]) -> str:
    return export_csv(parse_fact(r) for r in recs)


@fuzz_settings(40)
@given(upload=import_files())
async def test_any_import_file_is_answered_and_a_refused_one_changes_nothing(
    watch: WatchEnv, caplog: pytest.LogCaptureFixture, upload: tuple[str, bytes]
) -> None:
    path = watch.settings.database_path
    before = database_digest(path)
    caplog.clear()
    mod = watch.moderator("importer")
    resp = await mod.slash("factmod import", file=Upload(*upload))
    assert_answered_well(watch.emulator, resp, caplog.records)
    assert database_digest(path) == before, "a dry run changed the record"
    if not any(b["label"] == "Confirm" for b in resp.buttons):
        event("refused")
        return
    event("confirmed")
    applied = await resp.click("Confirm")
    await applied.wait_for_edit()
    assert_answered_well(watch.emulator, applied, caplog.records)
    assert "Applied" in json.dumps(applied.embeds)
    card = await watch.member("reader").slash("fact", fact="fuzz-import-0")
    assert_answered_well(watch.emulator, card, caplog.records)


async def test_a_50_mb_file_is_refused_unread(watch: WatchEnv) -> None:
    before = database_digest(watch.settings.database_path)
    huge = Upload("facts.json", b"[" + b" " * (50 * 1024 * 1024) + b"]")
    resp = await watch.moderator().slash("factmod import", file=huge)
    assert resp.ephemeral
    assert "limited to 5 MB" in resp.content
    assert not resp.deferred  # refused from the declared size, before anything was downloaded
    assert database_digest(watch.settings.database_path) == before


@pytest.mark.parametrize("file_format", ["json", "csv"])
async def test_more_rows_than_the_limit_are_refused(watch: WatchEnv, file_format: str) -> None:
    before = database_digest(watch.settings.database_path)
    recs = [fact_record(f"row-{n}") for n in range(MAX_IMPORT_FACTS + 1)]
    data = (json.dumps(recs) if file_format == "json" else export_csv_records(recs)).encode()
    resp = await watch.moderator().slash("factmod import", file=Upload(f"facts.{file_format}", data))
    assert "at most 5,000" in resp.content
    assert database_digest(watch.settings.database_path) == before


FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", '=HYPERLINK("https://evil.example")', "\t=1", "\r=1"]


async def test_csv_export_never_starts_a_cell_with_a_formula(watch: WatchEnv) -> None:
    mod = watch.moderator()
    recs = [
        fact_record(
            f"formula-{n}",
            title=f,
            summary=f,
            body=f,
            aliases=[f],
            sources=[{"url": "https://example.org/f", "publisher": f}],
        )
        for n, f in enumerate(FORMULAS)
    ]
    dry = await mod.slash("factmod import", file=Upload("formulas.json", json.dumps(recs).encode()))
    applied = await dry.click("Confirm")
    await applied.wait_for_edit()
    export = await mod.slash("factmod export", category="talks", format="csv")
    text = export.attachments[0].data.decode()
    rows = list(csv.reader(io.StringIO(text)))
    dangerous = [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not dangerous
    assert any(cell == "'=1+1" for row in rows for cell in row)
    back = await mod.slash("factmod import", file=Upload("again.csv", text.encode()))
    assert "Rejected" not in json.dumps(back.embeds)  # the apostrophe is removed again on import
    stored = {
        f.id: f.title for f in await watch.bot.fact_store.all_facts(None) if f.id.startswith("formula-")
    }
    parsed = {f.id: f.title for f in parse_import(text.encode(), "csv").facts if f.id.startswith("formula-")}
    assert parsed == stored  # the text round-trips exactly
