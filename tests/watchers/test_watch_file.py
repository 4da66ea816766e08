"""The watch file is checked at start-up: a bad one stops the program with one line and status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.cli import main
from bot.app.settings import Settings, SettingsError
from bot.watchers.model.config import WatchFileError, load_watch_file
from bot.watchers.poller import MAX_BACKOFF, next_wait

GOOD = """
[[feed]]
name = "CNS"
url = "https://example.org/cns.json"
format = "cns-json"
every = "30m"

[[feed]]
name = "Wire"
url = "http://example.org/feed.xml"
format = "rss"
every = "1h"
keywords = ["missile"]
"""


@pytest.mark.parametrize("written", ["2026-05-01", '"2026-05-01"'])
def test_since_is_a_day_written_as_a_toml_date_or_text(tmp_path: Path, written: str) -> None:
    path = tmp_path / "watch.toml"
    path.write_text(GOOD.replace('every = "30m"', f'every = "30m"\nsince = {written}', 1), "utf-8")
    cns, wire = load_watch_file(path)
    assert cns.since == "2026-05-01"
    assert wire.since is None


def test_a_good_file_lists_its_feeds(tmp_path: Path) -> None:
    path = tmp_path / "watch.toml"
    path.write_text(GOOD, "utf-8")
    feeds = load_watch_file(path)
    assert [(f.name, f.format, f.every, f.keywords) for f in feeds] == [
        ("CNS", "cns-json", 1800.0, ()),
        ("Wire", "rss", 3600.0, ("missile",)),
    ]
    settings = Settings.from_environment({"WATCH_FILE": str(path)}, env_file=None)
    assert settings.watch_feeds == feeds


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ('format = "cns-json"', 'format = "atom"', "format must be one of"),
        ('every = "30m"', 'every = "5s"', "at least 10s"),
        ('every = "30m"', 'every = "half an hour"', "must be a duration"),
        ('url = "https://example.org/cns.json"', 'url = "file:///etc/passwd"', "http:// or https://"),
        ('keywords = ["missile"]', "keywords = []", "needs keywords"),
        ('name = "Wire"', 'name = "CNS"', "two feeds are named"),
        ('every = "1h"', 'every = "1h"\nproxy = "x"', "unknown field"),
        ('[[feed]]\nname = "CNS"', '[[feed]\nname = "CNS"', "not valid TOML"),
        ('every = "30m"', 'every = "30m"\nsince = "2017-02-30"', "since must be a day"),
        ('every = "30m"', 'every = "30m"\nsince = 20260501', "since must be a day"),
    ],
)
def test_a_bad_file_is_named_in_one_line(tmp_path: Path, replace: str, by: str, message: str) -> None:
    path = tmp_path / "watch.toml"
    path.write_text(GOOD.replace(replace, by, 1), "utf-8")
    with pytest.raises(WatchFileError, match=message):
        load_watch_file(path)
    with pytest.raises(SettingsError, match=r"^WATCH_FILE: "):
        Settings.from_environment({"WATCH_FILE": str(path)}, env_file=None)


def test_the_program_stops_with_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WATCH_FILE", str(tmp_path / "missing.toml"))
    assert main(["db", "migrate"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: WATCH_FILE: cannot read")


def test_failures_back_off_up_to_a_ceiling(tmp_path: Path) -> None:
    path = tmp_path / "watch.toml"
    path.write_text(GOOD, "utf-8")
    cns = load_watch_file(path)[0]
    assert [next_wait(cns, n) for n in range(4)] == [1800.0, 3600.0, 7200.0, 14400.0]
    assert next_wait(cns, 30) == MAX_BACKOFF
