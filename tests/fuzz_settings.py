"""Hypothesis profiles, input strategies and per-example checks for the fuzz tests (tests/test_fuzz_*.py).

The default profile keeps the whole fuzz run to a few hundred examples so the suite stays fast. Set
`DPRK_WATCH_FUZZ=long` for a long hunt (thousands of examples per test) before a release or after
touching input handling: `DPRK_WATCH_FUZZ=long python -m pytest tests/test_fuzz_*.py`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bot.kit.error_path import APOLOGY
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.responses import Response

LONG_MODE = os.environ.get("DPRK_WATCH_FUZZ") == "long"
LONG_EXAMPLES = 2000

# The `watch` fixture (the real bot over sockets) is shared by a test's examples on purpose: building a
# bot per example would cost a second each. Every example checks the database itself.
_COMMON: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "print_blob": True,
}


def fuzz_settings(ci_examples: int) -> settings:
    """`ci_examples` examples in a normal run, LONG_EXAMPLES with DPRK_WATCH_FUZZ=long."""
    return settings(max_examples=LONG_EXAMPLES if LONG_MODE else ci_examples, **_COMMON)


# --- inputs ----------------------------------------------------------------------------------------

# Replaced by real ids of the test server's role and member, so mentions would really ping.
ROLE, USER = "{role}", "{user}"

NASTY_PIECES = [
    # FTS5 query syntax
    '"',
    '""',
    "*",
    "^",
    "NEAR(a b, 2)",
    " OR ",
    " AND ",
    " NOT ",
    "(",
    ")",
    ":",
    "title:",
    "{title body}:",
    "-",
    "+",
    "'",
    # SQL fragments
    "'; DROP TABLE facts; --",
    "1 OR 1=1",
    "%",
    "_",
    "\\",
    "/*",
    "*/",
    "; SELECT * FROM store_meta",
    # markdown and Discord syntax
    "**",
    "`",
    "```",
    "||",
    "> ",
    "# ",
    "[x](https://evil.example)",
    "<#1>",
    "</search:1>",
    "<t:0:R>",
    "@everyone",
    "@here",
    f"<@&{ROLE}>",
    f"<@{USER}>",
    f"<@!{USER}>",
    "@\u200beveryone",
    # control characters and awkward unicode
    "\x00",
    "\x07",
    "\t",
    "\n",
    "\r\n",
    "\x1b[31m",
    "\u202e",
    "\u200b",
    "\ufeff",
    "🇰🇵",
    "👨‍👩‍👧",
    "ﷺ",
    "Ⅵ",
    "６",
    "e\u0301",
    "\U0001d54f",
    "İ",
    "ß",
    # things that look like what the commands expect
    "2017",
    "2017-09-03",
    "2017-02-30",
    "0000",
    "9999-99-99",
    "2397",
    "Hwasong-15",
    "sixth nuclear test",
    "09:00",
    "25:61",
    "Asia/Seoul",
    "../../etc/passwd",
    "https://",
    "javascript:alert(1)",
]

_ANY_CHAR = st.characters(codec="utf-8")  # every code point Discord can carry (no lone surrogates)


def nasty_text(min_size: int = 0, max_size: int = 300) -> st.SearchStrategy[str]:
    """Random unicode and control characters mixed with query, SQL, markdown and mention syntax, and
    strings at the length limit."""
    pieces = st.lists(
        st.one_of(st.sampled_from(NASTY_PIECES), st.text(_ANY_CHAR, max_size=12)), max_size=12
    ).map("".join)
    at_limit = st.sampled_from(["x", "é", "🇰🇵", "@everyone ", "*"]).map(lambda s: s * max_size)
    mixed = st.one_of(pieces, pieces, pieces, at_limit, st.text(_ANY_CHAR, max_size=max_size))
    # Pad rather than filter: short strings are common, and filtering them wastes draws.
    return mixed.map(lambda s: (s + "·" * min_size)[: max(min_size, min(len(s), max_size))])


def with_real_ids(text: str, role_id: int, user_id: int, limit: int) -> str:
    """`text` with real ids in its mentions, cut back to the option's `limit`."""
    return text.replace(ROLE, str(role_id)).replace(USER, str(user_id))[:limit]


def boundary_ints(low: int, high: int) -> st.SearchStrategy[int]:
    """Integers in [low, high], the ends and their neighbours more often than chance would pick them."""
    edges = sorted({v for v in (low, low + 1, high - 1, high, (low + high) // 2) if low <= v <= high})
    return st.one_of(st.sampled_from(edges), st.integers(low, high))


# --- checks ----------------------------------------------------------------------------------------


def reply_text(resp: Response) -> str:
    """Everything the member saw in answer: the reply, its embeds and the follow-ups."""
    parts = [resp.content or "", json.dumps(resp.embeds, ensure_ascii=False)]
    for message in resp.followups:
        parts += [message.content or "", json.dumps(message.embeds, ensure_ascii=False)]
    return "\n".join(parts)


def errors_logged(records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if r.levelno >= logging.ERROR]


def assert_answered_well(emulator: DiscordEmulator, resp: Response, records: list[logging.LogRecord]) -> None:
    """No unhandled exception (no apology, nothing logged as an error), every write within Discord's
    limits (nothing refused), and no message that could ping."""
    assert APOLOGY not in reply_text(resp), reply_text(resp)
    assert not errors_logged(records), errors_logged(records)
    assert not resp.rejections, [e.body() for e in resp.rejections]
    refused = [f"{r.method} {r.path}: {r.status} {r.code}" for r in emulator.requests() if r.status == 400]
    assert not refused, refused
    emulator.assert_no_pings()


FACT_TABLES = (
    "facts",
    "fact_sources",
    "fact_links",
    "fact_revisions",
    "suggestions",
    "guild_settings",
    "quiz_settings",
    "quiz_answers",
)


def database_digest(path: Path, tables: tuple[str, ...] = FACT_TABLES) -> str:
    """A hash of every row of `tables`, read through a separate connection (what is committed)."""
    digest = hashlib.sha256()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        for table in tables:
            for row in sorted(repr(row) for row in connection.execute(f"SELECT * FROM {table}")):
                digest.update(row.encode())
    connection.close()
    return digest.hexdigest()
