"""The export/import file formats (JSON and CSV), shared by the command line and `/factmod`.

JSON: `{"format": "dprk-watch-facts", "version": 1, "facts": [record, ...]}` where a record has the
dataset fields (see data/README.md), `checked` included. CSV: one row per fact with the same fields;
list and table fields (aliases, tags, related, responds_to, figures, sources) hold JSON. Cells that a spreadsheet
would run as a formula (starting with = + - @ or a tab/CR) are written with a leading apostrophe,
which import removes again.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot.facts.model.fact import RECORD_FIELDS, Fact, InvalidFact, parse_fact

FORMAT_NAME = "dprk-watch-facts"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_FACTS = 5000
CSV_COLUMNS = RECORD_FIELDS
_JSON_COLUMNS = {"aliases", "tags", "related", "responds_to", "figures", "sources"}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class ParsedImport:
    facts: tuple[Fact, ...]
    rejected: tuple[tuple[str, str], ...]  # (record label, reason)


def export_json(facts: Iterable[Fact]) -> str:
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "facts": [f.content() for f in facts]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _unsafe_cell(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] in _FORMULA_STARTS else value


def export_csv(facts: Iterable[Fact]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for fact in facts:
        record = fact.content()
        row = {}
        for column in CSV_COLUMNS:
            value = record.get(column, "")
            if column in _JSON_COLUMNS:
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row[column] = _safe_cell(str(value if value is not None else ""))
        writer.writerow(row)
    return out.getvalue()


def export_facts(facts: Iterable[Fact], file_format: str) -> str:
    if file_format == "csv":
        return export_csv(facts)
    if file_format == "json":
        return export_json(facts)
    raise ValueError(f"unknown format {file_format!r}; use json or csv")


def _decode(data: bytes) -> str:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            f"the file is {len(data) / 1_048_576:.1f} MB; imports are limited to "
            f"{MAX_IMPORT_BYTES // 1_048_576} MB"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"the file is not UTF-8 text (byte {error.start} is not valid UTF-8)"
        ) from error


def _json_records(text: str) -> list[Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"the JSON is malformed: {error.msg} at line {error.lineno}") from error
    except RecursionError:
        # json.loads recurses once per nesting level: a file of 100,000 "[" must be refused, not crash.
        raise ImportFileError("the JSON is nested too deeply to be an export file") from None
    if isinstance(document, dict) and document.get("format") == FORMAT_NAME:
        if document.get("version") != FORMAT_VERSION:
            raise ImportFileError(f"unsupported export version {document.get('version')!r}")
        records = document.get("facts")
    else:
        records = document
    if not isinstance(records, list):
        raise ImportFileError('expected a list of facts or {"format": "dprk-watch-facts", "facts": [...]}')
    return records


def _csv_records(text: str) -> list[Any]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = reader.fieldnames or []
        missing = [c for c in ("id", "kind", "title", "date", "summary", "sources") if c not in header]
        if missing:
            raise ImportFileError(f"the CSV header lacks the column(s) {', '.join(missing)}")
        rows = list(reader)
    except csv.Error as error:
        raise ImportFileError(f"the CSV is malformed: {error}") from error
    records = []
    for number, row in enumerate(rows, start=2):
        record: dict[str, Any] = {}
        for column, raw in row.items():
            if column is None or raw is None:
                record["_error"] = f"line {number} has a different number of cells than the header"
                continue
            value = _unsafe_cell(raw)
            if column in _JSON_COLUMNS:
                try:
                    record[column] = json.loads(value) if value else ([] if column != "figures" else {})
                except json.JSONDecodeError:
                    record["_error"] = f"line {number}: {column} is not valid JSON"
            elif column == "date_uncertain":
                record[column] = value.strip().lower() in ("true", "1", "yes")
            elif column in ("end_date", "checked") and not value:
                continue
            else:
                record[column] = value
        records.append(record)
    return records


def parse_import(data: bytes, file_format: str, *, today: date | None = None) -> ParsedImport:
    """Read an import file; every record is validated, and problems are listed per record. A `checked`
    after `today` (by default today's date in UTC) is refused."""
    today = today or datetime.now(UTC).date()
    text = _decode(data)
    if file_format == "json":
        records = _json_records(text)
    elif file_format == "csv":
        records = _csv_records(text)
    else:
        raise ImportFileError(f"unknown format {file_format!r}; use a .json or .csv file")
    if len(records) > MAX_IMPORT_FACTS:
        raise ImportFileError(
            f"the file has {len(records):,} facts; an import takes at most {MAX_IMPORT_FACTS:,}"
        )
    if not records:
        raise ImportFileError("the file holds no facts")
    facts, rejected = [], []
    seen: set[str] = set()
    for position, record in enumerate(records, start=1):
        label = (
            str(record.get("id") or f"record {position}")
            if isinstance(record, dict)
            else f"record {position}"
        )
        if isinstance(record, dict) and "_error" in record:
            rejected.append((label, record["_error"]))
            continue
        try:
            fact = parse_fact(record, today=today)
        except InvalidFact as error:
            rejected.append((label, "; ".join(error.problems)))
            continue
        if fact.id in seen:
            rejected.append((label, "the id appears twice in the file"))
            continue
        seen.add(fact.id)
        facts.append(fact)
    return ParsedImport(tuple(facts), tuple(rejected))


def format_from_name(filename: str) -> str:
    lowered = filename.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(".csv"):
        return "csv"
    raise ImportFileError(f"{filename!r}: name the file .json or .csv so its format is known")
