"""The real `python -m bot` entry point, run in a subprocess on temporary databases."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fact_record

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN",)}
    environment.update(env)
    environment["PYTHONPATH"] = str(PROJECT_ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=environment,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_PATH": str(tmp_path / "cli.db"), "DATASET_DIR": str(PROJECT_ROOT / "data")}


def test_run_without_a_token_explains_and_exits_2(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli(env=cli_env, cwd=tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "python -m bot ask" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_setting_is_one_clear_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("db", "migrate", env=cli_env | {"LOG_LEVEL": "LOUD"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: LOG_LEVEL must be one of CRITICAL, ERROR, WARNING, INFO, DEBUG, not 'LOUD'"
    ]
    result = run_cli("db", "migrate", env=cli_env | {"DEV_GUILD_ID": "abc"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "DEV_GUILD_ID" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_token_is_never_echoed(cli_env: dict[str, str], tmp_path: Path) -> None:
    secret = "NzAwMDAwMDAwMDAwMDAwMDAw.secret-token-value"
    result = run_cli(
        "db", "migrate", env=cli_env | {"DISCORD_TOKEN": secret, "LOG_LEVEL": "DEBUG"}, cwd=tmp_path
    )
    assert result.returncode == 0
    assert secret not in result.stdout + result.stderr


def test_settings_are_read_from_dot_env(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"DATABASE_PATH={tmp_path / 'from-dotenv.db'}\n")
    result = run_cli("db", "migrate", env={"DATASET_DIR": str(PROJECT_ROOT / "data")}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-dotenv.db").exists()


def test_migrate_seed_and_backup(cli_env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli("db", "migrate", env=cli_env, cwd=tmp_path).returncode == 0
    seeded = run_cli("db", "seed", env=cli_env, cwd=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    assert " added" in seeded.stdout
    again = run_cli("db", "seed", env=cli_env, cwd=tmp_path)
    assert "0 added, 0 updated" in again.stdout
    backup = tmp_path / "backup.db"
    result = run_cli("db", "backup", str(backup), env=cli_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    count = sqlite3.connect(backup).execute("SELECT count(*) FROM facts").fetchone()[0]
    assert count > 100
    assert sqlite3.connect(backup).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_missing_database_folder_is_a_clear_error(tmp_path: Path) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "missing" / "x.db"), "DATASET_DIR": str(PROJECT_ROOT / "data")}
    result = run_cli("db", "migrate", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreadable_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"\x00garbage" * 512)
    result = run_cli("db", "migrate", env={"DATABASE_PATH": str(path)}, cwd=tmp_path)
    assert result.returncode == 1
    assert "cannot use" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_export_then_import_round_trips(cli_env: dict[str, str], tmp_path: Path, file_format: str) -> None:
    exported = run_cli(
        "facts", "export", "--format", file_format, "--category", "talks", env=cli_env, cwd=tmp_path
    )
    assert exported.returncode == 0, exported.stderr
    if file_format == "json":
        facts = json.loads(exported.stdout)["facts"]
        assert facts
        assert {f["kind"] for f in facts} <= {
            "agreement",
            "multilateral",
            "summit",
            "bilateral",
            "withdrawal",
        }
    else:
        rows = list(csv.DictReader(io.StringIO(exported.stdout)))
        assert rows
        assert all(not row["body"].startswith(("=", "+", "-", "@")) for row in rows)
    export_file = tmp_path / f"talks.{file_format}"
    export_file.write_text(exported.stdout)
    result = run_cli("facts", "import", str(export_file), "--dry-run", env=cli_env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 to add, 0 to change" in result.stdout
    assert "0 rejected" in result.stdout


def test_import_of_a_file_with_one_bad_record_changes_nothing(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    good, bad = fact_record("cli-good"), fact_record("cli-bad", date="2017-02-30")
    path = tmp_path / "facts.json"
    path.write_text(json.dumps([good, bad]))
    result = run_cli("facts", "import", str(path), env=cli_env, cwd=tmp_path)
    assert result.returncode == 1
    assert "rejected cli-bad" in result.stdout
    assert "February 2017 has 28 days" in result.stdout
    assert "Nothing was changed" in result.stdout
    exported = run_cli("facts", "export", env=cli_env, cwd=tmp_path)
    assert "cli-good" not in exported.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "malformed"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"[]", "no facts"),
        (b'{"facts": 3}', "expected a list"),
    ],
)
def test_a_broken_import_file_is_a_clear_error(
    cli_env: dict[str, str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    result = run_cli("facts", "import", str(path), env=cli_env, cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_prints_facts_with_dates_and_sources(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("ask", "when was the sixth nuclear test?", env=cli_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert "3 September 2017" in first
    assert "[nuclear-test-6]" in first
    assert "Source:" in result.stdout
    assert "https://" in result.stdout


@pytest.mark.parametrize("question", ['"', "AND(", "x" * 10_000])
def test_ask_handles_bad_questions(cli_env: dict[str, str], tmp_path: Path, question: str) -> None:
    result = run_cli("ask", question, env=cli_env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
